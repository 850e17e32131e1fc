#!/usr/bin/env bash
# Benchmark of wuliu-ledger: durable capture throughput, proofs and chain-of-custody queries on a
# log of 1 million events, against the pymerkle peer (PyPI) and the published Tessera figure.
# One command: bench/ledger/run.sh   (EVENTS=200000 for a shorter run; NO_PEER=1 to skip the peer)
# Writes bench/ledger/RESULTS.md. Work files (about 700 MiB) go to target/bench-ledger and are
# deleted after. cargo runs the benchmark from crates/ledger, hence the absolute paths.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
EVENTS="${EVENTS:-1000000}"
REPEATS="${REPEATS:-3}"
WORK="$ROOT/target/bench-ledger"
mkdir -p "$WORK"
PEER_ARGS=()
if [ -z "${NO_PEER:-}" ]; then
  VENV="$ROOT/target/bench-venvs/ledger"
  if [ ! -x "$VENV/bin/python" ]; then
    echo "creating peer venv in $VENV…" >&2
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet "pymerkle==7.0.0"
  fi
  nice -n 10 "$VENV/bin/python" "$ROOT/bench/ledger/peer_pymerkle.py" "$EVENTS" "$WORK" "$WORK/peer-pymerkle.json" "$REPEATS"
  PEER_ARGS=(--peer "$WORK/peer-pymerkle.json")
fi
echo "building (release)…" >&2
nice -n 10 cargo bench -p wuliu-ledger --bench ledger --no-run
exec nice -n 10 cargo bench -p wuliu-ledger --bench ledger -- \
  --events "$EVENTS" --repeats "$REPEATS" --work "$WORK" "${PEER_ARGS[@]}" \
  --out "$ROOT/bench/ledger/RESULTS.md" --command "EVENTS=$EVENTS REPEATS=$REPEATS bench/ledger/run.sh"
