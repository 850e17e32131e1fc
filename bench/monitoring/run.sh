#!/usr/bin/env bash
# Monitoring benchmarks: the JT/T 808 gateway (connections held, durable throughput, ack latency)
# and the rule engine's synthetic day. Writes bench/monitoring/RESULTS.md and prints it.
#
#   bench/monitoring/run.sh                                   # SQLite only
#   WULIU_BENCH_PG=postgres://postgres@127.0.0.1/postgres bench/monitoring/run.sh   # + PostgreSQL
#
# Knobs (environment): HOLD_CONNECTIONS (100000), HOLD_S (60), HEARTBEAT_S (30), CONNECT_RATE
# (6000 per second in all), TP_TERMINALS (1000), TP_PIPELINE (8), TP_S (30), LAT_TERMINALS (1000),
# LAT_RATE (10000), LAT_S (30), RUNS (3), SKIP (space-separated phases to skip: hold tp lat pg day).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
OUT="$ROOT/bench/monitoring"
COMMAND="$0${WULIU_BENCH_PG:+ (WULIU_BENCH_PG set)}"

HOLD_CONNECTIONS=${HOLD_CONNECTIONS:-100000}
HOLD_S=${HOLD_S:-60}
HEARTBEAT_S=${HEARTBEAT_S:-30}
CONNECT_RATE=${CONNECT_RATE:-6000}
TP_TERMINALS=${TP_TERMINALS:-1000}
TP_PIPELINE=${TP_PIPELINE:-8}
TP_S=${TP_S:-30}
LAT_TERMINALS=${LAT_TERMINALS:-1000}
LAT_RATE=${LAT_RATE:-10000}
LAT_S=${LAT_S:-30}
RUNS=${RUNS:-3}
SKIP=${SKIP:-}
VEHICLES=$(( TP_TERMINALS > LAT_TERMINALS ? TP_TERMINALS : LAT_TERMINALS ))

skip() { [[ " $SKIP " == *" $1 "* ]]; }
say() { printf '\n=== %s\n' "$*" >&2; }

# --- build ------------------------------------------------------------------------------------
say "building release binaries"
cargo build --release -p wuliu-gateway --example loadgen
cargo build --release -p wuliu
WULIU="$ROOT/target/release/wuliu"
LOADGEN="$ROOT/target/release/examples/loadgen"

# --- limits -------------------------------------------------------------------------------------
# Each TCP connection is a file descriptor in the gateway and one in the load generator. Raising
# the hard limit needs CAP_SYS_RESOURCE; in a container without it the hard limit stays, and the
# hold phase below spreads the connections over several gateway processes instead.
ulimit -n 1048576 2>/dev/null || ulimit -n "$(ulimit -Hn)"
FD_LIMIT=$(ulimit -n)
sysctl -qw net.ipv4.ip_local_port_range="1024 65000" 2>/dev/null || true
sysctl -qw net.core.somaxconn=65535 2>/dev/null || true
sysctl -qw net.ipv4.tcp_max_syn_backlog=65535 2>/dev/null || true
PORT_RANGE=$(sysctl -n net.ipv4.ip_local_port_range | tr '\t' ' ')
say "file descriptors per process: $FD_LIMIT; ephemeral ports: $PORT_RANGE"

WORK=$(mktemp -d /tmp/wuliu-bench.XXXXXX)
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap cleanup EXIT
say "work directory $WORK"

