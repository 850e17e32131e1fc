#!/usr/bin/env bash
# One-command PDPTW benchmark on the Li & Lim 100- and 200-task instances: wuliu-dispatch vs VROOM (pyvroom),
# OR-Tools (GLS) and PyVRP (HGS), same integer matrix, every plan re-checked by wuliu-dispatch's checker.
#
#   bench/dispatch/run_pdptw.sh        # default subset: the 1st and 5th instance of each class (lc1, lc2, lr1, lr2,
#                                      # lrc1, lrc2) of each size, 24 instances, at 10 s and 30 s (about 1 hour)
#   FULL=1 bench/dispatch/run_pdptw.sh # all 116 instances
#   PICK="1 2 3" ...                   # which instances of each class (positions in name order)
#   LIMITS="10" ...                    # time limits in seconds (default "10 30")
#   SOLVERS=wuliu,vroom ...            # some solvers only (default wuliu,vroom,ortools,pyvrp)
#   OBJECTIVE=min-cost ...             # distance only for every solver (default min-vehicles: fewest vehicles
#                                      # first, as the best-known table ranks)
#   RESUME=1 ...                       # keep results in target/bench-dispatch/pdptw-*.jsonl and skip them
#   PARALLEL_PEERS=1 ...               # run the single-threaded peers (ortools, pyvrp) side by side, one core
#                                      # each, after wuliu and vroom (2 threads each) ran alone: half the time
#   SIZES=200 ...                      # instance sizes (default "100 200")
#   RESULTS=path ...                   # where the report goes (default bench/dispatch/RESULTS_PDPTW.md)
#   REPORT_ONLY=1 ...                  # rewrite RESULTS_PDPTW.md from the stored results
#   NOTE="text" ...                    # a "What ran" note for the report (e.g. when runs were combined)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
export OBJECTIVE=${OBJECTIVE:-min-vehicles}
OUT=$ROOT/target/bench-dispatch
VENV=$OUT/venv
DATA=bench/dispatch/data/pdptw
mkdir -p "$OUT"
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import vroom, ortools, pyvrp" 2>/dev/null; then
  echo "== creating Python venv with pyvroom, ortools and pyvrp in $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q pyvroom==1.15.2 'ortools==9.15.*' 'pyvrp==0.14.*'
fi
echo "== building wuliu-dispatch (release)"
cargo build --release -q -p wuliu-dispatch --example solve_pdptw
SOLVERS=${SOLVERS:-wuliu,vroom,ortools,pyvrp}
LIMITS=${LIMITS:-10 30}
PY="$VENV/bin/python bench/dispatch/pdptw.py"

# The instances: all, or positions $PICK of each class in name order (lc101, lc102, ...; lc1_2_1, lc1_2_2, ...).
FILES=()
for dir in $(for n in ${SIZES:-100 200}; do echo li_lim_$n; done); do
  for c in lc1 lc2 lr1 lr2 lrc1 lrc2; do
    if [ "$dir" = li_lim_100 ]; then pat="$c[0-9][0-9].txt"; else pat="${c}_2_*.txt"; fi
    mapfile -t CLASS < <(cd "$DATA/$dir" && ls $pat | sort -V)
    if [ "${FULL:-0}" = 1 ]; then
      for f in "${CLASS[@]}"; do FILES+=("$DATA/$dir/$f"); done
    else
      for k in ${PICK:-1 5}; do FILES+=("$DATA/$dir/${CLASS[$((k - 1))]}"); done
    fi
  done
done

