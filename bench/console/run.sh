#!/usr/bin/env bash
# The console dashboard benchmark of issue 25: with 1,000,000 waybills and a year of history
# generated, the overview's first render in headless Chromium ≤ 1 s and every stats endpoint
# p99 ≤ 100 ms.
#
# One command: bench/console/run.sh
#   WAYBILLS=200000    a smaller history (default 1000000 over DAYS=365 days ending today, Beijing)
#   REGENERATE=1       generate the database again even when a cached one matches
#   REQUESTS=200 LOADS=10   requests per endpoint, cold loads of the overview
# Needs Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver).
#
# The database is generated once with `wuliu demo --history-days $DAYS --history-total $WAYBILLS`
# (the demo, then its waybills replayed over the past days through the store's normal write path,
# so waybill_facts and the rollups are real) and cached in target/bench-console/ keyed by its size
# and day; then crates/cli/examples/console_bench.rs starts `wuliu serve` on it, logs in (users
# bench-admin and bench-carrier, created with `wuliu user create`), measures and writes
# bench/console/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
WAYBILLS="${WAYBILLS:-1000000}"
DAYS="${DAYS:-365}"
REQUESTS="${REQUESTS:-200}"
LOADS="${LOADS:-10}"
WORK="$ROOT/target/bench-console"
mkdir -p "$WORK"
TODAY="$(TZ=Asia/Shanghai date +%F)"
DB="$WORK/wuliu-$WAYBILLS-$DAYS.db"
STAMP="$DB.generated"

echo "building (release)…" >&2
nice -n 10 cargo build --release -p wuliu --bin wuliu --example console_bench
WULIU="$CARGO_TARGET_DIR/release/wuliu"

# A cached database serves while its history ends today (the stats read "today").
if [ -n "${REGENERATE:-}" ] || [ ! -f "$STAMP" ] || [ "$(head -n1 "$STAMP")" != "$TODAY" ]; then
  rm -f "$DB" "$DB-wal" "$DB-shm" "$STAMP"
  echo "generating $WAYBILLS waybills over $DAYS days into $DB…" >&2
  "$WULIU" --database-url "sqlite:$DB" --log-format text demo \
    --history-days "$DAYS" --history-total "$WAYBILLS" 2> >(tee "$WORK/generate.log" >&2)
  { echo "$TODAY"; grep 'history waybills' "$WORK/generate.log" | sed 's/^wuliu: //'; } > "$STAMP"
fi
GENERATED="$(sed -n 2p "$STAMP")"
# An older cached database gets this build's migrations when the server opens it.
exec "$CARGO_TARGET_DIR/release/examples/console_bench" --wuliu "$WULIU" \
  --database-url "sqlite:$DB" --work "$WORK" --out "$ROOT/bench/console/RESULTS.md" \
  --requests "$REQUESTS" --loads "$LOADS" \
  --generated "\`wuliu demo --history-days $DAYS --history-total $WAYBILLS\`: $GENERATED" \
  --command "WAYBILLS=$WAYBILLS DAYS=$DAYS REQUESTS=$REQUESTS LOADS=$LOADS bench/console/run.sh"
