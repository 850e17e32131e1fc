#!/usr/bin/env bash
# Property-based API test: runs `wuliu serve --demo` on a temporary SQLite database and a free
# loopback port, then schemathesis against the server's own /openapi.json with the demo admin token,
# every check, and a bounded number of examples per operation (a few minutes on two cores).
# Exits non-zero when schemathesis finds anything. Findings and fixes: bench/schemathesis/FINDINGS.md.
#
#   bash scripts/schemathesis.sh                 # builds the CLI first
#   WULIU_BIN=path/to/wuliu MAX_EXAMPLES=50 bash scripts/schemathesis.sh [extra `st run` options]
#
# Environment: WULIU_BIN (server binary; default: cargo build --release -p wuliu), MAX_EXAMPLES
# (per operation, default 25), SEED (default 1), REPORT_DIR (default bench/schemathesis/report).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

bash scripts/python-tools.sh >/dev/null
st="$root/.venv-tools/bin/st"

if [ -z "${WULIU_BIN:-}" ]; then
    cargo build --release -p wuliu >&2
    WULIU_BIN="$root/target/release/wuliu"
fi
max_examples=${MAX_EXAMPLES:-25}
seed=${SEED:-1}
report_dir=${REPORT_DIR:-$root/bench/schemathesis/report}

work=$(mktemp -d)
server_pid=""
cleanup() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill "$server_pid"
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
# The Monaco extract of the road tests, so that the road endpoints answer routes rather than 503.
"$WULIU_BIN" road prepare crates/road/tests/data/monaco.osm.pbf --profile car --out "$work/monaco.road" >/dev/null 2>&1
"$WULIU_BIN" --database-url "sqlite://$work/wuliu.db?mode=rwc" serve --demo --road "$work/monaco.road" \
    --listen "127.0.0.1:$port" --ledger-dir "$work/ledger" >"$work/server.log" 2>&1 &
server_pid=$!

for _ in $(seq 1 120); do
    if python3 -c "import urllib.request, sys; urllib.request.urlopen(sys.argv[1], timeout=1)" "$base/health" 2>/dev/null; then
        break
    fi
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; echo "schemathesis.sh: the server exited" >&2; exit 2; }
    sleep 0.5
done
token=$(sed -n 's/.*admin token[^:]*: \(wl_[0-9a-f]*\).*/\1/p' "$work/server.log" | head -n 1)
[ -n "$token" ] || { cat "$work/server.log" >&2; echo "schemathesis.sh: no admin token printed" >&2; exit 2; }

# Engine time budgets and waits are pinned so that no generated request runs a solver for minutes;
# every other parameter is generated.
# A stale If-Match (412) depends on the server's state, like the 409 schemathesis already expects.
# positive_data_acceptance is left out of the run: the requests it flags are refused by rules a schema
# cannot state (references to other records, ownership, a point near a road, cursors the server
# issued); bench/schemathesis/FINDINGS.md lists them. Every other check runs.
cat >"$work/schemathesis.toml" <<'EOF'
[checks.positive_data_acceptance]
expected-statuses = ["2xx", "3xx", "401", "403", "404", "409", "412", "429", "5xx"]

# A stale If-Match is answered (412) before the body is read, so an invalid body may get a 412.
[checks.negative_data_rejection]
expected-statuses = ["400", "401", "403", "404", "405", "406", "409", "412", "413", "415", "422", "428", "429"]

[[operations]]
include-path-regex = "^/api/v1/(loading|dispatch|matching)/"
parameters = { "query.time" = 0.2 }

[[operations]]
include-name = "POST /api/v1/dispatch/plans"
parameters = { "query.time" = 0.2, "query.wait" = false }

[[operations]]
include-name = "GET /api/v1/dispatch/plans/{id}"
parameters = { "query.wait" = 0 }
EOF

echo "schemathesis.sh: $("$st" --version) against $base (server pid $server_pid), $max_examples examples per operation, seed $seed"
mkdir -p "$report_dir"
status=0
"$st" --config-file "$work/schemathesis.toml" run "$base/openapi.json" \
    --header "Authorization: Bearer $token" \
    --checks all \
    --exclude-checks positive_data_acceptance \
    --phases examples,coverage,fuzzing \
    --max-examples "$max_examples" \
    --seed "$seed" \
    --request-timeout 30 \
    --workers 2 \
    --suppress-health-check all \
    --report junit,ndjson --report-dir "$report_dir" \
    "$@" || status=$?
# A "Runtime Error" raised inside schemathesis or hypothesis themselves (not an answer of the server)
# is reported but does not fail the run; every check failure and every other error does.
junit=$(ls -t "$report_dir"/junit-*.xml 2>/dev/null | head -n 1)
if [ "$status" -ne 0 ] && [ -n "$junit" ]; then
    failures=$(sed -n 's/.*<testsuites errors="\([0-9]*\)" failures="\([0-9]*\)".*/\2/p' "$junit")
    errors=$(grep -c '<error type="error">' "$junit" || true)
    internal=$(grep -c '<error type="error">Runtime Error' "$junit" || true)
    if [ "${failures:-1}" = 0 ] && [ "$errors" = "$internal" ]; then
        echo "schemathesis.sh: no findings; $internal error(s) inside schemathesis itself (see $junit)"
        status=0
    fi
fi
if grep -q "panicked" "$work/server.log"; then
    echo "schemathesis.sh: the server panicked:" >&2
    grep -A3 "panicked" "$work/server.log" >&2
    status=1
fi
exit "$status"
