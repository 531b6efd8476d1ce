#!/usr/bin/env bash
# `ops/bench sustained [SECONDS=300] [RATE|max]`: a long run (RATE: open loop as in rate.sh; max, the
# default: closed loop, wrk with BENCH_CONNECTIONS=64). Every BENCH_INTERVAL=10 s it prints rows
# reaching PostgreSQL per second (count of dossiers rows), accepted/s (intake's
# motcua_intake_dossiers_accepted_total), the motcua.recorder queue depth (ready + unacked, from
# the management API, whose figures are up to 5 s old), the CPU seconds each process used in the
# interval (/proc/PID/stat utime+stime, children included) and their RSS. At the end: the
# recorded rate over the run, queue depth at start/end/max and its trend, the workers' mean recorder
# batch size (their /metrics), CPU seconds and shares per process, peak RSS, how long the rest took
# to be recorded after the load stopped, and the limit it points at (sustained_figures.py).

# shellcheck source=common.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# "SUM COUNT" of the recorder's motcua_worker_batch_size, summed over the workers (since their start).
batch_sizes() {
    worker_metrics | awk '$1 ~ /^motcua_worker_batch_size_sum\{.*role="recorder"/ { s += $2 }
                          $1 ~ /^motcua_worker_batch_size_count\{.*role="recorder"/ { c += $2 }
                          END { printf "%d %d\n", s, c }'
}

sustained_mode() {
    local seconds="${1:-300}" load="${2:-max}" interval="${BENCH_INTERVAL:-10}" generator
    number SECONDS "$seconds"; number BENCH_INTERVAL "$interval"
    if [ "$load" = max ]; then
        local connections="${BENCH_CONNECTIONS:-64}"
        number BENCH_CONNECTIONS "$connections"
        need wrk wrk
        export BENCH_UNITS; BENCH_UNITS="$(psql_ "SELECT string_agg(DISTINCT code, ',') FROM units WHERE level = 'commune' AND (valid_to IS NULL OR valid_to >= current_date)")"
        log "sustained: closed loop, $connections connections (wrk), $seconds s, a line every $interval s"
        generator=(wrk -t2 -c"$connections" -d"${seconds}s" --timeout 10s -s ops/bench.d/submit.lua "http://127.0.0.1:$port")
    else
        number RATE "$load"
        open_loop "$load" "$seconds"
        log "sustained: open loop, $load/s offered = $clients clients x $per_client/s (h2load, $processes staggered processes), $seconds s, a line every $interval s"
        generator=(h2load_staggered)
    fi
    local t0 timers0 issued0 rows0 acc0 q0 rows_prev acc_prev t_prev k=0 now rows acc q
    timers0="$(intake_timers)"; issued0="$(issued_count)"; rows0="$(recorded_count)"; acc0="$(intake_metric motcua_intake_dossiers_accepted_total)"; q0="$(queue_depth)"
    local batches0 line; batches0="$(batch_sizes)"
    # Each interval's line comes from one process for the run, a child of the bench (started before
    # the first sample, so that its start is not in the first interval); it also keeps queue.tsv,
    # "SECONDS DEPTH" from the start, and peaks, each process's highest memory so far.
    coproc FIGURES { exec "$PYTHON" -B -S "$ROOT/ops/bench.d/sustained_figures.py" intervals dir="$out" cores="$cores" hz="$clk_tck"; }
    t0=$EPOCHREALTIME; start_generator "${generator[@]}"; sample "$out/cpu.0"; cp "$out/cpu.0" "$out/cpu.prev"
    rows_prev=$rows0 acc_prev=$acc0 t_prev=$t0
    : > "$out/queue.tsv"; echo "0 $q0" >> "$out/queue.tsv"
    printf '%6s %10s %10s %8s | %-44s | %s\n' "t s" "recorded/s" "accepted/s" "queue" \
        "CPU s in the interval: intake workers pg rabbit gen other" "RSS MB: intake workers pg(PSS) rabbit"
    while :; do
        k=$((k + 1))
        # Sleep until the next tick, or until the generator is done.
        local due_us=$(( ${t0/./} + k * interval * 1000000 ))
        while [ "${EPOCHREALTIME/./}" -lt "$due_us" ] && ! generator_done; do sleep 0.5; done
        now=$EPOCHREALTIME; sample "$out/cpu.now"
        rows="$(recorded_count)"; acc="$(intake_metric motcua_intake_dossiers_accepted_total)"; q="$(queue_depth)"
        echo "$t0 $t_prev $now $((rows - rows_prev)) $((acc - acc_prev)) $q" >&"${FIGURES[1]}"
        IFS= read -r -t 30 line <&"${FIGURES[0]}" || die "sustained_figures.py did not answer"
        echo "$line"
        mv "$out/cpu.now" "$out/cpu.prev"; rows_prev=$rows acc_prev=$acc t_prev=$now
        generator_done && break
    done
    local t_end=$t_prev rows_end=$rows_prev acc_end=$acc_prev
    local figures_in=${FIGURES[1]}; exec {figures_in}>&-; wait "$FIGURES_PID"  # its input closed: it ends
    cp "$out/cpu.prev" "$out/cpu.end"
    [ "$(cat "$out/generator.rc")" = 0 ] || { cat "$out/generator.out" >&2; die "the load generator failed"; }
    stop_generator
    local lag; lag="$(await_recorded "$t_end")"
    local issued_all=$(( $(issued_count) - issued0 )) batches1; batches1="$(batch_sizes)"

    echo
    echo "== sustained: $(awk -v a="$t_end" -v b="$t0" 'BEGIN { printf "%.0f", a - b }') s, load: $load"
    if [ "$load" = max ]; then sed -n '/^requests:/,$p' "$out/generator.out"; else open_loop_figures "$load" "$seconds" "$clients"; fi
    intake_split "$timers0" "$(intake_timers)"
    py sustained_figures.py summary dir="$out" t0="$t0" t1="$t_end" rows=$((rows_end - rows0)) accepted=$((acc_end - acc0)) \
        issued="$issued_all" lag="$lag" batches0="$batches0" batches1="$batches1" load="$load" interval="$interval" \
        cores="$cores" hz="$clk_tck"
}

sustained_mode "$@"
