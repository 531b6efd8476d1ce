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
    command -v python3 >/dev/null || { as_root apt-get update -qq; need python3 python3; }
    local units q
    units="$(psql_ "SELECT string_agg(code, ',') FROM units WHERE level = 'commune'")"
    q="$(queue_depth)"
    [ "$q" = 0 ] || [ "$q" = "?" ] || log "warning: the recorder queue holds $q messages: the stack is not idle"
    log "idle latency: $count dossiers one at a time (load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
    local lag0; lag0="$(worker_lag_buckets)"
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
    worker_lag_buckets | awk -v before="$lag0" '
        BEGIN { n = split(before, b, " "); for (i = 1; i <= n; i++) { split(b[i], kv, "="); was[kv[1]] = kv[2] } }
        { split($0, kv, "="); le[++m] = kv[1]; c[m] = kv[2] - was[kv[1]] }
        END { total = c[m]; if (!total) exit
              for (i = 1; i <= m; i++) { if (!p50 && c[i] >= total * 0.5) p50 = le[i]; if (!p99 && c[i] >= total * 0.99) p99 = le[i] }
              printf "workers'\'' recording lag (event time to commit, histogram buckets): p50 <= %s s, p99 <= %s s (%d messages);\n", p50, p99, total
              print "  events carry their time in whole seconds, so this histogram reads up to 1 s high: trust the polled figures" }'
    cpu_report "$out/cpu.0" "$out/cpu.1"
}
# "le=count …" of the recorder's motcua_worker_recording_lag_seconds, summed over the worker processes.
worker_lag_buckets() {
    worker_metrics | awk -F'[{}]' '/^motcua_worker_recording_lag_seconds_bucket/ && $2 ~ /role="recorder"/ {
            match($2, /,le="[^"]*"/); le = substr($2, RSTART + 5, RLENGTH - 6); c[le] += $3 + 0
            if (!(le in seen)) { seen[le] = 1; order[++n] = le } }
        END { for (i = 1; i <= n; i++) print order[i] "=" c[order[i]] }'
}

latency_mode "$@"
