#!/usr/bin/env bash
# bench/road: wuliu-road vs OSRM (osrm-bindings) and Valhalla (pyvalhalla), in-process, on the
# Monaco and Andorra extracts. One command: `bash bench/road/run.sh`. Results: bench/road/RESULTS.md.
# Environment knobs: ROAD_BENCH_ROUTES (default 10000), ROAD_BENCH_EXTRACTS ("monaco andorra"),
# ROAD_BENCH_PEERS ("osrm valhalla").
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
WORK="$ROOT/target/road-bench"
mkdir -p "$WORK"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"

echo "== building the wuliu-road benchmark driver (release)"
cargo build --release -p wuliu-road --example road_bench
export ROAD_BENCH_DRIVER="$CARGO_TARGET_DIR/release/examples/road_bench"
cargo build --release -p wuliu
export WULIU_BIN="$CARGO_TARGET_DIR/release/wuliu"

echo "== Python 3.12 venv with osrm-bindings and pyvalhalla (target/road-bench/venv)"
if [ ! -x "$WORK/venv/bin/python" ]; then
  PY312="$(pyenv root 2>/dev/null)/versions/3.12.1/bin/python3"
  [ -x "$PY312" ] || PY312=$(command -v python3.12)
  "$PY312" -m venv "$WORK/venv"
fi
"$WORK/venv/bin/pip" install -q osrm-bindings==26.10.* pyvalhalla==3.9.1 || "$WORK/venv/bin/pip" install -q osrm-bindings pyvalhalla

echo "== running (progress below)"
nice -n 10 "$WORK/venv/bin/python" "$ROOT/bench/road/bench.py"
