#!/usr/bin/env bash
# `ops/bench sustained [SECONDS=300] [RATE|max]`: a long run (RATE: open loop as in rate.sh; max, the
# default: closed loop, wrk with BENCH_CONNECTIONS=64). Every BENCH_INTERVAL=10 s it prints rows
# reaching PostgreSQL per second (count of dossiers rows), accepted/s (intake's
# motcua_intake_dossiers_accepted_total), the motcua.recorder queue depth (ready + unacked, from
# the management API, whose figures are up to 5 s old), the CPU seconds each process used in the
# interval (/proc/PID/stat utime+stime, children included) and their RSS. At the end: the
# recorded rate over the run, queue depth at start/end/max and its trend, the workers' mean recorder
# batch size (their /metrics), CPU seconds and shares per process, peak RSS, how long the rest took
# to be recorded after the load stopped, and the limit it points at.

# shellcheck source=common.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# "SUM COUNT" of the recorder's motcua_worker_batch_size, summed over the workers (since their start).
batch_sizes() {
    worker_metrics | awk '$1 ~ /^motcua_worker_batch_size_sum\{.*role="recorder"/ { s += $2 }
                          $1 ~ /^motcua_worker_batch_size_count\{.*role="recorder"/ { c += $2 }
                          END { printf "%d %d\n", s, c }'
}
# "the workers' mean batch size …" between two batch_sizes lines.
batch_mean() {
    awk -v a="$1" -v b="$2" 'BEGIN { split(a, x, " "); split(b, y, " "); s = y[1] - x[1]; c = y[2] - x[2]
        if (c > 0 && s >= 0) printf "workers'\'' mean batch size (recorder, motcua_worker_batch_size sum/count of their /metrics): %.1f messages (%d batches, %d messages)\n", s / c, c, s
        else print "workers'\'' mean batch size: not known (no worker /metrics answered, or a worker restarted)" }'
}

