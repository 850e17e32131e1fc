#!/usr/bin/env bash
# bench/road/rematch.sh: re-runs only wuliu's side of the map-matching comparison on the tracks a
# previous `bash bench/road/run.sh` simulated (target/road-bench/tracks-*.json), re-scores it
# against the same truth, keeps OSRM's stored figures for the same tracks, and rewrites
# bench/road/RESULTS.md and the road section of BENCHMARKS.md. For a change to the matcher only.
# One command: `bash bench/road/rematch.sh [extract ...]` (default: every extract with tracks).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
WORK="$ROOT/target/road-bench"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
[ -x "$WORK/venv/bin/python" ] || { echo "run bash bench/road/run.sh first (it makes the venv and the tracks)"; exit 1; }
echo "== building the driver (release)"
cargo build --release -p wuliu-road --example bench_live
DRIVER="$CARGO_TARGET_DIR/release/examples/bench_live"
EXTRACTS="$*"
[ -n "$EXTRACTS" ] || EXTRACTS=$(cd "$WORK" && ls tracks-*.json | sed 's/^tracks-//; s/\.json$//')
for x in $EXTRACTS; do
  echo "== $x: matching $(basename "$WORK/tracks-$x.json") with wuliu (progress below)"
  nice -n 10 "$DRIVER" match "$WORK/$x.car.wroad" "$WORK/tracks-$x.json" "$WORK/wuliu-match-$x.json"
done
cd bench/road
"$WORK/venv/bin/python" - "$WORK" $EXTRACTS <<'PY'
import json, sys, pathlib
import live
work = pathlib.Path(sys.argv[1])
path = work / "all-results.json"
allr = json.load(open(path))
for x in sys.argv[2:]:
    tracks = json.load(open(work / f"tracks-{x}.json"))["tracks"]
    ours = json.load(open(work / f"wuliu-match-{x}.json"))["results"]
    m = allr[x]["_live"]["match"]
    m["wuliu"] = live.score_matching(tracks, ours)
    a, o = m["wuliu"]["all"], m["osrm"]["all"]
    print(f"{x}: recall {a['recall']:.3f} (OSRM {o['recall']:.3f}), precision {a['precision']:.3f} "
          f"(OSRM {o['precision']:.3f}), points/s {a['points_per_s']:.0f} (OSRM {o['points_per_s']:.0f}, "
          f"ratio {a['points_per_s'] / o['points_per_s']:.2f})")
json.dump(allr, open(path, "w"), indent=1)
PY
ROAD_BENCH_DRIVER="$CARGO_TARGET_DIR/release/examples/road_bench" ROAD_BENCH_LIVE="$DRIVER" \
  "$WORK/venv/bin/python" bench.py --report
