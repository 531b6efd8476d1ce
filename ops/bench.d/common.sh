# Shared by the modes of ops/bench that drive a running stack (closed.sh, rate.sh, sustained.sh,
# latency.sh, drain.sh, deadlines.sh, linked.sh source it; report.sh and migrate.sh stand alone).
# Checks that ops/up's stack answers, and collects: what the stack has done so far (SQL, /metrics,
# the management API), the workers of ops/up (find, stop, start them as ops/up does), CPU and memory
# samples of /proc, the load generators. The figures are computed by figures.py (and each mode's
# MODE_figures.py), called through `py`.
#
# Processes measured: motcua-intake and motcua-workers (pid files of ops/up), postgres (the postmaster
# of .motcua-data and its children; memory as PSS, since every backend maps the shared buffers),
# beam.smp (RabbitMQ, its pid file), the load generator, the bench's own sampling, and "other": the
# rest of the machine (a build elsewhere shows up there). Per-run files are kept in $STATE/bench/.
# shellcheck shell=bash
set -euo pipefail
export LC_ALL=C  # a decimal point in $EPOCHREALTIME and printf
# shellcheck source=../lib.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
cd "$ROOT"
export STATE="${MOTCUA_STATE:-$ROOT/.motcua-data}" PG_PORT="${PG_PORT:-5432}" AMQP_PORT="${AMQP_PORT:-5672}" \
    MGMT_PORT="${MGMT_PORT:-15672}" DIST_PORT="${DIST_PORT:-25672}" NODE="${NODE:-motcua@localhost}"
port="${MOTCUA_HTTP_PORT:-8080}"
number() { if ! [[ "$2" =~ ^[0-9]+$ ]] || [ "$2" -eq 0 ]; then die "$1 must be a whole number above 0, not '$2'"; fi; }