# --- helpers ------------------------------------------------------------------------------------
# kv FILE KEY: the value of KEY in the RESULT line(s) of FILE, one per line.
kv() { { grep '^RESULT ' "$1" || true; } | tr ' ' '\n' | sed -n "s/^$2=//p"; }
median() { python3 -c 'import statistics,sys; v=[float(x) for x in sys.stdin.read().split() if x not in ("nan","-")]; m=statistics.median(v) if v else None; print("-" if m is None else f"{m:.0f}" if abs(m) >= 100 else f"{m:.1f}")'; }
sum() { python3 -c 'import sys; v=[float(x) for x in sys.stdin.read().split() if x != "-"]; print(f"{sum(v):.0f}")'; }
rss_mib() { awk '/^VmRSS:/ {printf "%.0f", $2/1024}' "/proc/$1/status" 2>/dev/null || echo -; }
# A TCP port nothing listens on now (other services on this machine use the usual ones).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_port() {
    for _ in $(seq 1 300); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.1
    done
    echo "nothing listens on port $1" >&2
    return 1
}
# Seeds DBURL with one carrier and $VEHICLES vehicles; plates go to $WORK/plates.txt.
seed() {
    local db=$1
    python3 "$OUT/seed.py" party "$WORK/party.json"
    "$WULIU" --database-url "$db" import parties "$WORK/party.json" >&2
    local carrier
    carrier=$("$WULIU" --database-url "$db" export parties 2>/dev/null |
        jq -r '.[] | select(.external_id == "BENCH-CARRIER") | .id')
    python3 "$OUT/seed.py" vehicles "$carrier" "$VEHICLES" "$WORK/vehicles.json" "$WORK/plates.txt"
    "$WULIU" --database-url "$db" import vehicles "$WORK/vehicles.json" >&2
}
# Starts `wuliu serve` (the HTTP API, with the gateway on 127.0.0.1:$JT_PORT) over DBURL, the
# periodic rule runs off so that they do not share the measured window; sets GW_PID.
start_serve() {
    local db=$1 name=$2
    JT_PORT=$(free_port)
    "$WULIU" --database-url "$db" --log-format text serve --listen "127.0.0.1:$(free_port)" \
        --ledger-dir "$WORK/ledger-$name" --jt808 "127.0.0.1:$JT_PORT" --auth-timeout 3600 \
        --monitor-every 0 >"$WORK/serve-$name.log" 2>&1 &
    GW_PID=$!
    PIDS+=("$GW_PID")
    wait_port "$JT_PORT"
}
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
# Distinct report times for every run, so no run's positions duplicate another's.
RUN_SEQ=0
next_start_time() { RUN_SEQ=$((RUN_SEQ + 1)); echo $(( $(date +%s) - 30 * 86400 + RUN_SEQ * 20000 )); }

# report_runs NAME ARGS…: RUNS runs of `loadgen report`; results in $WORK/NAME-R.out. The
# loadgen samples the gateway's and its own CPU over the measured window.
report_runs() {
    local name=$1; shift
    for r in $(seq 1 "$RUNS"); do
        say "$name run $r/$RUNS: loadgen report $*"
        "$LOADGEN" report --addr "127.0.0.1:$JT_PORT" --plates-file "$WORK/plates.txt" \
            --start-time "$(next_start_time)" --pid "$GW_PID" "$@" >"$WORK/$name-$r.out"
        echo "RESULT loadavg=$(cut -d' ' -f1 /proc/loadavg)" >>"$WORK/$name-$r.out"
        grep '^RESULT' "$WORK/$name-$r.out" >&2
    done
}
# Median of KEY over the runs of NAME.
med() { for r in $(seq 1 "$RUNS"); do kv "$WORK/$1-$r.out" "$2"; done | median; }
all() { for r in $(seq 1 "$RUNS"); do kv "$WORK/$1-$r.out" "$2"; done | paste -sd/ -; }

