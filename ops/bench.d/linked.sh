#!/usr/bin/env bash
# `ops/bench linked [GROUPS=10000] [TIMEOUT=60]`: birth groups (all three steps) through the partner
# simulator of ops/up with faults: BENCH_ERROR_RATE=0.05 of the commands answered `error`,
# BENCH_HANG_RATE=0.01 never answered (the simulator's fault file, .motcua-data/partner-faults.json,
# is set for the run and put back after). The workers of ops/up are restarted with
# MOTCUA_PARTNER_TIMEOUT_SECONDS=TIMEOUT (a hang costs that much before its retry, so the run lasts
# about two timeouts after the submissions) and MOTCUA_PARTNER_BACKOFF_SECONDS=BENCH_BACKOFF=1
# (MAX: BENCH_BACKOFF_MAX=10), and put back as ops/up starts them at the end. A timeout shorter than
# the answers' wait in the queues under the burst (about 30 s at 10,000 groups on 2 cores) times
# out attempts whose answers are on their way: with TIMEOUT=10 most first steps end stuck.
# GROUPS dossiers go through intake (h2load -n, BENCH_CONNECTIONS=64); the end is when every
# group is final or has a stuck step (BENCH_TIMEOUT=1800 s). Prints the submission rate, groups
# final per second and the time until every group is final (from the first submission), the
# outcomes, each group's time from recording to its end (p50/p90/p99/max), the attempts per step
# (mean, max, how many needed 1, 2, 3+), the commands sent and the simulator's fates, the CPU
# seconds per process (linked_figures.py). The groups' dossiers stay (resolved) in the database.

# shellcheck source=common.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

