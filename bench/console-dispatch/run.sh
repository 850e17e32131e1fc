#!/usr/bin/env bash
# The dispatcher's page benchmark of issue 26: #/dispatch plans and draws 200 orders × 20 vehicles;
# time from the click on "plan" to the last route drawn (median and p90), split into the solve
# request and drawing, measured with the page's performance.mark()s in headless Chromium.
#
# One command: bench/console-dispatch/run.sh
#   RUNS=7          timed plans after one warm-up (at least 5)
#   SOLVE_TIME=2    the solver's budget in seconds (the page's default)
#   APPEND=0        print the table without appending it to BENCHMARKS.md
# Needs Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver).
#
# It starts `wuliu serve --demo` on a temporary database (with whatever road network the demo
# loads), posts the 200 orders as demo-shipper through the API, opens the page with 20 hired vans
# and clicks "plan" (crates/cli/tests/console_dispatch_bench.rs, an ignored test). Progress goes to
# stderr; the table to stdout and, unless APPEND=0, to the end of BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
export RUNS="${RUNS:-7}"
export SOLVE_TIME="${SOLVE_TIME:-2}"
if [ "${APPEND:-1}" = "1" ]; then export BENCH_APPEND=1; fi
if [ "$RUNS" -lt 5 ]; then echo "RUNS must be at least 5" >&2; exit 2; fi
echo "building (release) and running $RUNS plans of 200 orders × 20 vehicles…" >&2
cargo test --release -p wuliu --test console_dispatch_bench -- --ignored --nocapture