if [ "${REPORT_ONLY:-0}" != 1 ]; then
  if [ "${RESUME:-0}" != 1 ]; then rm -f "$OUT"/pdptw-*.jsonl; fi
  for t in $LIMITS; do
    echo "== Li & Lim, ${#FILES[@]} instances, $t s each, solvers $SOLVERS, objective $OBJECTIVE"
    if [ "${PARALLEL_PEERS:-0}" = 1 ]; then
      SERIAL=$(tr , '\n' <<< "$SOLVERS" | grep -Ev '^(ortools|pyvrp)$' | paste -sd, || true)
      if [ -n "$SERIAL" ]; then
        nice -n 10 $PY --out "$OUT/pdptw-$t.jsonl" --time "$t" --solvers "$SERIAL" "${FILES[@]}"
      fi
      for s in $(tr , '\n' <<< "$SOLVERS" | grep -E '^(ortools|pyvrp)$' || true); do
        nice -n 10 $PY --out "$OUT/pdptw-$t-$s.jsonl" --time "$t" --solvers "$s" "${FILES[@]}" &
      done
      wait
    else
      nice -n 10 $PY --out "$OUT/pdptw-$t.jsonl" --time "$t" --solvers "$SOLVERS" "${FILES[@]}"
    fi
  done
fi
{
  echo "# bench/dispatch PDPTW results (Li & Lim)"
  echo
  echo "Command: \`bench/dispatch/run_pdptw.sh\`$( [ "${FULL:-0}" = 1 ] && echo ' with FULL=1'); objective $OBJECTIVE."
  echo "Date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit $(git rev-parse --short HEAD)"
  if [ -n "${NOTE:-}" ]; then echo "What ran: $NOTE"; fi
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB RAM, shared with other jobs (noisy)."
  echo "Peers: pyvroom $("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("pyvroom"))'), ortools $("$VENV/bin/python" -c 'import ortools; print(ortools.__version__)'), pyvrp $("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("pyvrp"))')."
  echo
  cat <<'NOTES'
## How it is measured

**Data.** `bench/dispatch/data/pdptw` (see its PROVENANCE.md): Li & Lim 100-task (56) and 200-task (60) PDPTW
instances and the SINTEF best-known table (BKS), which ranks **vehicles first, then distance**; a plan with more
vehicles than the BKS can be shorter than its distance, so read the gap with the vehicle columns.

**Matrix.** Every solver gets the same integer matrix `ceil(100 x Euclidean)` as travel cost and travel time, with
time windows and service times x 100 (rounding up: a plan feasible on it is feasible on exact distances). Every plan
a solver returns (routes of task ids) is re-checked by `wuliu_dispatch::check` on the exact double-precision matrix
(`solve_pdptw --eval`: routes -> `Visit`s -> `Solution::from_visits` -> `check`); the exact route length is the
distance reported. "Feasible" = the checker found no violation and every pair is served once.

**Objective** (same for all, `OBJECTIVE`): `min-vehicles` = wuliu's `Objective::MinVehicles`; the peers get a
fixed cost per used vehicle larger than any plan's total distance, so saving a vehicle always pays. `min-cost` =
distance only.

**Solvers.** wuliu: `wuliu_dispatch::solve` through `crates/dispatch/examples/solve_pdptw.rs`, 2 threads, seed 1.
VROOM: pyvroom, shipments, `exploration_level=5`, 2 threads, `timeout` = the limit (it often stops earlier).
OR-Tools: routing with `AddPickupAndDelivery` (+ same vehicle, pickup time <= delivery time), time and capacity
dimensions, `PARALLEL_CHEAPEST_INSERTION` then `GUIDED_LOCAL_SEARCH` until the limit (single-threaded).
PyVRP 0.14 (it has shipments since 0.14): `Model.add_shipment`, `MaxRuntime(limit)`, seed 1, one thread.
Wall times include Python set-up of the peers and the process start of wuliu. The runs are niced (`nice -n 10`).
NOTES
  echo
  echo "## Results"
  "$VENV/bin/python" bench/dispatch/pdptw.py --report "$OUT"/pdptw-*.jsonl
} > "${RESULTS:-bench/dispatch/RESULTS_PDPTW.md}"
cat "${RESULTS:-bench/dispatch/RESULTS_PDPTW.md}"
