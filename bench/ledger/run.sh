#!/usr/bin/env bash
# Benchmark of wuliu-ledger: durable capture throughput, proofs and chain-of-custody queries on a
# log of 1 million events. One command: bench/ledger/run.sh   (EVENTS=200000 for a shorter run)
# Writes bench/ledger/RESULTS.md. Work files (about 700 MiB) go to target/bench-ledger and are
# deleted after. cargo runs the benchmark from crates/ledger, hence the absolute paths.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
EVENTS="${EVENTS:-1000000}"
REPEATS="${REPEATS:-3}"
echo "building (release)…" >&2
nice -n 10 cargo bench -p wuliu-ledger --bench ledger --no-run
exec nice -n 10 cargo bench -p wuliu-ledger --bench ledger -- \
  --events "$EVENTS" --repeats "$REPEATS" --work "$ROOT/target/bench-ledger" \
  --out "$ROOT/bench/ledger/RESULTS.md" --command "EVENTS=$EVENTS REPEATS=$REPEATS bench/ledger/run.sh"
