#!/usr/bin/env bash
# `ops/bench cluster [SECONDS=30] [CONNECTIONS=64]`: the closed loop of `ops/bench closed` (wrk,
# ops/bench.d/submit.lua) against a running `ops/cluster` (3 RabbitMQ nodes with quorum queues on all
# three, 2 PostgreSQL with a synchronous standby), so that its figures set beside one machine's say
# what replication costs. Prints accepted/s and latency (wrk), recorded/s end to end (from the first
# request to the last dossier in PostgreSQL), and the CPU seconds each group of processes used
# (/proc utime+stime of each process and its direct children): intake, workers, postgres (both
# servers), rabbitmq (three nodes), patroni+etcd, per dossier too. Reads MOTCUA_CLUSTER_STATE and
# MOTCUA_CLUSTER_OFFSET as ops/cluster does.
# shellcheck shell=bash
set -euo pipefail
export LC_ALL=C
# shellcheck source=../lib.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=../cluster.d/nodes.sh
source "$ROOT/ops/cluster.d/nodes.sh"
cd "$ROOT"

seconds="${1:-30}" connections="${2:-64}"
[[ "$seconds" =~ ^[1-9][0-9]*$ && "$connections" =~ ^[1-9][0-9]*$ ]] || die "usage: ops/bench cluster [SECONDS] [CONNECTIONS]"
curl -fsS "http://127.0.0.1:$INTAKE_PORT/readyz" >/dev/null 2>&1 || die "no intake on $INTAKE_PORT: run ops/cluster up first"
command -v wrk >/dev/null || { log "installing wrk"; DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq wrk >/dev/null; }
export BENCH_TOKEN; BENCH_TOKEN="$(cat "$CSTATE/dev-token")"
psql_() { "$(pg_bin)/psql" -h 127.0.0.1 -p "$(primary_port)" -U motcua -d motcua -qtA -c "$1"; }
export BENCH_UNITS; BENCH_UNITS="$(psql_ "SELECT string_agg(DISTINCT code, ',') FROM units WHERE level = 'commune' AND (valid_to IS NULL OR valid_to >= current_date)")"

# The root processes of each group, "name:pid,pid …".
groups() {
    local rabbits=() pgs=() n
    for n in 1 2 3; do rabbits+=("$(rabbit_pid "$n")"); done
    for n in 1 2; do pgs+=("$(postmaster_pid "$n")"); done
    printf 'intake:%s workers:%s,%s postgres:%s rabbitmq:%s patroni+etcd:%s,%s,%s' \
        "$(cat "$CSTATE/run/intake.pid")" "$(cat "$CSTATE/run/workers1.pid")" "$(cat "$CSTATE/run/workers2.pid")" \
        "$(IFS=,; echo "${pgs[*]}")" "$(IFS=,; echo "${rabbits[*]}")" \
        "$(cat "$CSTATE/run/pg1.pid" 2>/dev/null)" "$(cat "$CSTATE/run/pg2.pid" 2>/dev/null)" "$(cat "$CSTATE/run/etcd.pid")"
}
# "NAME TICKS" per group: each root and its direct children (postgres backends, beam's port programs),
# exited children through their parent's cutime/cstime.
sample() {
    { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v spec="$(groups)" '
        BEGIN { n = split(spec, g, " ")
                for (i = 1; i <= n; i++) { split(g[i], kv, ":"); name[i] = kv[1]
                    m = split(kv[2], ps, ","); for (j = 1; j <= m; j++) if (ps[j] != "") root[ps[j]] = kv[1] } }
        { pid = $1; line = $0; sub(/^.*\) /, "", line); split(line, f, " ")
          grp = (pid in root) ? root[pid] : ((f[2] in root) ? root[f[2]] : "")
          if (grp != "") ticks[grp] += f[12] + f[13] + f[14] + f[15] }
        END { for (i = 1; i <= n; i++) print name[i], ticks[name[i]] + 0 }'
}

rows0="$(psql_ "SELECT count(*) FROM dossiers")" issued0="$(psql_ "SELECT count(*) FROM issued_dossiers")"
before="$(sample)" t0=$EPOCHREALTIME
log "cluster: closed loop, $connections connections (wrk), $seconds s, against intake on $INTAKE_PORT"
wrk -t2 -c"$connections" -d"${seconds}s" --timeout 10s -s ops/bench.d/submit.lua "http://127.0.0.1:$INTAKE_PORT" \
    | sed -n '/^requests:/,$p'
issued="$(psql_ "SELECT count(*) FROM issued_dossiers")"
deadline=$((SECONDS + 300))
until [ "$(psql_ "SELECT count(*) FROM dossiers")" -ge $((rows0 + issued - issued0)) ]; do
    [ $SECONDS -lt $deadline ] || die "not all recorded after 300 s"
    sleep 0.1
done
t1=$EPOCHREALTIME after="$(sample)"
recorded=$(($(psql_ "SELECT count(*) FROM dossiers") - rows0))
awk -v t0="$t0" -v t1="$t1" -v n="$recorded" -v hz="$(getconf CLK_TCK)" -v before="$before" -v after="$after" 'BEGIN {
    printf "recorded: %d dossiers in %.1f s from the first request to the last row: %.0f/s end to end\n", n, t1 - t0, n / (t1 - t0)
    split(before, b, "\n"); for (i in b) { split(b[i], kv, " "); start[kv[1]] = kv[2] }
    k = split(after, a, "\n")
    printf "%-14s %10s %14s\n", "CPU", "seconds", "ms per dossier"
    for (i = 1; i <= k; i++) { split(a[i], kv, " "); s = (kv[2] - start[kv[1]]) / hz; total += s
        printf "%-14s %10.1f %14.3f\n", kv[1], s, n ? 1000 * s / n : 0 }
    printf "%-14s %10.1f %14.3f\n", "all", total, n ? 1000 * total / n : 0 }'
