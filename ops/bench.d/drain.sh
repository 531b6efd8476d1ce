#!/usr/bin/env bash
# `ops/bench drain [N=50000] [WORKERS=2]`: the workers' recording capacity on their own. Stops the
# workers of ops/up (intake, PostgreSQL and RabbitMQ stay up), queues N dossiers through intake
# (h2load -n N, BENCH_CONNECTIONS=64 connections, one body as in rate.sh), which gives intake's rate
# alone (accepted/s, latency p50/p90/p99/max, its CPU), then starts WORKERS worker processes as
# ops/up does (its binary and environment, taken from the running processes; its logs and pid files;
# metrics ports 9464, 9465, … or the next free ones) and times them from their start until every
# dossier issued is a row in dossiers (over one psql connection: every 50 ms the journal's id
# sequence, once a second and at the end every 50 ms a count of the drain's rows). Prints the
# recorded rate (process start included, and between 10% and 90% written), the recorder queue depth
# at start and end (management API, read once it caught up), the CPU seconds per process and the I/O
# stalls during the drain, the workers' peak RSS (VmHWM) and their mean batch size and duration
# (motcua_worker_batch_size, …_duration_seconds of their /metrics; drain_figures.py). Then leaves the
# workers as ops/up starts them (the same number as before), also on an error or Ctrl-C.

# shellcheck source=common.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

port_taken() { [ -n "$(ss -ltnH "sport = :$1" 2>/dev/null)" ]; }
drain_exit() {
    local rc=$?
    # A signal during `IFS= read` runs this with that empty IFS: word splitting as usual here.
    local IFS=$' \t\n'
    stop_generator
    if [ -n "${drain_restore:-}" ]; then log "restoring the workers of ops/up"; restore_workers; fi
    return "$rc"
}
# Peak RSS of a process in MB (VmHWM).
peak_rss_mb() { awk '$1 == "VmHWM:" { printf "%.1f\n", $2 / 1024 }' "/proc/$1/status" 2>/dev/null; }
# The recorder queue's depth (queue_depth) once the management API has caught up (its figures, like
# rabbitmqctl's, lag up to 5 s): read every 0.5 s until it is at least (ge) or at most (le) WANT, for
# at most 12 s. Prints "DEPTH (read after S s)".
settled_depth() {
    local cmp=$1 want=$2 q start=$EPOCHREALTIME
    while :; do
        q="$(queue_depth)"
        if [[ "$q" =~ ^[0-9]+$ ]]; then
            if [ "$cmp" = ge ] && [ "$q" -ge "$want" ]; then break; fi
            if [ "$cmp" = le ] && [ "$q" -le "$want" ]; then break; fi
        fi
        awk -v a="$EPOCHREALTIME" -v b="$start" 'BEGIN { exit !(a - b > 12) }' && break
        sleep 0.5
    done
    awk -v q="$q" -v a="$EPOCHREALTIME" -v b="$start" 'BEGIN { printf "%s (read after %.1f s)\n", q, a - b }'
}