# --- (a) hold -----------------------------------------------------------------------------------
HOLD_ROWS=""
if ! skip hold; then
    say "(a) hold $HOLD_CONNECTIONS connections with heartbeats every ${HEARTBEAT_S}s for ${HOLD_S}s"
    DB="sqlite:$WORK/hold.db"
    "$WULIU" --database-url "$DB" migrate >&2
    # A gateway process can hold at most FD_LIMIT connections (less its own files); past that,
    # the connections are spread over several gateway processes on this machine, each with its
    # own load generator (which has the same limit).
    per=$(( FD_LIMIT - 2000 ))
    (( per > HOLD_CONNECTIONS )) && per=$HOLD_CONNECTIONS
    procs=$(( (HOLD_CONNECTIONS + per - 1) / per ))
    per=$(( (HOLD_CONNECTIONS + procs - 1) / procs ))
    say "$procs gateway process(es) × $per connections"
    GWS=()
    PORTS=()
    base_rss=0
    for k in $(seq 0 $((procs - 1))); do
        PORTS+=("$(free_port)")
        "$WULIU" --database-url "$DB" --log-format text gateway --listen "127.0.0.1:${PORTS[$k]}" \
            --max-connections 120000 --auth-timeout 3600 >"$WORK/hold-gw-$k.log" 2>&1 &
        GWS+=("$!"); PIDS+=("$!")
    done
    for k in $(seq 0 $((procs - 1))); do wait_port "${PORTS[$k]}"; done
    # `ss` filter for connections to the gateways.
    SS_FILTER="( $(printf 'sport = :%s or ' "${PORTS[@]}" | sed 's/ or $//') )"
    sleep 1
    for p in "${GWS[@]}"; do base_rss=$(( base_rss + $(rss_mib "$p") )); done
    LGS=()
    for k in $(seq 0 $((procs - 1))); do
        "$LOADGEN" hold --addr "127.0.0.1:${PORTS[$k]}" --connections "$per" --source-count 8 \
            --connect-rate $(( CONNECT_RATE / procs )) --heartbeat-s "$HEARTBEAT_S" \
            --duration-s "$HOLD_S" --phone-base $(( 50000000 + k * 1000000 )) \
            --pid "${GWS[$k]}" --threads 1 >"$WORK/hold-$k.out" 2>"$WORK/hold-$k.err" &
        LGS+=("$!"); PIDS+=("$!")
    done
    # Progress: connections established to the gateways, every 5 s, until all loadgens hold.
    t0=$(date +%s)
    while :; do
        sleep 5
        est=$(ss -Htn state established "$SS_FILTER" | wc -l)
        holding=$( (grep -l 'hold: holding' "$WORK"/hold-*.err 2>/dev/null || true) | wc -l)
        echo "  t=$(( $(date +%s) - t0 ))s established at the gateways: $est; loadgens holding: $holding/$procs" >&2
        (( holding == procs )) && break
    done
    sleep $(( HOLD_S / 2 ))
    MID_EST=$(ss -Htn state established "$SS_FILTER" | wc -l)
    MID_RSS=0; for p in "${GWS[@]}"; do MID_RSS=$(( MID_RSS + $(rss_mib "$p") )); done
    echo "  mid-hold: $MID_EST connections established at the gateways, gateway RSS $MID_RSS MiB" >&2
    for p in "${LGS[@]}"; do wait "$p"; done
    cat "$WORK"/hold-*.out >&2
    HELD=$(cat "$WORK"/hold-*.out | kv /dev/stdin held | sum)
    MIN_HELD=$(cat "$WORK"/hold-*.out | kv /dev/stdin min_held | sum)
    LOST=$(cat "$WORK"/hold-*.out | kv /dev/stdin lost | sum)
    FAILED=$(cat "$WORK"/hold-*.out | kv /dev/stdin connect_failed | sum)
    ACKS=$(cat "$WORK"/hold-*.out | kv /dev/stdin acks_per_s | sum)
    EXPECTED=$(cat "$WORK"/hold-*.out | kv /dev/stdin expected_per_s | sum)
    RSS=$(cat "$WORK"/hold-*.out | kv /dev/stdin gateway_rss_mib | sum)
    LG_RSS=$(cat "$WORK"/hold-*.out | kv /dev/stdin loadgen_rss_mib | sum)
    CONNECT_S=$(cat "$WORK"/hold-*.out | kv /dev/stdin connect_s | sort -n | tail -1)
    PER_CONN=$(python3 -c "print(f'{($RSS-$base_rss)*1024/max($HELD,1):.1f}')")
    GW_CPU=$(cat "$WORK"/hold-*.out | kv /dev/stdin gateway_cpu_pct | sum)
    LG_CPU=$(cat "$WORK"/hold-*.out | kv /dev/stdin loadgen_cpu_pct | sum)
    for p in "${GWS[@]}"; do stop "$p"; done
    HOLD_ROWS="| gateway processes × connections each | $procs × $per (file-descriptor limit per process: $FD_LIMIT) |
| connections held at the end (sum over loadgens) | **$HELD** of $((procs * per)) opened (lowest during the hold: $MIN_HELD) |
| established TCP connections on the gateways' ports mid-hold (\`ss\`) | $MID_EST |
| connect failures / connections lost | $FAILED / $LOST |
| connect phase (slowest loadgen) | ${CONNECT_S} s at $CONNECT_RATE/s in all |
| heartbeat acks/s (expected: held / ${HEARTBEAT_S} s) | **$ACKS** ($EXPECTED) |
| gateway RSS, all processes (idle before: $base_rss MiB) | **$RSS MiB** — $PER_CONN KiB per connection |
| CPU during the hold, gateway / load generators (% of one core) | $GW_CPU % / $LG_CPU % |
| load generators' RSS | $LG_RSS MiB |"
fi

