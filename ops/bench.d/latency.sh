#!/usr/bin/env bash
# `ops/bench latency [N=200]`: idle latency. N dossiers one at a time (nothing else sent), spread
# over the catalog's communes; for each, the time from POST to 202 and from its 202 to its row being
# in PostgreSQL (polled over one libpq connection, ops/bench.d/latency.py), p50/p90/p99/max; then
# the workers' recording-lag histogram over the run (their /metrics) and the CPU each process used.

# shellcheck source=common.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

latency_mode() {
    local count="${1:-200}"
    number N "$count"
    local units q
    units="$(psql_ "SELECT string_agg(code, ',') FROM units WHERE level = 'commune'")"
    q="$(queue_depth)"
    [ "$q" = 0 ] || [ "$q" = "?" ] || log "warning: the recorder queue holds $q messages: the stack is not idle"
    log "idle latency: $count dossiers one at a time (load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
    worker_metrics > "$out/metrics.0"
    start_generator python3 ops/bench.d/latency.py --url "http://127.0.0.1:$port" --token "$BENCH_TOKEN" --units "$units" \
        --count "$count" --dsn "host=127.0.0.1 port=$PG_PORT user=motcua password=motcua dbname=motcua" \
        --out "$out/latency.txt"
    sample "$out/cpu.0"
    until generator_done; do sleep 0.2; done
    sample "$out/cpu.1"
    cat "$out/generator.out"
    [ "$(cat "$out/generator.rc")" = 0 ] || die "latency.py failed"
    stop_generator
    # The workers' own view: event time (intake's acceptance) to commit, from their histograms.
    worker_metrics > "$out/metrics.1"
    py figures.py recording-lag before="$out/metrics.0" after="$out/metrics.1"
    cpu_report "$out/cpu.0" "$out/cpu.1"
}

latency_mode "$@"
