#!/usr/bin/env bash
# One-command VRPTW benchmark: wuliu-dispatch vs VROOM (pyvroom) vs OR-Tools (GLS) vs PyVRP (HGS).
#
#   bench/dispatch/run.sh            # default subset: 56 Solomon @ 5 s; 30 Homberger-200 (k = 1, 3, 5, 7, 9 of each class) @ 5 s and 30 s
#   FULL=1 bench/dispatch/run.sh     # the full grid: 56 Solomon + 60 Homberger-200, each @ 5 s and 30 s
#   RESUME=1 ...                     # keep earlier results in target/bench-dispatch/*.jsonl and skip them
#   SOLVERS=wuliu ...                # rerun only some solvers (default wuliu,vroom,ortools,pyvrp)
#   HOM_K="1 2 3" HOM_LIMITS=30 ...  # choose the Homberger-200 instances (k of each class) and time limits
#   SOL_ONLY_LIMITS="" ...           # Solomon time limits ("" skips Solomon)
#   RESULTS=path ...                 # where the report goes (default bench/dispatch/RESULTS.md)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
OUT=$ROOT/target/bench-dispatch
VENV=$OUT/venv
mkdir -p "$OUT"
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import vroom, ortools, pyvrp" 2>/dev/null; then
  echo "== creating Python venv with pyvroom, ortools and pyvrp in $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q pyvroom==1.15.2 'ortools==9.15.*' 'pyvrp==0.14.*'
fi
echo "== building wuliu-dispatch (release)"
cargo build --release -q -p wuliu-dispatch --example solve_vrptw
SOLVERS=${SOLVERS:-wuliu,vroom,ortools,pyvrp}
PY="nice -n 5 $VENV/bin/python bench/dispatch/bench.py"
SOL=(crates/dispatch/tests/data/solomon/*.txt)
if [ "${FULL:-0}" = 1 ]; then
  HOM=(bench/dispatch/data/homberger200/*.txt)
  SOL_LIMITS="5 30"
else
  HOM=()
  for c in c1 c2 r1 r2 rc1 rc2; do for k in ${HOM_K:-1 3 5 7 9}; do HOM+=("bench/dispatch/data/homberger200/${c}_2_$k.txt"); done; done
  SOL_LIMITS="5"
fi
SOL_LIMITS=${SOL_ONLY_LIMITS-$SOL_LIMITS}
if [ "${RESUME:-0}" != 1 ]; then
  rm -f "$OUT"/solomon-*.jsonl "$OUT"/homberger-*.jsonl
fi
for t in $SOL_LIMITS; do
  echo "== Solomon, ${#SOL[@]} instances, $t s each, solvers $SOLVERS"
  $PY --out "$OUT/solomon-$t.jsonl" --time "$t" --solvers "$SOLVERS" "${SOL[@]}"
done
for t in ${HOM_LIMITS:-5 30}; do
  echo "== Gehring-Homberger 200, ${#HOM[@]} instances, $t s each, solvers $SOLVERS"
  $PY --out "$OUT/homberger-$t.jsonl" --time "$t" --solvers "$SOLVERS" "${HOM[@]}"
done
{
  echo "# bench/dispatch results"
  echo
  echo "Command: \`bench/dispatch/run.sh\`$( [ "${FULL:-0}" = 1 ] && echo ' with FULL=1')"
  echo "Date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit $(git rev-parse --short HEAD)"
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB RAM, shared with other jobs (noisy)."
  echo "Peers: pyvroom $("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("pyvroom"))'), ortools $("$VENV/bin/python" -c 'import ortools; print(ortools.__version__)'), pyvrp $("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("pyvrp"))')."
  echo
  echo "Distances: every solver gets the integer matrix ceil(100 x Euclidean) as travel cost and travel time"
  echo "(time windows and service times x100). Each returned plan is re-checked by wuliu-dispatch's checker"
  echo "on the exact double-precision Euclidean matrix, and the exact route length is what is reported."
  echo
  echo "What ran: see the instance counts in each table below and the notes at the end."
  echo "solvers $SOLVERS, each on 2 threads where it can use them (OR-Tools routing and PyVRP are single-threaded)."
  echo
  "$VENV/bin/python" bench/dispatch/bench.py --report "$OUT"/solomon-*.jsonl "$OUT"/homberger-*.jsonl
  echo
  cat bench/dispatch/notes.md
} > "${RESULTS:-bench/dispatch/RESULTS.md}"
cat "${RESULTS:-bench/dispatch/RESULTS.md}"