[ -f "$STATE/dev-token" ] || [ -n "${MOTCUA_API_TOKENS:-}" ] || die "no token: run ops/up first"
export BENCH_TOKEN="${MOTCUA_API_TOKENS:-$(cat "$STATE/dev-token")=*}"; BENCH_TOKEN="${BENCH_TOKEN%%=*}"
curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 || die "intake does not answer on $port: run ops/up first"
psql_() { "$(pg_bin)/psql" -h 127.0.0.1 -p "$PG_PORT" -U motcua -d motcua -qtA -c "$1"; }
need() { command -v "$1" >/dev/null || { log "installing $2"; DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$2" >/dev/null; }; }
out="$STATE/bench"; mkdir -p "$out"

# The figures: `py SCRIPT COMMAND key=value …` runs ops/bench.d/SCRIPT. The python3 on PATH is
# resolved once (a pyenv shim costs 0.2 s a call) and runs without site (-S: the scripts need only the
# standard library, and a start costs ~20 ms instead of ~90).
command -v python3 >/dev/null || { as_root apt-get update -qq; need python3 python3; }
PYTHON="$(python3 -c 'import sys; print(sys.executable)')"
py() { "$PYTHON" -B -S "$ROOT/ops/bench.d/$1" "${@:2}"; }

# ---- what the stack has done so far ----------------------------------------------------------------
issued_count() { psql_ "SELECT count(*) FROM issued_dossiers"; }
recorded_count() { psql_ "SELECT count(*) FROM dossiers"; }
# A counter of intake's /metrics (0 if it is not there).
intake_metric() {
    curl -fsS --max-time 3 "http://127.0.0.1:$port/metrics" 2>/dev/null \
        | awk -v name="$1" '$1 == name { v = $2 } END { printf "%d\n", v }'
}
# Messages in the recorder's queue, ready + unacked, from the management API ("?" if it does not say).
queue_depth() {
    curl -fsS --max-time 3 -u guest:guest \
        "http://127.0.0.1:$MGMT_PORT/api/queues/%2F/motcua.recorder?columns=messages" 2>/dev/null \
        | sed -n 's/.*"messages":\([0-9]*\).*/\1/p' | grep . || echo "?"
}
# Intake's own timers: "ISSUE_SUM ISSUE_COUNT CONFIRM_SUM CONFIRM_COUNT HTTP_SUM HTTP_COUNT" (HTTP: 202s to
# POST /v1/dossiers, as intake measures them, from the request's head to the answer).
intake_timers() {
    curl -fsS --max-time 3 "http://127.0.0.1:$port/metrics" 2>/dev/null | awk '
        $1 == "motcua_intake_issue_seconds_sum" { is = $2 } $1 == "motcua_intake_issue_seconds_count" { ic = $2 }
        $1 == "motcua_intake_publish_confirm_seconds_sum" { cs = $2 } $1 == "motcua_intake_publish_confirm_seconds_count" { cc = $2 }
        /^http_server_request_duration_(sum|count)\{http_route="\/v1\/dossiers",http_request_method="POST",http_response_status_code="202"\}/ {
            if ($1 ~ /_sum/) hs = $2; else hc = $2 }
        END { print is + 0, ic + 0, cs + 0, cc + 0, hs + 0, hc + 0 }'
}
# Prints the means of intake's timers between two intake_timers lines.
intake_split() { py figures.py intake-split before="$1" after="$2"; }
# Waits until every code issued is in dossiers (at most 300 s); prints the seconds since $1.
await_recorded() {
    local since=$1 issued; issued="$(issued_count)"
    while [ "$(recorded_count)" -lt "$issued" ]; do
        sleep 0.05
        awk -v a="$EPOCHREALTIME" -v b="$since" 'BEGIN { exit !(a - b > 300) }' && die "not all recorded after 300 s"
    done
    awk -v a="$EPOCHREALTIME" -v b="$since" 'BEGIN { printf "%.2f\n", a - b }'
}

# ---- the workers of ops/up -------------------------------------------------------------------------
pidfile() { if [ -f "$1" ]; then head -n 1 "$1" | tr -d ' \n'; fi; }
# A process that still runs (a zombie, exited but not yet reaped, does not).
alive() { kill -0 "$1" 2>/dev/null && [ "$(awk '{ sub(/^.*\) /, ""); print $1 }' "/proc/$1/stat" 2>/dev/null)" != Z ]; }
# The live worker processes of ops/up (its pid files), one pid a line.
worker_pids() {
    local f pid
    for f in "$STATE"/run/workers-*.pid; do
        pid="$(pidfile "$f")"
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then echo "$pid"; fi
    done
}
# The port a process listens on (a worker's: its /metrics), empty if none. Found by pid, not assumed
# from 9464 + i: a port already taken (another stack's workers) costs a worker its metrics, and the
# process answering there is then not ours.
listen_port_of() { ss -ltnpH 2>/dev/null | awk -v pid="pid=$1," 'index($0, pid) { n = split($4, a, ":"); print a[n]; exit }'; }
# The /metrics of every live worker, one after the other.
worker_metrics() {
    local pid port
    for pid in $(worker_pids); do
        port="$(listen_port_of "$pid")"
        if [ -z "$port" ]; then log "warning: worker $pid serves no /metrics (its port was taken?): its figures are missing"; continue; fi
        curl -fsS --max-time 3 "http://127.0.0.1:$port/metrics" 2>/dev/null || true
    done
}
# How ops/up starts a worker, copied from a running worker (else from intake, which ops/up starts with
# the same environment): launch_bin, the folder of its program, and launch_env, its environment
# without MOTCUA_METRICS_PORT (ops/up gives each worker its own).
worker_launch() {
    local pid exe var running; mapfile -t running < <(worker_pids)
    pid="${running[0]:-$(pidfile "$STATE/run/intake.pid")}"
    { [ -n "$pid" ] && [ -r "/proc/$pid/environ" ]; } || die "no intake or worker of ops/up runs to copy the workers' program and environment from"
    exe="$(readlink "/proc/$pid/exe")"
    if [ "${exe% (deleted)}" != "$exe" ]; then
        exe="${exe% (deleted)}"; log "warning: $exe was rebuilt after ops/up started it: the drain runs the new build"
    fi
    launch_bin="$(dirname "$exe")"
    [ -x "$launch_bin/motcua-workers" ] || die "no $launch_bin/motcua-workers"
    launch_env=()
    while IFS= read -r -d '' var; do
        case "$var" in MOTCUA_METRICS_PORT=*) ;; *) launch_env+=("$var") ;; esac
    done < "/proc/$pid/environ"
}
# Starts worker I, metrics on PORT, as ops/up does (same log and pid file), with any further
# VARIABLE=VALUE words in its environment. setsid: a Ctrl-C of the bench does not reach it.
start_worker() {
    setsid nohup env -i "${launch_env[@]}" MOTCUA_METRICS_PORT="$2" "${@:3}" "$launch_bin/motcua-workers" --role all \
        >> "$STATE/logs/workers-$1.log" 2>&1 < /dev/null &
    echo $! > "$STATE/run/workers-$1.pid"
}
# Stops the workers of the pid files as ops/down does (SIGTERM: finish, ack, close; SIGKILL after 10 s).
stop_workers() {
    local f pid pids=()
    for f in "$STATE"/run/workers-*.pid; do
        [ -f "$f" ] || continue
        pid="$(pidfile "$f")"; rm -f "$f"
        if [ -n "$pid" ] && alive "$pid"; then kill -TERM "$pid"; pids+=("$pid"); fi
    done
    local left
    for _ in $(seq 1 100); do
        left=
        for pid in "${pids[@]}"; do if alive "$pid"; then left=1; break; fi; done
        [ -n "$left" ] || return 0
        sleep 0.1
    done
    for pid in "${pids[@]}"; do if alive "$pid"; then kill -KILL "$pid"; fi; done
}
# Leaves drain_before workers running as ops/up starts them (metrics on 9464, 9465, …). With "keep",
# the drain's workers stay if they are just that (drain.sh: drain_ports, workers).
# shellcheck disable=SC2034,SC2154 # drain_restore is read by the modes' exit traps; the rest they set
restore_workers() {
    local i keep=${1:-}
    drain_restore=
    if [ "$keep" = keep ] && [ "$workers" -eq "$drain_before" ]; then
        for i in $(seq 1 "$workers"); do
            { [ "${drain_ports[i]}" = $((9463 + i)) ] && alive "$(pidfile "$STATE/run/workers-$i.pid")"; } || keep=
        done
        if [ -n "$keep" ]; then log "the drain's $workers workers stay: they run as ops/up starts them"; return 0; fi
    fi
    stop_workers
    for i in $(seq 1 "$drain_before"); do start_worker "$i" $((9463 + i)); done
    log "workers as ops/up left them: $drain_before process(es), metrics ports from 9464"
}
# One psql connection (the coprocess POLL) for polling, so that a poll costs a query, not a process
# and a connection: `poll SQL` sets reply (its one line of answer; at most POLL_TIMEOUT=30 s).
poll_open() { coproc POLL { exec "$(pg_bin)/psql" -h 127.0.0.1 -p "$PG_PORT" -U motcua -d motcua -qtAX 2>&1; }; }
# shellcheck disable=SC2034 # reply is the caller's
poll() { echo "$1;" >&"${POLL[1]}"; IFS= read -r -t "${POLL_TIMEOUT:-30}" reply <&"${POLL[0]}" || die "psql did not answer"; }

