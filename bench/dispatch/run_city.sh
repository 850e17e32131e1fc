#!/usr/bin/env bash
# Breaks-and-skills city set: wuliu-dispatch vs VROOM (pyvroom) on 12 generated VROOM documents over the demo's
# Liuzhou stores and depots (bench/dispatch/city.py), same matrix (Wuliu's road engine on the demo's synthetic
# network), every answer re-checked by wuliu-dispatch's checker (examples/check_vroom_answer.rs).
#
#   bench/dispatch/run_city.sh          # generate (seeded), solve, write bench/dispatch/RESULTS_CITY.md
#   RESUME=1 ...                        # keep the stored results and solve only the instances missing there
#   REPORT_ONLY=1 ...                   # rewrite RESULTS_CITY.md from the stored results
#   LOCK=/path ...                      # the lock every solver run takes (default /tmp/w/bench.lock)
#   NOTE="text" ...                     # a "What ran" note for the report
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
OUT=$CARGO_TARGET_DIR/bench-city
VENV=$CARGO_TARGET_DIR/bench-dispatch/venv
PY="$VENV/bin/python bench/dispatch/city.py"
mkdir -p "$OUT"
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import vroom" 2>/dev/null; then
  echo "== creating Python venv with pyvroom in $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q pyvroom==1.15.2
fi

if [ "${REPORT_ONLY:-0}" != 1 ]; then
  echo "== building wuliu and the answer checker (release)"
  cargo build --release -q -p wuliu --bin wuliu
  cargo build --release -q -p wuliu-dispatch --example check_vroom_answer
  if [ ! -f "$OUT/liuzhou.road" ]; then
    echo "== the demo's synthetic Liuzhou road network (seed 2025), prepared for a 40 t, 4 m truck"
    "$CARGO_TARGET_DIR/release/wuliu" road synth --seed 2025 --out "$OUT/liuzhou.osm.pbf"
    "$CARGO_TARGET_DIR/release/wuliu" road prepare "$OUT/liuzhou.osm.pbf" --weight-t 40 --height-m 4 \
      --out "$OUT/liuzhou.road"
  fi
  echo "== generating the 12 documents"
  if [ "${RESUME:-0}" != 1 ]; then rm -rf "$OUT/docs" "$OUT/answers" "$OUT/results.jsonl"; fi
  $PY gen --network "$OUT/liuzhou.road" --wuliu "$CARGO_TARGET_DIR/release/wuliu" --out "$OUT/docs"
  echo "== solving (each run under flock ${LOCK:-/tmp/w/bench.lock}, niced)"
  $PY run --docs "$OUT/docs" --out "$OUT/answers" --results "$OUT/results.jsonl"
fi