# --- (b) and (c): SQLite ---------------------------------------------------------------------------
SQLITE_DB="sqlite:$WORK/bench.db"
TP_ROWS=""
LAT_ROWS=""
if ! skip tp || ! skip lat; then
    say "seeding $VEHICLES vehicles into $SQLITE_DB"
    seed "$SQLITE_DB"
    start_serve "$SQLITE_DB" sqlite
    if ! skip tp; then
        say "(b) SQLite: as fast as acks allow, $TP_TERMINALS terminals × $TP_PIPELINE in flight, ${TP_S}s"
        report_runs tp-sqlite --terminals "$TP_TERMINALS" --rate 0 --pipeline "$TP_PIPELINE" \
            --duration-s "$TP_S"
        TP_SQLITE=$(med tp-sqlite acked_per_s)
        TP_ROWS="| SQLite (WAL, synchronous=FULL), wuliu serve --jt808 | $TP_TERMINALS × $TP_PIPELINE | **$(med tp-sqlite acked_per_s)** ($(all tp-sqlite acked_per_s)) | $(med tp-sqlite p50_ms) | $(med tp-sqlite p99_ms) | $(all tp-sqlite errors) | $(med tp-sqlite gateway_cpu_pct) / $(med tp-sqlite loadgen_cpu_pct) | $(all tp-sqlite loadavg) |"
    fi
    if ! skip lat; then
        say "(c) SQLite: $LAT_RATE positions/s from $LAT_TERMINALS terminals, ${LAT_S}s"
        report_runs lat-sqlite --terminals "$LAT_TERMINALS" --rate "$LAT_RATE" --duration-s "$LAT_S"
        LAT_ROWS="| SQLite | $LAT_RATE | $(med lat-sqlite acked_per_s) | $(med lat-sqlite p50_ms) | $(med lat-sqlite p90_ms) | **$(med lat-sqlite p99_ms)** ($(all lat-sqlite p99_ms)) | $(med lat-sqlite max_ms) | $(all lat-sqlite errors) | $(all lat-sqlite skipped) | $(med lat-sqlite gateway_cpu_pct) / $(med lat-sqlite loadgen_cpu_pct) |"
    fi
    stop "$GW_PID"
fi

# --- (b) and (c): PostgreSQL ---------------------------------------------------------------------------
if [[ -n "${WULIU_BENCH_PG:-}" ]] && ! skip pg; then
    PGDB="wuliu_bench_$(date +%s)"
    say "PostgreSQL: fresh database $PGDB"
    psql "$WULIU_BENCH_PG" -qc "CREATE DATABASE $PGDB" >&2
    PG_URL="${WULIU_BENCH_PG%/*}/$PGDB"
    PG_FSYNC=$(psql "$WULIU_BENCH_PG" -Atc "show fsync")/$(psql "$WULIU_BENCH_PG" -Atc "show synchronous_commit")
    PG_VERSION=$(psql "$WULIU_BENCH_PG" -Atc "show server_version")
    seed "$PG_URL"
    start_serve "$PG_URL" pg
    if ! skip tp; then
        say "(b) PostgreSQL: as fast as acks allow"
        report_runs tp-pg --terminals "$TP_TERMINALS" --rate 0 --pipeline "$TP_PIPELINE" --duration-s "$TP_S"
        TP_PG=$(med tp-pg acked_per_s)
        TP_ROWS="$TP_ROWS
| PostgreSQL $PG_VERSION (fsync/synchronous_commit $PG_FSYNC, same machine) | $TP_TERMINALS × $TP_PIPELINE | **$(med tp-pg acked_per_s)** ($(all tp-pg acked_per_s)) | $(med tp-pg p50_ms) | $(med tp-pg p99_ms) | $(all tp-pg errors) | $(med tp-pg gateway_cpu_pct) / $(med tp-pg loadgen_cpu_pct) | $(all tp-pg loadavg) |"
    fi
    if ! skip lat; then
        say "(c) PostgreSQL: $LAT_RATE positions/s"
        report_runs lat-pg --terminals "$LAT_TERMINALS" --rate "$LAT_RATE" --duration-s "$LAT_S"
        LAT_ROWS="$LAT_ROWS
| PostgreSQL | $LAT_RATE | $(med lat-pg acked_per_s) | $(med lat-pg p50_ms) | $(med lat-pg p90_ms) | **$(med lat-pg p99_ms)** ($(all lat-pg p99_ms)) | $(med lat-pg max_ms) | $(all lat-pg errors) | $(all lat-pg skipped) | $(med lat-pg gateway_cpu_pct) / $(med lat-pg loadgen_cpu_pct) |"
    fi
    stop "$GW_PID"
    psql "$WULIU_BENCH_PG" -qc "DROP DATABASE $PGDB" >&2 || true
fi

# --- (d) rule engine day -------------------------------------------------------------------------
DAY=""
if ! skip day; then
    say "(d) cargo bench -p wuliu-monitor --bench day"
    cargo bench -p wuliu-monitor --bench day 2>&1 | tee "$WORK/day.out" >&2
    # The bench redraws its progress with carriage returns: keep the last "generating" line only.
    DAY=$(tr '\r' '\n' <"$WORK/day.out" |
        grep -v -E '^\s*(Compiling|Finished|Running|Blocking|warning)' | sed -e '/^$/d' |
        awk '/^generating/ {g = $0; next} g != "" {print g; g = ""} {print}')