# ---- CPU and memory per process --------------------------------------------------------------------
clk_tck="$(getconf CLK_TCK)" page_kb=$(($(getconf PAGESIZE) / 1024)) cores="$(nproc)"
# "name:pid,pid …": each named process and its direct children (postgres backends, beam's port
# programs, the generator under its subshell) count for that name; exited children count through
# their parent's cutime/cstime once it reaped them (the postmaster, beam and bash all do).
groups() {
    local workers; workers="$(cat "$STATE"/run/workers-*.pid 2>/dev/null | paste -sd, -)"
    printf 'intake:%s workers:%s postgres:%s rabbitmq:%s generator:%s bench:%s' \
        "$(pidfile "$STATE/run/intake.pid")" "$workers" "$(pidfile "$STATE/postgres/postmaster.pid")" \
        "$(pidfile "$STATE/rabbitmq/rabbit.pid")" "${generator_pid:-}" "$$"
}
# One sample: "time T", "machine BUSY_TICKS TOTAL_TICKS", then "NAME TICKS RSS_KB PIDS…" per group
# (postgres: PSS instead of RSS). The figures between two samples: figures.py (cpu_between).
sample() {
    local file=$1 spec; spec="$(groups)"
    {
        echo "time $EPOCHREALTIME"
        awk '$1 == "cpu" { t = 0; for (i = 2; i <= 9; i++) t += $i; print "machine", t - $5 - $6, t; exit }' /proc/stat
        { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v spec="$spec" -v page_kb="$page_kb" '
            BEGIN { n = split(spec, g, " ")
                    for (i = 1; i <= n; i++) { split(g[i], kv, ":"); name[i] = kv[1]
                        m = split(kv[2], ps, ","); for (j = 1; j <= m; j++) if (ps[j] != "") root[ps[j]] = kv[1] } }
            { pid = $1; line = $0; sub(/^.*\) /, "", line); split(line, f, " ")
              grp = (pid in root) ? root[pid] : ((f[2] in root) ? root[f[2]] : "")
              if (grp == "") next
              ticks[grp] += f[12] + f[13] + f[14] + f[15]; rss[grp] += f[22] * page_kb; pids[grp] = pids[grp] " " pid }
            END { for (i = 1; i <= n; i++) print name[i], ticks[name[i]] + 0, rss[name[i]] + 0, pids[name[i]] }'
    } > "$file.raw"
    local pss pg_pids
    pg_pids="$(awk '$1 == "postgres" { for (i = 4; i <= NF; i++) printf "/proc/%s/smaps_rollup ", $i }' "$file.raw")"
    # shellcheck disable=SC2086 # one path per postgres process
    pss="$({ cat $pg_pids 2>/dev/null || true; } | awk '$1 == "Pss:" { kb += $2 } END { print kb + 0 }')"
    awk -v pss="$pss" '$1 == "postgres" { $3 = pss } { print }' "$file.raw" > "$file"; rm -f "$file.raw"
}
# A CPU report between two samples over the wall time of the run.
cpu_report() { py figures.py cpu-report from="$1" to="$2" cores="$cores" hz="$clk_tck"; }
# "SOME FULL": the machine's I/O stall totals in µs (/proc/pressure/io; "0 0" without PSI).
io_stall() { awk '{ for (i = 2; i <= NF; i++) if ($i ~ /^total=/) t[$1] = substr($i, 7) } END { print t["some"] + 0, t["full"] + 0 }' /proc/pressure/io 2>/dev/null || echo "0 0"; }
# The share of the time between two io_stall lines (taken at times T0 and T1) that tasks waited on I/O.
io_report() { py figures.py io before="$1" after="$2" t0="$3" t1="$4" what="$5"; }

