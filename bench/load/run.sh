#!/usr/bin/env bash
# Loading benchmark: wuliu-load (without and with full support) vs py3dbp on Bischoff–Ratcliff BR1–BR15.
#
#   bench/load/run.sh                 # first 20 instances of each set (the issue's minimum), 5 s per instance and variant
#   bench/load/run.sh --full          # all 80 instances of each set (about 3.5 hours at 5 s)
#   bench/load/run.sh --first 20 --time 5 --sets 1-15
#   bench/load/run.sh --notes         # copy notes.md into RESULTS.md, keeping the tables of the last run
#
# Builds in release, creates the py3dbp venv under target/, writes raw CSV/JSONL to bench/load/out/ and the
# tables to bench/load/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
FIRST=20
TIME=5
SETS=1-15
ARGS="$*"
while [ $# -gt 0 ]; do
  case "$1" in
    --full) FIRST=80 ;;
    --first) FIRST=$2; shift ;;
    --time) TIME=$2; shift ;;
    --sets) SETS=$2; shift ;;
    --notes) NOTES_ONLY=1 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
if [ "${NOTES_ONLY:-0}" = 1 ]; then
  # Keep the tables of the last run in RESULTS.md and copy in notes.md.
  bench/refresh_notes.sh load
  exit 0
fi
OUT=bench/load/out
mkdir -p "$OUT"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}
BIN=$CARGO_TARGET_DIR/release/examples
echo "== building (release)" >&2
cargo build --release -p wuliu-load --example br_bench --example peer_check >&2
VENV=target/bench-load-venv
if [ ! -x "$VENV/bin/python" ]; then
  echo "== creating $VENV" >&2
  python3 -m venv "$VENV"
fi
"$VENV/bin/pip" install -q py3dbp==1.1.2 >&2
STARTED=$(date -u +"%Y-%m-%d %H:%M")
COMMIT=$(git log -1 --format=%h -- crates/load 2>/dev/null || echo unknown)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== wuliu-load: BR$SETS, first $FIRST instances, $TIME s, both variants (progress below)" >&2
nice -n 5 "$BIN/br_bench" bench/load/data --sets "$SETS" --first "$FIRST" --time "$TIME" \
  --variants nosupport,support > "$OUT/wuliu.csv"
echo "== py3dbp on the same instances" >&2
nice -n 5 "$VENV/bin/python" bench/load/py3dbp_run.py bench/load/data --sets "$SETS" --first "$FIRST" > "$OUT/py3dbp.jsonl"
"$BIN/peer_check" bench/load/data "$OUT/py3dbp.jsonl" > "$OUT/py3dbp.csv"
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
MACHINE="$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), shared with other engineers' builds and benchmarks (noisy); load average at start $LOAD_BEFORE, at end $LOAD_AFTER"
"$VENV/bin/python" bench/load/report.py --ours "$OUT/wuliu.csv" --peer "$OUT/py3dbp.csv" \
  --bks bench/load/data/bks_br_per_instance.csv --out bench/load/RESULTS.md \
  --command "bench/load/run.sh${ARGS:+ $ARGS}" --time "$TIME" --first "$FIRST" --machine "$MACHINE" \
  --started "$STARTED" --commit "$COMMIT"
