#!/usr/bin/env bash
# Fuzzes the JT/T 808 decoder (Framer + Packet::decode + Reassembler +
# Message::decode) with cargo-fuzz / libFuzzer for a bounded time.
#
#   scripts/fuzz-jt808.sh            # 60 s
#   FUZZ_SECONDS=600 scripts/fuzz-jt808.sh
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`). On a stable toolchain the
# nightly-only sanitizer flags are allowed with RUSTC_BOOTSTRAP=1. Exits
# non-zero on any crash; libFuzzer prints progress lines (#execs, cov, exec/s).
# Not used by the normal test suite.
set -euo pipefail

SECONDS_TO_RUN="${FUZZ_SECONDS:-60}"
JOBS="${FUZZ_JOBS:-1}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CRATE="$ROOT/crates/jt808"
SEEDS="$CRATE/fuzz/corpus/decode"

if ! command -v cargo-fuzz >/dev/null 2>&1; then
    echo "cargo-fuzz not found; installing it from crates.io" >&2
    cargo install cargo-fuzz --locked
fi

# Seed the corpus with the real frames of the test vectors (mode byte 0x07:
# 8-byte chunks, 2013 bodies; 0x87: same with 2019 bodies).
mkdir -p "$SEEDS"
grep -v '^#' "$CRATE/tests/vectors/frames.txt" | while IFS='|' read -r name hex; do
    name="$(echo "$name" | tr -d ' ')"
    hex="$(echo "$hex" | tr -d ' ')"
    [ -n "$name" ] || continue
    printf '07%s' "$hex" | xxd -r -p > "$SEEDS/$name"
    printf '87%s' "$hex" | xxd -r -p > "$SEEDS/${name}_2019"
done

echo "fuzzing wuliu-jt808 decode for ${SECONDS_TO_RUN}s with $(ls "$SEEDS" | wc -l) corpus files"
cd "$CRATE"
LOG="$CRATE/fuzz/fuzz.log"
START=$(date +%s)
set +e
RUSTC_BOOTSTRAP=1 cargo fuzz run decode --sanitizer none -j "$JOBS" -- \
    -max_total_time="$SECONDS_TO_RUN" -max_len=4096 -print_final_stats=1 >"$LOG" 2>&1 &
PID=$!
# Progress: libFuzzer's pulse lines (#execs, cov, corp, exec/s) and the end.
tail -n +1 -f --pid="$PID" "$LOG" | grep -E --line-buffered 'INITED|pulse|DONE|ERROR|panicked|stat::|error(\[|:)'
wait "$PID"
STATUS=$?
set -e
echo "fuzz run took $(( $(date +%s) - START ))s, exit status $STATUS (full log: $LOG)"
if [ "$STATUS" -ne 0 ] || grep -qE 'panicked|ERROR: libFuzzer|deadly signal' "$LOG"; then
    echo "FAIL: fuzzer found a crash (or failed to build); see $LOG and crates/jt808/fuzz/artifacts/decode/" >&2
    exit 1
fi
echo "OK: no crashes"
