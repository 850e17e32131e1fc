#!/usr/bin/env bash
# bench/road: wuliu-road vs OSRM (osrm-bindings, CH and MLD) and Valhalla (pyvalhalla), in-process,
# on the Monaco and Andorra extracts and synthetic provinces (province-1m, province-3m: generated
# on demand, seeded). One command: `bash bench/road/run.sh`. Results: bench/road/RESULTS.md.
# Environment knobs: ROAD_BENCH_ROUTES (default 10000), ROAD_BENCH_EXTRACTS ("monaco andorra";
# add "province-1m province-3m"), ROAD_BENCH_PEERS ("osrm valhalla"), ROAD_BENCH_MATCH
# ("andorra province-1m"), ROAD_BENCH_ISO ("monaco andorra"), ROAD_BENCH_TRACKS (20 per case),
# ROAD_BENCH_TILE_TIMEOUT (900 s), ROAD_BENCH_HTTP (1).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
WORK="$ROOT/target/road-bench"
mkdir -p "$WORK"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"

echo "== building the wuliu-road benchmark driver (release)"
cargo build --release -p wuliu-road --example road_bench --example bench_live
export ROAD_BENCH_DRIVER="$CARGO_TARGET_DIR/release/examples/road_bench"
export ROAD_BENCH_LIVE="$CARGO_TARGET_DIR/release/examples/bench_live"
cargo build --release -p wuliu
export WULIU_BIN="$CARGO_TARGET_DIR/release/wuliu"

echo "== Python 3.12 venv with osrm-bindings, pyvalhalla, shapely and osmium (target/road-bench/venv)"
if [ ! -x "$WORK/venv/bin/python" ]; then
  PY312="$(pyenv root 2>/dev/null)/versions/3.12.1/bin/python3"
  [ -x "$PY312" ] || PY312=$(command -v python3.12)
  "$PY312" -m venv "$WORK/venv"
fi
"$WORK/venv/bin/pip" install -q osrm-bindings==26.10.* pyvalhalla==3.9.1 shapely osmium \
  || "$WORK/venv/bin/pip" install -q osrm-bindings pyvalhalla shapely osmium

echo "== running (progress below)"
nice -n 10 "$WORK/venv/bin/python" "$ROOT/bench/road/bench.py"