# ---- load generators -------------------------------------------------------------------------------
body_file() {
    local unit="${BENCH_UNIT:-000.00.19.H56}"
    cat > "$out/body.json" <<JSON
{"procedureCode":"1.004222","unitCode":"$unit","channel":"online","onlineLevel":"full",
"applicant":{"personalId":"051095001234","fullName":"Nguyễn Văn A","birthYear":1995,"sex":"male"},
"components":[{"name":"Tờ khai","digitized":true,"sha256":"$(printf 'ab%.0s' {1..32})","bytes":120000,"mediaType":"application/pdf","signed":true}]}
JSON
}
# Sets clients, per_client, processes and h2load_args for RATE/s over SECONDS s. Each h2load client
# fires on its own timer every 1/per_client s, and the clients of one h2load all fire together (seen:
# 200 requests within 10 ms, then nothing for 200 ms). So the clients are spread over `processes`
# h2load processes started 1/(per_client x processes) s apart, which gives bursts of clients/processes
# requests, evenly spaced: a stream, not a pulse.
open_loop() {
    local rate=$1 seconds=$2
    need h2load nghttp2-client
    body_file
    clients="${BENCH_CLIENTS:-$(( (rate + 4) / 5 ))}"
    number BENCH_CLIENTS "$clients"
    processes="${BENCH_PROCESSES:-$(( clients < 20 ? clients : 20 ))}"
    number BENCH_PROCESSES "$processes"
    clients=$(( (clients + processes - 1) / processes * processes ))
    per_client="$(awk -v r="$rate" -v c="$clients" 'BEGIN { printf "%.4f", r / c }')"
    h2load_args=(--h1 -t1 -c"$((clients / processes))" --rps="$per_client" -D"$seconds" -d "$out/body.json"
                 -H "Authorization: Bearer $BENCH_TOKEN" -H "Content-Type: application/json"
                 "http://127.0.0.1:$port/v1/dossiers")
    rm -f "$out"/requests*.tsv
}
# The generator of the open loop: the h2load processes, staggered; their logs joined in requests.tsv.
h2load_staggered() {
    local i gap status=0
    gap="$(awk -v r="$per_client" -v p="$processes" 'BEGIN { printf "%.4f", 1 / (r * p) }')"
    for i in $(seq 1 "$processes"); do
        h2load "${h2load_args[@]}" --log-file="$out/requests.$i.tsv" > "$out/h2load.$i.out" 2>&1 &
        sleep "$gap"
    done
    for i in $(seq 1 "$processes"); do wait -n || status=$?; done
    for i in $(seq 1 "$processes"); do awk -v p="$i" '{ print $0 "\t" p }' "$out/requests.$i.tsv"; done > "$out/requests.tsv"
    return "$status"
}
# Prints the latency and status figures of the h2load logs for RATE over SECONDS with CLIENTS (the
# open_loop settings), and whether the schedule was kept (figures.py open-loop; it also writes
# latency.sent, latency.due and summary: "ANSWERED/S MEAN_µs").
open_loop_figures() {
    [ -s "$out/requests.tsv" ] || { cat "$out"/h2load.*.out >&2; die "h2load logged no request"; }
    py figures.py open-loop dir="$out" rate="$1" seconds="$2" clients="$3" processes="$processes" per_client="$per_client"
}

# Runs a command as the generator: in a subshell that, once the command ended, writes its status and
# turns into `sleep`, so its pid (generator_pid) still holds the command's CPU in cutime/cstime until
# the last sample was taken. stop_generator ends it.
start_generator() {
    rm -f "$out/generator.rc"
    ( set +e; "$@" > "$out/generator.out" 2>&1; echo $? > "$out/generator.rc"; exec sleep 86400 ) &
    generator_pid=$!
}
generator_done() { [ -f "$out/generator.rc" ]; }
stop_generator() {
    [ -n "${generator_pid:-}" ] || return 0
    kill "$generator_pid" 2>/dev/null || true; wait "$generator_pid" 2>/dev/null || true; generator_pid=
}
trap 'stop_generator' EXIT