linked_exit() {
    local rc=$?
    # A signal during `IFS= read` runs this with that empty IFS: word splitting as usual here.
    local IFS=$' \t\n'
    stop_generator
    if [ -n "${faults_saved:-}" ]; then
        if [ -f "$faults_saved" ]; then mv "$faults_saved" "$faults_file"; else rm -f "$faults_file"; fi
        log "partner faults as before the run ($faults_file)"
    fi
    # shellcheck disable=SC2119 # restore_workers keep: drain.sh's
    if [ -n "${drain_restore:-}" ]; then log "restoring the workers of ops/up"; restore_workers; fi
    return "$rc"
}
linked_mode() {
    local groups="${1:-10000}" timeout="${2:-60}" connections="${BENCH_CONNECTIONS:-64}"
    local error_rate="${BENCH_ERROR_RATE:-0.05}" hang_rate="${BENCH_HANG_RATE:-0.01}" limit="${BENCH_TIMEOUT:-1800}"
    local backoff="${BENCH_BACKOFF:-1}" backoff_max="${BENCH_BACKOFF_MAX:-10}" unit="${BENCH_UNIT:-000.00.19.H56}"
    number GROUPS "$groups"; number TIMEOUT "$timeout"; number BENCH_CONNECTIONS "$connections"
    [ "$connections" -le "$groups" ] || connections=$groups
    local sim; sim="$(pidfile "$STATE/run/partner-sim.pid")"
    { [ -n "$sim" ] && alive "$sim"; } || die "the partner simulator of ops/up does not run (started with MOTCUA_PARTNER_SIM=0?)"
    need h2load nghttp2-client
    worker_launch
    drain_before="$(worker_pids | wc -l)"; workers=$drain_before
    [ "$workers" -gt 0 ] || die "no worker of ops/up runs"
    cat > "$out/linked.json" <<JSON
{"procedureCode":"1.001193","unitCode":"$unit","channel":"online","onlineLevel":"full",
"applicant":{"personalId":"051095001234","fullName":"Nguyễn Văn A","birthYear":1995,"sex":"male"},
"components":[{"name":"Tờ khai","digitized":true,"sha256":"$(printf 'ab%.0s' {1..32})","bytes":120000,"mediaType":"application/pdf","signed":true}],
"linkedGroup":{"group":"birth","steps":["permanent_residence","health_insurance_card"]}}
JSON

    # 1. The faults and the workers' partner settings for the run; the exit puts both back.
    faults_file="$STATE/partner-faults.json" faults_saved="$out/partner-faults.saved"
    rm -f "$faults_saved"; [ -f "$faults_file" ] && cp "$faults_file" "$faults_saved"
    trap linked_exit EXIT; trap 'exit 130' INT TERM
    printf '{"*": {"errorRate": %s, "hangRate": %s}}\n' "$error_rate" "$hang_rate" > "$faults_file"
    log "partner faults: $(cat "$faults_file")"
    drain_restore=1
    stop_workers
    local i
    for i in $(seq 1 "$workers"); do
        start_worker "$i" $((9463 + i)) MOTCUA_PARTNER_TIMEOUT_SECONDS="$timeout" \
            MOTCUA_PARTNER_BACKOFF_SECONDS="$backoff" MOTCUA_PARTNER_BACKOFF_MAX_SECONDS="$backoff_max"
    done
    log "$workers worker process(es) restarted with MOTCUA_PARTNER_TIMEOUT_SECONDS=$timeout MOTCUA_PARTNER_BACKOFF_SECONDS=$backoff (max $backoff_max)"
    sleep 3  # the workers connect; the simulator re-reads its faults within a second
    poll_open
    local reply
    poll "SELECT now()"; local since=$reply
    local mine="created_at >= '$since'" sim_port fates0 fates1
    sim_port="$(listen_port_of "$sim")"
    sim_fates() {
        [ -n "$sim_port" ] || return 0
        curl -fsS --max-time 3 "http://127.0.0.1:$sim_port/metrics" 2>/dev/null \
            | awk '$1 ~ /^motcua_partner_sim_commands_total\{/ { match($1, /fate="[a-z_]+"/); f = substr($1, RSTART + 6, RLENGTH - 7); n[f] += $2 }
                   END { for (f in n) printf "%s=%d ", f, n[f]; print "" }'
    }
    fates0="$(sim_fates)"

    # 2. The groups through intake, and every one followed to its end.
    log "submitting $groups birth groups through intake (h2load -n $groups, $connections connections)"
    rm -f "$out/requests.tsv"
    sample "$out/cpu.l0"; local t0=$EPOCHREALTIME
    start_generator h2load --h1 -t1 -c"$connections" -n"$groups" -d "$out/linked.json" --log-file="$out/requests.tsv" \
        -H "Authorization: Bearer $BENCH_TOKEN" -H "Content-Type: application/json" "http://127.0.0.1:$port/v1/dossiers"
    local t_sub='' final=0 stuck=0 seen=0 line_at=0 el
    while :; do
        if [ -z "$t_sub" ] && generator_done; then t_sub=$EPOCHREALTIME; fi
        poll "SELECT count(*) || ' ' || count(*) FILTER (WHERE outcome IS NOT NULL) || ' ' || count(*) FILTER (WHERE outcome IS NULL
                  AND EXISTS (SELECT 1 FROM linked_steps s WHERE s.dossier_code = g.dossier_code AND s.status = 'stuck'))
              FROM linked_groups g WHERE $mine"
        read -r seen final stuck <<< "$reply"
        el="$(awk -v a="$EPOCHREALTIME" -v b="$t0" 'BEGIN { printf "%.1f", a - b }')"
        if awk -v e="$el" -v l="$line_at" 'BEGIN { exit !(e >= l) }'; then
            printf '  %7s s: %6d groups recorded, %6d final, %d with a stuck step\n' "$el" "$seen" "$final" "$stuck"
            line_at=$((line_at + 5))
        fi
        if [ -n "$t_sub" ] && [ "$seen" -ge "$groups" ] && [ $((final + stuck)) -ge "$seen" ]; then break; fi
        awk -v e="$el" -v l="$limit" 'BEGIN { exit !(e > l) }' && { log "warning: not every group ended within $limit s"; break; }
        sleep 0.5
    done
    local t1=$EPOCHREALTIME; sample "$out/cpu.l1"; fates1="$(sim_fates)"
    [ "$(cat "$out/generator.rc")" = 0 ] || { cat "$out/generator.out" >&2; die "h2load failed"; }
    stop_generator

    echo
    echo "== linked: $groups birth groups (3 steps each) through the partner simulator; errors $error_rate, hangs $hang_rate of the commands; partner timeout $timeout s, backoff $backoff s (max $backoff_max s), $workers worker process(es)"
    py figures.py answers label="submissions:" log="$out/requests.tsv"
    py linked_figures.py final t0="$t0" t1="$t1" t_sub="$t_sub" final="$final" seen="$seen" stuck="$stuck"
    poll "SELECT string_agg(o || ' ' || n, ', ' ORDER BY o) FROM (SELECT coalesce(outcome, 'open') AS o, count(*) AS n
          FROM linked_groups WHERE $mine GROUP BY 1) AS x"
    echo "outcomes: $reply"
    poll "SELECT format('p50 %s s, p90 %s s, p99 %s s, max %s s', round(percentile_cont(0.5) WITHIN GROUP (ORDER BY d)::numeric, 2),
              round(percentile_cont(0.9) WITHIN GROUP (ORDER BY d)::numeric, 2), round(percentile_cont(0.99) WITHIN GROUP (ORDER BY d)::numeric, 2),
              round(max(d)::numeric, 2))
          FROM (SELECT extract(epoch FROM ended_at - created_at) AS d FROM linked_groups WHERE $mine AND ended_at IS NOT NULL) AS x"
    echo "a group's time from its recording to its end: $reply"
    echo "attempts per step (an attempt is a command; 1 = answered the first time):"
    "$(pg_bin)/psql" -h 127.0.0.1 -p "$PG_PORT" -U motcua -d motcua -qtAX -F ' ' -c "
        SELECT s.step, count(*), round(avg(s.attempts), 3), max(s.attempts), count(*) FILTER (WHERE s.attempts = 1),
               count(*) FILTER (WHERE s.attempts = 2), count(*) FILTER (WHERE s.attempts >= 3)
        FROM linked_steps s JOIN linked_groups g USING (dossier_code) WHERE g.$mine GROUP BY s.step
        ORDER BY min(s.position)" | py linked_figures.py attempts
    poll "SELECT count(*) FROM outbox WHERE exchange = 'motcua.partners' AND created_at >= '$since'"
    echo "partner commands written to the outbox: $reply"
    py linked_figures.py fates before="$fates0" after="$fates1"
    cpu_report "$out/cpu.l0" "$out/cpu.l1"
    echo "(the simulator runs as a process of its own, motcua-partner-sim, counted in \"other\")"
}

linked_mode "$@"