drain_mode() {
    local count="${1:-50000}" connections="${BENCH_CONNECTIONS:-64}" unit="${BENCH_UNIT:-000.00.19.H56}"
    workers="${2:-2}"
    number N "$count"; number WORKERS "$workers"; number BENCH_CONNECTIONS "$connections"
    [ "$connections" -le "$count" ] || connections=$count
    need h2load nghttp2-client
    body_file
    worker_launch
    drain_before="$(worker_pids | wc -l)"
    if [ "$(recorded_count)" -lt "$(issued_count)" ]; then
        log "waiting until what intake issued so far is recorded"; await_recorded "$EPOCHREALTIME" >/dev/null
    fi

    # 1. Stop the workers; from here on the exit puts them back, whatever happens.
    log "drain: stopping the $drain_before worker process(es) of ops/up; intake, PostgreSQL and RabbitMQ stay up"
    drain_restore=1; trap drain_exit EXIT; trap 'exit 130' INT TERM
    stop_workers
    # One psql connection for the polling, so that a poll costs a query, not a process and a connection.
    poll_open
    local reply
    poll "SELECT date_trunc('second', now() - interval '1 second')"
    # The drain's dossiers: this unit, received from a second before now (received_at is in whole
    # seconds); counted over the index dossiers_unit_received.
    local where="unit_code = '$unit' AND received_at >= '$reply'" base issued0 timers0
    poll "SELECT count(*) FROM dossiers WHERE $where"; base=$reply
    local journal_seq seq0
    poll "SELECT pg_get_serial_sequence('journal', 'id')"; journal_seq=$reply
    [ -n "$journal_seq" ] || die "journal.id has no sequence"
    issued0="$(issued_count)"; timers0="$(intake_timers)"

    # 2. Queue N dossiers through intake: intake on its own.
    log "queuing $count dossiers through intake (h2load -n $count, $connections connections, unit $unit); no worker runs"
    rm -f "$out"/requests*.tsv
    start_generator h2load --h1 -t1 -c"$connections" -n"$count" -d "$out/body.json" --log-file="$out/requests.tsv" \
        -H "Authorization: Bearer $BENCH_TOKEN" -H "Content-Type: application/json" "http://127.0.0.1:$port/v1/dossiers"
    sample "$out/cpu.q0"; local qio0 qt0=$EPOCHREALTIME; qio0="$(io_stall)"
    until generator_done; do sleep 0.2; done
    sample "$out/cpu.q1"; local qio1 qt1=$EPOCHREALTIME; qio1="$(io_stall)"
    [ "$(cat "$out/generator.rc")" = 0 ] || { cat "$out/generator.out" >&2; die "h2load failed"; }
    stop_generator
    local issued; issued=$(( $(issued_count) - issued0 ))
    [ "$issued" -gt 0 ] || die "intake issued no dossier"
    echo "== intake alone (no worker running): $count requests over $connections connections (h2load)"
    [ -s "$out/requests.tsv" ] || { cat "$out/generator.out" >&2; die "h2load logged no request"; }
    py drain_figures.py intake log="$out/requests.tsv"
    intake_split "$timers0" "$(intake_timers)"
    cpu_report "$out/cpu.q0" "$out/cpu.q1"
    io_report "$qio0" "$qio1" "$qt0" "$qt1" "the queuing"

    # 3. Start the workers and time them until every dossier issued is a row in dossiers.
    local depth0 target=$((base + issued)) i next=9464
    depth0="$(settled_depth ge "$issued")"
    drain_ports=()
    for i in $(seq 1 "$workers"); do
        while port_taken "$next"; do next=$((next + 1)); done
        drain_ports[i]=$next; next=$((next + 1))
    done
    [ "${drain_ports[$workers]}" = $((9463 + workers)) ] \
        || log "metrics ports 9464… are taken (another stack?): the drain's workers serve theirs on ${drain_ports[*]}"
    log "starting $workers worker process(es) ($launch_bin/motcua-workers --role all); $issued dossiers to record"
    echo
    echo "== drain: $workers worker process(es) started with $issued dossiers queued"
    poll "SELECT last_value FROM $journal_seq"; seq0=$reply
    sample "$out/cpu.d0"; local io0; io0="$(io_stall)"
    # When is every dossier a row? Counting the drain's rows costs PostgreSQL ~0.2 ms per thousand
    # (fresh rows are not yet all-visible), so the count runs once a second; every 50 ms the loop reads
    # the journal's id sequence instead (one row per recorded dossier; nextval is not transactional, so
    # it runs ahead of the commits, never behind), and once that says every dossier is written, it
    # counts every 50 ms until the count agrees. The loop forks nothing (builtins only); the pause is a
    # read with a timeout on a FIFO nobody writes to.
    rm -f "$out/nap.fifo"; mkfifo "$out/nap.fifo"; exec {nap}<>"$out/nap.fifo"
    local t0_us t_ask now n=0 el_us el rtt counts=0 probes=0 rtt_sum=0 rtt_max=0 written hinted='' first_us=''
    local next_count=1 next_line=2 next_check=1 drain_pids=()
    t0_us=${EPOCHREALTIME/./}
    for i in $(seq 1 "$workers"); do start_worker "$i" "${drain_ports[i]}"; drain_pids+=("$!"); done
    exec {tsv}>"$out/drain.tsv"
    while :; do
        el_us=$((${EPOCHREALTIME/./} - t0_us))
        if [ -n "$hinted" ] || [ $((el_us / 1000000)) -ge "$next_count" ]; then
            t_ask=${EPOCHREALTIME/./}
            poll "SELECT count(*) FROM dossiers WHERE $where"; now=${EPOCHREALTIME/./}
            n=$((reply - base)); counts=$((counts + 1)); el_us=$((now - t0_us))
            rtt=$((now - t_ask)); rtt_sum=$((rtt_sum + rtt)); [ "$rtt" -le "$rtt_max" ] || rtt_max=$rtt
            printf -v el '%d.%03d' $((el_us / 1000000)) $((el_us / 1000 % 1000))
            echo "$el count $n" >&"$tsv"
            [ "$reply" -lt "$target" ] || break
            next_count=$((el_us / 1000000 + 1))
            if [ $((el_us / 1000000)) -ge "$next_line" ]; then
                printf '  %6s s: %7d recorded (%3d%%)\n' "$el" "$n" $((100 * n / issued)); next_line=$((next_line + 2))
            fi
        else
            poll "SELECT last_value FROM $journal_seq"; probes=$((probes + 1))
            written=$((reply - seq0))
            printf -v el '%d.%03d' $((el_us / 1000000)) $((el_us / 1000 % 1000)); echo "$el written $written" >&"$tsv"
            [ -n "$first_us" ] || [ "$written" -le 0 ] || first_us=$el_us
            if [ "$written" -ge "$issued" ]; then hinted=1; continue; fi
        fi
        if [ $((el_us / 1000000)) -ge "$next_check" ]; then
            [ "$next_check" -lt 600 ] || die "not all recorded 600 s after the workers' start ($n of $issued)"
            for i in "${!drain_pids[@]}"; do
                kill -0 "${drain_pids[i]}" 2>/dev/null || { tail -n 5 "$STATE/logs/workers-$((i + 1)).log" >&2; die "worker $((i + 1)) exited"; }
            done
            next_check=$((next_check + 1))
        fi
        read -r -t 0.05 -u "$nap" _ || true
    done
    [ -n "$hinted" ] || log "warning: the journal's sequence never showed every dossier written: the end was seen by the once-a-second count, up to 1 s late"
    exec {tsv}>&- {nap}>&-; rm -f "$out/nap.fifo"
    sample "$out/cpu.d1"; local io1; io1="$(io_stall)"
    local t1=$((now - t0_us))
    # Each worker's own figures: CPU since its start, peak RSS, and its recorder batches (the histogram
    # is settled after the commit the poll saw: wait for it to hold every message, at most 3 s).
    local deadline=$((SECONDS + 3)) per_worker
    while :; do
        per_worker=""
        for i in $(seq 1 "$workers"); do
            local pid; pid="$(pidfile "$STATE/run/workers-$i.pid")"
            per_worker+="$i $pid ${drain_ports[i]} $(awk -v hz="$clk_tck" '{ sub(/^.*\) /, ""); split($0, f, " "); printf "%.2f", (f[12] + f[13]) / hz }' "/proc/$pid/stat") $(peak_rss_mb "$pid") "
            per_worker+="$(curl -fsS --max-time 3 "http://127.0.0.1:${drain_ports[i]}/metrics" 2>/dev/null | awk '
                $1 ~ /^motcua_worker_batch_size_sum\{.*role="recorder"/ { s += $2 }
                $1 ~ /^motcua_worker_batch_size_count\{.*role="recorder"/ { c += $2 }
                $1 ~ /^motcua_worker_batch_duration_seconds_sum\{.*role="recorder"/ { ds += $2 }
                $1 ~ /^motcua_worker_batch_duration_seconds_count\{.*role="recorder"/ { dc += $2 }
                END { printf "%d %d %.6f %d", s, c, ds, dc }')"$'\n'
        done
        if [ "$(awk '{ s += $6 } END { print s + 0 }' <<< "$per_worker")" -ge "$issued" ] || [ $SECONDS -ge $deadline ]; then break; fi
        sleep 0.2
    done
    local depth1; depth1="$(settled_depth le 0)"
    # The rate, also between 10% and 90% of the dossiers written (the journal's sequence, read every
    # 50 ms; it runs ahead of the commits by the batches in flight, the same at both ends), the depths,
    # the polls' cost; the CPU and I/O; each worker's figures.
    py drain_figures.py drain tsv="$out/drain.tsv" issued="$issued" t1_us="$t1" first_us="${first_us:-0}" \
        depth0="$depth0" depth1="$depth1" probes="$probes" counts="$counts" rtt_sum_us="$rtt_sum" rtt_max_us="$rtt_max"
    cpu_report "$out/cpu.d0" "$out/cpu.d1"
    io_report "$io0" "$io1" 0 "$((t1 / 1000000)).$(printf '%06d' $((t1 % 1000000)))" "the drain"
    py drain_figures.py workers <<< "${per_worker%$'\n'}"
    local recorded_all issued_all; recorded_all="$(recorded_count)"; issued_all="$(issued_count)"
    [ "$recorded_all" -ge "$issued_all" ] || log "warning: dossiers holds $recorded_all rows, issued_dossiers $issued_all"
    kill "$POLL_PID" 2>/dev/null || true; wait "$POLL_PID" 2>/dev/null || true

    # 4. Leave the workers as ops/up started them.
    restore_workers keep
    trap stop_generator EXIT; trap - INT TERM
}

drain_mode "$@"