{
  echo "# bench/dispatch city set: breaks and skills (wuliu vs VROOM)"
  echo
  echo "Command: \`bench/dispatch/run_city.sh\`."
  echo "Date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit $(git rev-parse --short HEAD)"
  if [ -n "${NOTE:-}" ]; then echo "What ran: $NOTE"; fi
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB RAM, shared with other jobs (each solver run"
  echo "held /tmp/w/bench.lock, so no other benchmark ran at the same time; builds and other work may have)."
  echo "Peer: pyvroom $("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("pyvroom"))')."
  echo
  cat <<'NOTES'
## The set

12 VROOM documents from `bench/dispatch/city.py gen` (seeded, reproducible): 50, 100 and 200 jobs, each with wide
store hours (60 % of jobs 08:00-18:00, the rest any time) and with tight slots (one 1-2 h slot between 08:00 and
18:00, one job in five two slots, morning and afternoon), two seeds each.

- **Places** are the demo's (crates/demo): 2-4 depots drawn from six city distribution centres of the demo's
  key-project table (新柳邕 market, 康宏 and 柳工 cold-chain parks, 快销品物流园, 京东 e-commerce centre, 医药配送中心),
  located as the demo locates facilities (district centre plus `jittered_centre`'s FNV-1a jitter); stores drawn
  as the demo draws its 生鲜超市 consignees (same districts and weights, 3 in 16 in the counties 柳城, 鹿寨, 融安,
  40-100 km out); one store in ten takes two deliveries (setup is spent once).
- **Matrix**: durations and distances between all places from Wuliu's road engine (`wuliu road table`) on the
  demo's synthetic Liuzhou network (`wuliu road synth --seed 2025`, synthetic roads, not real ones), prepared
  for a 40 t truck, rounded to whole seconds and metres and written into each document (`location_index`), so
  both solvers see exactly the same input. No haversine fallback was needed (every pair is reachable).
- **Jobs**: delivery of 30-400 kg and 2.5-5 litres per kg (dimensions kg, litres), service 4 min + 0.9 s/kg,
  setup 3-10 min; skills refrigerated = 1 (30 %), tail lift = 2 (20 %), hazmat = 3 (6 % of non-refrigerated).
- **Vehicles** (about one per seven jobs): the demo's city trucks, van 800 kg / 4.55 m³, 4.2 m box 1495 kg /
  16.4 m³, 4.2 m reefer 1400 kg / 13.7 m³ (skill 1), 6.8 m box 9900 kg / 39.7 m³; tail lift on 40 % of non-vans,
  hazmat on 15 % of boxes, plus one vehicle per skill combination the jobs need; start and end at a depot; shifts
  of 9-11 h starting 06:00-08:00; every driver a 45-minute lunch break in 11:30-13:30 and 70 % a second
  15-minute break (2-3.5 h into the shift, or 15:00-16:30); `max_tasks` 8-12 on 30 % of vans and 4.2 m boxes.
- **Objective**: VROOM's default, travel time (costs per hour 3600, so cost = seconds of driving), for both.

## How it is measured

VROOM: pyvroom `Input.from_json` on the document, `solve(exploration_level=5, nb_threads=2)` (no timeout: it
stops by itself); its solve time is "time". Wuliu: `wuliu dispatch solve DOC --time Ns --threads 2` (seed 1),
with N = VROOM's time rounded up (at least 1 s), "wuliu-eq", and with N = 5 s, "wuliu-5s"; "time" is the
process's wall time. **Every answer, VROOM's and Wuliu's alike, is re-checked** by
`crates/dispatch/examples/check_vroom_answer.rs`: the routes (jobs and breaks in the answer's order) are
converted to visits (`vroom::Output::to_visits`), re-timed by `Solution::from_visits` and checked by
`wuliu_dispatch::check` (windows, shifts, capacity in both dimensions, skills, setup, max_tasks, every break once
in its window); cost, vehicles, unassigned and breaks below are the checker's figures. "breaks" = break steps on
the used routes / breaks the used vehicles have. Runs are niced and each holds the benchmark lock.

**Two break semantics.** Wuliu's model (and so its checker) takes a break *where the vehicle is*: at the stop it
has just served, with no travel during the break. VROOM's breaks have no location and may fall *during the drive*
between two tasks (VROOM-Project/vroom#186, "taken at the right time wherever the vehicle is"): VROOM's answer may
leave a stop at 10:01, take the lunch at 11:30 "on the way" and arrive at 13:20 after a 2.2 h drive, which under
Wuliu's model means waiting at the stop until 11:30 and arriving at 14:05. So VROOM's answers are checked twice:
by Wuliu's checker (column "wuliu checker") and by `city.py`'s `leg_check`, which applies VROOM's semantics to the
answer's own times (between two tasks the breaks lie within [departure, next service start], do not overlap and
leave at least the travel time; every service and break start in its windows; shift, capacity, skills,
max_tasks, each break once, each job once). Wuliu's answers are checked the same two ways. VROOM solves the looser
problem, so its cost is a slightly optimistic reference for Wuliu's.
NOTES
  echo
  echo "## Results"
  echo
  $PY report "$OUT/results.jsonl" --docs "$OUT/docs" --answers "$OUT/answers"
} > bench/dispatch/RESULTS_CITY.md
cat bench/dispatch/RESULTS_CITY.md
