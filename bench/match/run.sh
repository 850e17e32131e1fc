#!/usr/bin/env bash
# One-command benchmark of wuliu-match (vehicle–cargo matching).
#
#   bench/match/run.sh               # 3 simulated days (600 loads, 120 vehicles) on the Andorra road network,
#                                    # the same 3 days over the Liuzhou region on straight-line costs (flagged),
#                                    # then 10 000 loads x 5 000 vehicles (3 runs) and suggestion latency
#   SEEDS=1,2,3,4,5 bench/match/run.sh   # other or more days
#   LOADS=1200 VEHICLES=200 ...      # a bigger day
#   RETURN_W=0.3 COMMIT_H=0.5 ...    # policy knobs of the 15-minute batches (defaults shown)
#   REPORT_ONLY=1 bench/match/run.sh # rewrite RESULTS.md from the last run's output (no output here: the
#                                    # figures already in RESULTS.md stay, and only notes.md is copied in)
#
# No Python peers: there is no PyPI package for vehicle–cargo matching; the baselines (FIFO, greedy
# nearest vehicle) are implemented in the benchmark program with the same rules and road costs.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
PBF=crates/road/tests/data/andorra.osm.pbf
SEEDS=${SEEDS:-42,7,2026}
LOADS=${LOADS:-600}
VEHICLES=${VEHICLES:-120}
export RETURN_W=${RETURN_W:-0.3} COMMIT_H=${COMMIT_H:-0.5} DEPART=${DEPART:-1}
OUT=$ROOT/target/bench-match
mkdir -p "$OUT"
if [ "${REPORT_ONLY:-0}" = 1 ]; then   # rebuild RESULTS.md from the last run's output
  for f in meta.txt sim.md sim-liuzhou.md scale.md; do
    if [ ! -f "$OUT/$f" ]; then
      # A fresh checkout has no run output: keep the figures in RESULTS.md and refresh only the notes.
      echo "== $OUT/$f missing (no run here yet): keeping the figures in bench/match/RESULTS.md"
      bench/refresh_notes.sh match
      exit 0
    fi
  done
else
  echo "== building wuliu-match benchmark (release)"
  cargo build --release -q -p wuliu-match --example match_bench
  BIN=$CARGO_TARGET_DIR/release/examples/match_bench
  echo "== day simulation on $PBF: $LOADS loads, $VEHICLES vehicles, seeds $SEEDS"
  nice -n 5 "$BIN" sim "$PBF" "$LOADS" "$VEHICLES" "$SEEDS" | tee "$OUT/sim.md"
  echo "== day simulation over the Liuzhou region (straight-line costs): $LOADS loads, $VEHICLES vehicles, seeds $SEEDS"
  nice -n 5 "$BIN" sim-liuzhou "$LOADS" "$VEHICLES" "$SEEDS" | tee "$OUT/sim-liuzhou.md"
  echo "== scale: 10000 loads x 5000 vehicles, 3 runs"
  nice -n 5 "$BIN" scale 10000 5000 42 3 | tee "$OUT/scale.md"
  echo "Date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit $(git rev-parse --short HEAD)$(git diff --quiet -- crates/match bench/match || echo ' (with uncommitted changes in crates/match or bench/match)')" > "$OUT/meta.txt"
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB RAM, shared with other jobs (noisy; load average $(cut -d' ' -f1 /proc/loadavg) at the end)." >> "$OUT/meta.txt"
fi
{
  echo "# bench/match results"
  echo
  echo "Command: \`bench/match/run.sh\` (SEEDS=$SEEDS LOADS=$LOADS VEHICLES=$VEHICLES RETURN_W=$RETURN_W COMMIT_H=$COMMIT_H DEPART=$DEPART)"
  cat "$OUT/meta.txt"
  echo
  echo "## Day simulation on a real road network"
  echo
  cat "$OUT/sim.md"
  echo
  echo "## Day simulation over the Liuzhou region (straight-line costs, not a road network)"
  echo
  cat "$OUT/sim-liuzhou.md"
  echo
  echo "## Scale: one batch of 10 000 loads x 5 000 vehicles"
  echo
  cat "$OUT/scale.md"
  echo
  cat bench/match/notes.md
} > bench/match/RESULTS.md
echo "== wrote bench/match/RESULTS.md"