sustained_mode() {
    local seconds="${1:-300}" load="${2:-max}" interval="${BENCH_INTERVAL:-10}" generator
    number SECONDS "$seconds"; number BENCH_INTERVAL "$interval"
    if [ "$load" = max ]; then
        local connections="${BENCH_CONNECTIONS:-64}"
        number BENCH_CONNECTIONS "$connections"
        need wrk wrk
        export BENCH_UNITS; BENCH_UNITS="$(psql_ "SELECT string_agg(code, ',') FROM units WHERE level = 'commune'")"
        log "sustained: closed loop, $connections connections (wrk), $seconds s, a line every $interval s"
        generator=(wrk -t2 -c"$connections" -d"${seconds}s" --timeout 10s -s ops/bench.d/submit.lua "http://127.0.0.1:$port")
    else
        number RATE "$load"
        open_loop "$load" "$seconds"
        log "sustained: open loop, $load/s offered = $clients clients x $per_client/s (h2load, $processes staggered processes), $seconds s, a line every $interval s"
        generator=(h2load_staggered)
    fi
    local t0 timers0 issued0 rows0 acc0 q0 rows_prev acc_prev t_prev k=0 now rows acc q qmax qmax_at
    timers0="$(intake_timers)"; issued0="$(issued_count)"; rows0="$(recorded_count)"; acc0="$(intake_metric motcua_intake_dossiers_accepted_total)"; q0="$(queue_depth)"
    local batches0; batches0="$(batch_sizes)"
    t0=$EPOCHREALTIME; start_generator "${generator[@]}"; sample "$out/cpu.0"; cp "$out/cpu.0" "$out/cpu.prev"
    rows_prev=$rows0 acc_prev=$acc0 t_prev=$t0 qmax=$q0 qmax_at=0
    : > "$out/queue.tsv"; echo "0 $q0" >> "$out/queue.tsv"
    printf '%6s %10s %10s %8s | %-44s | %s\n' "t s" "recorded/s" "accepted/s" "queue" \
        "CPU s in the interval: intake workers pg rabbit gen other" "RSS MB: intake workers pg(PSS) rabbit"
    local peaks="$out/peaks"; cpu_between "$out/cpu.0" "$out/cpu.0" > "$peaks"
    while :; do
        k=$((k + 1))
        # Sleep until the next tick, or until the generator is done.
        local due_us=$(( ${t0/./} + k * interval * 1000000 ))
        while [ "${EPOCHREALTIME/./}" -lt "$due_us" ] && ! generator_done; do sleep 0.5; done
        now=$EPOCHREALTIME; sample "$out/cpu.now"
        rows="$(recorded_count)"; acc="$(intake_metric motcua_intake_dossiers_accepted_total)"; q="$(queue_depth)"
        local dt elapsed; dt=$(awk -v a="$now" -v b="$t_prev" 'BEGIN { printf "%.3f", a - b }')
        elapsed=$(awk -v a="$now" -v b="$t0" 'BEGIN { printf "%.0f", a - b }')
        echo "$elapsed $q" >> "$out/queue.tsv"
        if [[ "$q" =~ ^[0-9]+$ ]] && { ! [[ "$qmax" =~ ^[0-9]+$ ]] || [ "$q" -gt "$qmax" ]; }; then qmax=$q qmax_at=$elapsed; fi
        cpu_between "$out/cpu.prev" "$out/cpu.now" > "$out/interval"
        awk 'NR == FNR { if ($1 != "busy" && $1 != "other" && $3 > m[$1]) m[$1] = $3; next }
             $1 != "busy" && $1 != "other" && $3 > m[$1] { m[$1] = $3 }
             END { for (g in m) print g, 0, m[g] }' "$peaks" "$out/interval" > "$peaks.new"; mv "$peaks.new" "$peaks"
        awk -v t="$elapsed" -v dt="$dt" -v rows=$((rows - rows_prev)) -v acc=$((acc - acc_prev)) -v q="$q" -v cores="$cores" '
            { s[$1] = $2; mb[$1] = $3 }
            END { printf "%6d %10.0f %10.0f %8s | %6.1f %7.1f %5.1f %6.1f %4.1f %5.1f %7s | %6.0f %7.0f %9.0f %6.0f\n",
                      t, rows / dt, acc / dt, q, s["intake"], s["workers"], s["postgres"], s["rabbitmq"], s["generator"],
                      s["other"], sprintf("(%.0f%%)", 100 * s["busy"] / (dt * cores)),
                      mb["intake"], mb["workers"], mb["postgres"], mb["rabbitmq"] }' "$out/interval"
        mv "$out/cpu.now" "$out/cpu.prev"; rows_prev=$rows acc_prev=$acc t_prev=$now
        generator_done && break
    done
    local t_end=$t_prev rows_end=$rows_prev acc_end=$acc_prev q_end=$q
    cp "$out/cpu.prev" "$out/cpu.end"
    [ "$(cat "$out/generator.rc")" = 0 ] || { cat "$out/generator.out" >&2; die "the load generator failed"; }
    stop_generator
    local lag; lag="$(await_recorded "$t_end")"
    local issued_all=$(( $(issued_count) - issued0 )) batches1; batches1="$(batch_sizes)"

    echo
    echo "== sustained: $(awk -v a="$t_end" -v b="$t0" 'BEGIN { printf "%.0f", a - b }') s, load: $load"
    if [ "$load" = max ]; then sed -n '/^requests:/,$p' "$out/generator.out"; else open_loop_figures "$load" "$seconds" "$clients"; fi
    intake_split "$timers0" "$(intake_timers)"
    awk -v t0="$t0" -v t1="$t_end" -v rows=$((rows_end - rows0)) -v acc=$((acc_end - acc0)) -v all="$issued_all" -v lag="$lag" 'BEGIN {
        d = t1 - t0
        printf "recorded in PostgreSQL during the load: %d rows in %.0f s = %.0f/s; accepted %.0f/s\n", rows, d, rows / d, acc / d
        printf "after the load stopped, every one of the %d accepted dossiers was in PostgreSQL %.2f s later\n", all, lag }'
    awk -v q0="$q0" -v q1="$q_end" -v qmax="$qmax" -v at="$qmax_at" -v acc=$((acc_end - acc0)) '
        $2 ~ /^[0-9]+$/ { n++; x[n] = $1; y[n] = $2; sx += $1; sy += $2 }
        END { slope = 0
              if (n > 2) { mx = sx / n; my = sy / n; for (i = 1; i <= n; i++) { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) ^ 2 }
                           if (sxx > 0) slope = sxy / sxx }
              span = x[n] - x[1]; rate = span > 0 ? acc / span : 0
              trend = (slope * span > 1000 && slope > 0.01 * rate) ? "GROWING: the workers fall behind" : "flat: the workers keep up"
              printf "recorder queue depth (ready + unacked): start %s, end %s, max %s (at %s s); trend %+.1f messages/s over the run: %s\n",
                  q0, q1, qmax, at, slope, trend }' "$out/queue.tsv"
    batch_mean "$batches0" "$batches1"
    cpu_report "$out/cpu.0" "$out/cpu.end"
    local kept=closed
    [ "$load" = max ] || kept="$(awk -v r="$load" '{ print ($1 >= 0.99 * r) ? "kept" : "behind" }' "$out/summary")"
    cpu_between "$out/cpu.0" "$out/cpu.end" | awk -v cores="$cores" -v peaks="$peaks" -v interval="$interval" -v kept="$kept" -v load="$load" '
        BEGIN { while ((getline line < peaks) > 0) { split(line, f, " "); peak[f[1]] = f[3] } }
        $1 == "busy" { busy = $2; cap = $3; next }
        $1 != "other" { if ($2 > top_s) { top = $1; top_s = $2 } }
        END { printf "peak memory (at the %s s samples): intake %.0f MB, workers %.0f MB (sum), postgres %.0f MB (PSS, sum), rabbitmq %.0f MB, generator %.0f MB\n",
                  interval, peak["intake"], peak["workers"], peak["postgres"], peak["rabbitmq"], peak["generator"]
              if (kept == "kept") printf "the stack kept up with %d/s using %.0f%% of the %d cores; the biggest consumer was %s (%.0f%% of the machine); a higher rate finds the limit\n", load, 100 * busy / cap, cores, top, 100 * top_s / cap
              else if (cap && busy / cap >= 0.85) printf "limit: CPU: the %d cores were %.0f%% busy (what is left is gaps in scheduling several busy processes); the biggest consumer was %s (%.0f%% of the machine)\n", cores, 100 * busy / cap, top, 100 * top_s / cap
              else if (cap) printf "the %d cores were only %.0f%% busy: the limit is not CPU but waiting (connections, locks, round trips: see intake'\''s split above); the biggest consumer was %s\n", cores, 100 * busy / cap, top }'
}

sustained_mode "$@"