fi

# --- results --------------------------------------------------------------------------------------
CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
MEM=$(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)
{
    echo "# Monitoring benchmarks"
    echo
    echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- crates || echo ' (with uncommitted changes in the tree)')"
    echo "- Machine: $(nproc) cores ($CPU), $MEM, Linux $(uname -r); load generator and gateway share the cores"
    echo "- Limits: $FD_LIMIT file descriptors per process (hard limit; raising it needs CAP_SYS_RESOURCE), ephemeral ports $PORT_RANGE"
    echo "- Command: \`$COMMAND\` (RUNS=$RUNS; HOLD_CONNECTIONS=$HOLD_CONNECTIONS HOLD_S=$HOLD_S HEARTBEAT_S=$HEARTBEAT_S; TP_TERMINALS=$TP_TERMINALS TP_PIPELINE=$TP_PIPELINE TP_S=$TP_S; LAT_TERMINALS=$LAT_TERMINALS LAT_RATE=$LAT_RATE LAT_S=$LAT_S)"
    echo "- Load average when the results were written: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine shows here)"
    echo
    if [[ -n "$HOLD_ROWS" ]]; then
        echo "## (a) Connections held with heartbeats — one run"
        echo
        echo "Goal: 100,000 concurrent terminal connections on this 2-core machine while heartbeats flow."
        echo "\`loadgen hold\`: connections from 127.0.0.1–127.0.0.8, one 0x0002 heartbeat per connection every ${HEARTBEAT_S} s spread evenly, held ${HOLD_S} s after the last connect."
        echo
        echo "| | |"
        echo "|---|---|"
        echo "$HOLD_ROWS"
        echo
    fi
    if [[ -n "$TP_ROWS" ]]; then
        echo "## (b) Durable throughput — median of $RUNS runs (all runs in brackets)"
        echo
        echo "Goal: ≥ 30,000 positions/s, each acknowledged (0x8001) only after its group commit is durable. \`loadgen report --rate 0\`: every terminal registered (0x0100) and authenticated (0x0102) first, then keeps its reports in flight; ${TP_S} s measured after a 3 s warm-up. CPU is % of one core over the measured window (200 % = both cores), gateway / load generator; the load average (1 min) after each run shows other work on the machine."
        echo
        echo "| store | terminals × in flight | acked positions/s | p50 ms | p99 ms | errors | CPU % gateway / loadgen | load avg |"
        echo "|---|---|---|---|---|---|---|---|"
        echo "$TP_ROWS"
        echo
    fi
    if [[ -n "$LAT_ROWS" ]]; then
        echo "## (c) Ack latency at a fixed rate — median of $RUNS runs"
        echo
        echo "Goal: p99 ≤ 50 ms at 10,000 positions/s. Latency from a report's send to its 0x8001 (matched by reply serial), durable store included."
        echo
        echo "| store | target/s | acked/s | p50 ms | p90 ms | p99 ms | max ms | errors | skipped (> 256 in flight) | CPU % gateway / loadgen |"
        echo "|---|---|---|---|---|---|---|---|---|---|"
        echo "$LAT_ROWS"
        echo
    fi
    if [[ -n "$DAY" ]]; then
        echo "## (d) Rule engine, one synthetic day — one run"
        echo
        echo "\`cargo bench -p wuliu-monitor --bench day\`"
        echo
        echo '```text'
        echo "$DAY"
        echo '```'
        echo
    fi
    echo "## Ratios to the issue's anchors (computed from this run)"
    echo
    ratio() { python3 -c "v='$1'; print('-' if v in ('', '-') else f'{float(v)/$2:.1f}×')"; }
    echo "- Connections held on 2 cores vs go-jt808's 100,000: $(ratio "${HELD:-}" 100000)"
    echo "- Durable positions/s vs go-jt808's 5,000/s on 2 cores: SQLite $(ratio "${TP_SQLITE:-}" 5000), PostgreSQL $(ratio "${TP_PG:-}" 5000)"
    echo "- Per core vs JT808Gateway's 100,000 msg/s on 12 vCPUs (8,333/s per vCPU): SQLite $(ratio "${TP_SQLITE:-}" 16667), PostgreSQL $(ratio "${TP_PG:-}" 16667) (our 2 cores also run the load generator)"
    echo
    cat "$OUT/NOTES.md"
} >"$OUT/RESULTS.md"
say "wrote $OUT/RESULTS.md"
cat "$OUT/RESULTS.md"
