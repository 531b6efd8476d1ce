#!/usr/bin/env bash
# `ops/bench rate RATE [SECONDS=30]`: open loop (h2load --h1 --rps), RATE dossiers/s offered whatever
# the answers do. h2load's --rps is per client, so RATE is spread over BENCH_CLIENTS clients (default
# RATE/5, each offering 5/s; one request in flight each), in BENCH_PROCESSES h2load processes (default
# 20) started evenly apart, since the clients of one h2load all fire at the same moment.
# Prints the offered, sent and answered rates, 202/200/other/failed counts, latency p50/p90/p99/max
# twice (h2load's, from the moment a request was sent; and from the moment it was due on the
# schedule, which also counts the time a request waited because its client was still busy), what
# reached issued_dossiers and dossiers, intake's own split of its time (issuing the code, the
# broker's confirm), and the CPU each process used. The body is one file, the same for every request
# (BENCH_UNIT, default 000.00.19.H56): a keyless body identical to an earlier one is a retry only if
# that earlier publish was left uncertain, so each gets a new code.

# shellcheck source=common.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

rate_mode() {
    local rate="${1:-}" seconds="${2:-30}"
    [ -n "$rate" ] || die "usage: ops/bench rate RATE [SECONDS=30]"
    number RATE "$rate"; number SECONDS "$seconds"
    open_loop "$rate" "$seconds"
    local issued0 recorded0 replayed0 uncertain0 finished lag timers0
    issued0="$(issued_count)"; recorded0="$(recorded_count)"; timers0="$(intake_timers)"
    replayed0="$(intake_metric motcua_intake_dossiers_replayed_total)"; uncertain0="$(intake_metric motcua_intake_publish_uncertain_total)"
    log "open loop: $rate/s offered for $seconds s = $clients clients x $per_client/s (h2load --rps is per client), in $processes staggered h2load processes, unit ${BENCH_UNIT:-000.00.19.H56}"
    start_generator h2load_staggered
    sample "$out/cpu.0"
    until generator_done; do sleep 0.2; done
    sample "$out/cpu.1"; finished=$EPOCHREALTIME
    [ "$(cat "$out/generator.rc")" = 0 ] || { cat "$out/generator.out" >&2; die "h2load failed"; }
    stop_generator
    open_loop_figures "$rate" "$seconds" "$clients"
    intake_split "$timers0" "$(intake_timers)"
    lag="$(await_recorded "$finished")"
    local issued recorded bodies
    issued=$(( $(issued_count) - issued0 )); recorded=$(( $(recorded_count) - recorded0 ))
    bodies="$(psql_ "SELECT count(DISTINCT md5(request::text)) FROM (SELECT request FROM issued_dossiers ORDER BY issued_at DESC LIMIT $issued) r")"
    echo "PostgreSQL: issued_dossiers +$issued (a code each, for $bodies distinct body), dossiers +$recorded, all recorded $lag s after the last answer;" \
         "intake replayed $(( $(intake_metric motcua_intake_dossiers_replayed_total) - replayed0 )), uncertain $(( $(intake_metric motcua_intake_publish_uncertain_total) - uncertain0 ))"
    echo "(requests still in flight when h2load stopped are accepted but not in its log, so issued can exceed the 202s)"
    cpu_report "$out/cpu.0" "$out/cpu.1"
}

rate_mode "$@"
