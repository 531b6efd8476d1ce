#!/usr/bin/env bash
# `ops/bench deadlines [PENDING=1000000] [DUE=10000]`: firing due deadline timers among many pending
# ones, with the workers of ops/up running. Loads (SQL, generate_series) PENDING timers that are not
# due (a due-soon and an overdue timer per dossier, spread over 180 days) and DUE open dossiers at
# their due moment (a minute ago; their due-soon timer already fired), VACUUM ANALYZEs, runs the
# workers' due scan under EXPLAIN (ANALYZE, BUFFERS) with nothing due (in a transaction rolled back),
# binds a private queue on motcua.alerts (deadline.#, pika in .motcua-venv, ops/bench.d/deadlines.py),
# then makes the DUE overdue timers due in one statement and times until the 2 x DUE alerts (overdue
# + the automatic letter's apology_issued) are in that queue (its depth read every 10 ms). Prints the
# time and alerts/s, the firing lag and outbox lag p50/p99, the firing transactions and relay
# batches, what reached the queue by kind, the CPU seconds per process (PostgreSQL's by process), WAL
# and I/O stalls, what PostgreSQL's sessions waited on (pg_stat_activity every 20 ms), and the limit
# (deadlines_figures.py). The load is followed by a CHECKPOINT (BENCH_CHECKPOINT=0: none);
# BENCH_TIMEOUT=120 s. The bench's dossiers have codes of days in 2099 (000.00.19.H56-99MMDD-NNNN),
# which intake never issues: their rows (dossiers, deadline_timers, journal, outbox, apology_letters,
# and the letters' numbers) are deleted at the end, whatever happens (BENCH_KEEP=1 keeps them), and
# before a run.

# shellcheck source=common.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# ---- deadlines: due timers fired among many pending ones -------------------------------------------
# pika for ops/bench.d/deadlines.py, in the project's virtual environment (ops/fuzz keeps schemathesis
# there too); prints the environment's python.
PIKA_VERSION=1.3.2
pika_python() {
    local venv="$ROOT/.motcua-venv"
    if ! "$venv/bin/python" -c 'import pika' >/dev/null 2>&1; then
        command -v python3 >/dev/null || { as_root apt-get update -qq; need python3 python3; }
        if [ ! -x "$venv/bin/pip" ]; then
            rm -rf "$venv"
            if ! python3 -m venv "$venv" >/dev/null 2>&1; then
                rm -rf "$venv"
                log "installing python3-venv with apt"
                as_root apt-get update -qq
                DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq python3-venv >/dev/null
                python3 -m venv "$venv"
            fi
        fi
        log "installing pika $PIKA_VERSION into $venv"
        "$venv/bin/pip" install -q --disable-pip-version-check "pika==$PIKA_VERSION" >&2
    fi
    echo "$venv/bin/python"
}
# The SQL of the bench's dossier code number N (an SQL expression) of the block starting on DAY:
# 99,999 codes a day, the sequence padded to 4 digits as intake pads it (DossierCode).
bench_code() {
    local seq="(((${2}) - 1) % 99999 + 1)::text"
    printf "'%s-' || to_char(date '%s' + ((%s) - 1) / 99999, 'YYMMDD') || '-' || lpad(%s, greatest(4, length(%s)), '0')" \
        "$bench_unit" "$1" "$2" "$seq" "$seq"
}
# Deletes every row the bench made (codes of days in 2099): timers, outbox rows, journal entries,
# letters (and their numbers: each unit and year's sequence goes back to its highest remaining
# letter), then the dossiers. Prints what went.
deadlines_cleanup() {
    local like="$bench_prefix%"
    "$(pg_bin)/psql" -h 127.0.0.1 -p "$PG_PORT" -U motcua -d motcua -qtA -v ON_ERROR_STOP=1 <<SQL | paste -sd' '
BEGIN;
WITH d AS (DELETE FROM deadline_timers WHERE dossier_code LIKE '$like' RETURNING 1) SELECT 'timers ' || count(*) FROM d;
WITH d AS (DELETE FROM outbox WHERE message_id LIKE 'deadline:$like' RETURNING 1) SELECT 'outbox ' || count(*) FROM d;
WITH d AS (DELETE FROM journal WHERE dossier_code LIKE '$like' RETURNING 1) SELECT 'journal ' || count(*) FROM d;
CREATE TEMP TABLE bench_letters ON COMMIT DROP AS
    WITH d AS (DELETE FROM apology_letters WHERE dossier_code LIKE '$like' RETURNING unit_code, year) SELECT * FROM d;
SELECT 'letters ' || count(*) FROM bench_letters;
UPDATE apology_sequences s SET last = coalesce((SELECT max(n) FROM apology_letters l
                                               WHERE l.unit_code = s.unit_code AND l.year = s.year), 0)
    WHERE (s.unit_code, s.year) IN (SELECT DISTINCT unit_code, year FROM bench_letters);
DELETE FROM apology_sequences WHERE last = 0;
WITH d AS (DELETE FROM dossiers WHERE code LIKE '$like' RETURNING 1) SELECT 'dossiers ' || count(*) FROM d;
COMMIT;
SQL
}
deadlines_exit() {
    local rc=$?
    # A signal during `IFS= read` runs this with that empty IFS: word splitting as usual here.
    local IFS=$' \t\n'
    if [ -n "${alerts_pid:-}" ]; then kill "$alerts_pid" 2>/dev/null || true; wait "$alerts_pid" 2>/dev/null || true; fi
    if [ -n "${POLL_PID:-}" ]; then kill "$POLL_PID" 2>/dev/null || true; wait "$POLL_PID" 2>/dev/null || true; fi
    if [ -n "${deadlines_dirty:-}" ]; then
        if [ -n "${BENCH_KEEP:-}" ]; then log "BENCH_KEEP: the bench's rows stay (codes $bench_prefix…; ops/bench deadlines deletes them before its next run)"
        else log "cleaning up: $(deadlines_cleanup)"; fi
    fi
    return "$rc"
}

# PostgreSQL's processes: "PID TICKS KIND" a line (utime+stime, and the children it reaped: for the
# postmaster, the autovacuum workers and other children that exited), KIND from the process title.
pg_processes() {
    local pm; pm="$(pidfile "$STATE/postgres/postmaster.pid")"
    { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v pm="$pm" '
        { pid = $1; line = $0; sub(/^.*\) /, "", line); split(line, f, " ")
          if (pid == pm) print pid, f[12] + f[13] + f[14] + f[15]; else if (f[2] == pm) print pid, f[12] + f[13] + f[14] + f[15] }' |
    while read -r pid ticks; do
        local title; title="$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null || true)"
        case "$title" in
            *checkpointer*) kind=checkpointer ;; *"background writer"*) kind=bgwriter ;; *walwriter*) kind=walwriter ;;
            *"autovacuum worker"*) kind=autovacuum ;; *launcher*) kind=launchers ;;
            "postgres: "*) kind=backends ;; *) kind=postmaster+exited ;;
        esac
        [ "$pid" != "$(pidfile "$STATE/postgres/postmaster.pid")" ] || kind=postmaster+exited
        echo "$pid $ticks $kind"
    done
}
# PostgreSQL's own counters, one line: checkpoints (timed + requested), buffers the checkpointer wrote,
# WAL records, full-page images, bytes, and the time spent syncing WAL (ms).
pg_counters() {
    psql_ "SELECT (SELECT checkpoints_timed + checkpoints_req || ' ' || buffers_checkpoint FROM pg_stat_bgwriter) || ' ' ||
                  (SELECT wal_records || ' ' || wal_fpi || ' ' || wal_bytes || ' ' || wal_sync FROM pg_stat_wal)"
}


deadlines_mode() {
    local pending="${1:-1000000}" due="${2:-10000}" timeout="${BENCH_TIMEOUT:-120}"
    number PENDING "$pending"; number DUE "$due"; number BENCH_TIMEOUT "$timeout"
    [ "$pending" -le 20000000 ] || die "PENDING: at most 20,000,000 (the codes of 100 days)"
    [ "$due" -le 1999980 ] || die "DUE: at most 1,999,980 (the codes of 20 days)"
    bench_unit=000.00.19.H56 bench_prefix=000.00.19.H56-99
    local procedure=1.004222 pending_day=2099-01-01 due_day=2099-12-01 due_prefix=000.00.19.H56-9912
    local python workers lead pid
    python="$(pika_python)"
    mapfile -t workers < <(worker_pids)
    [ "${#workers[@]}" -gt 0 ] || die "no worker of ops/up runs"
    pid="${workers[0]}"
    lead="$(tr '\0' '\n' < "/proc/$pid/environ" | sed -n 's/^MOTCUA_DUE_SOON_LEAD_WORKING_DAYS=//p')"; lead="${lead:-1}"
    trap deadlines_exit EXIT; trap 'exit 130' INT TERM
    deadlines_dirty=1
    log "rows of an earlier run: $(deadlines_cleanup)"

    # 0. The stack idle: nothing in the outbox, no other timer coming due during the run.
    local waited=0
    until [ "$(psql_ "SELECT count(*) FROM outbox WHERE sent_at IS NULL")" = 0 ]; do
        [ "$waited" -lt 60 ] || { log "warning: the outbox still holds unsent rows: they are published with the bench's"; break; }
        sleep 1; waited=$((waited + 1))
    done
    local others
    others="$(psql_ "SELECT count(*) FROM deadline_timers WHERE fired_at IS NULL AND fire_at <= now() + interval '10 minutes'")"
    [ "$others" = 0 ] || log "warning: $others other timers are due or come due within 10 minutes: they fire with the bench's"

    # 1. Load: PENDING timers not due (ceil(PENDING/2) dossiers, an overdue and a due-soon timer each,
    # due moments in whole seconds 2 to 182 days ahead, scattered), then DUE dossiers due a minute ago
    # with their due-soon timer fired a working day before (as the worker would have); their overdue
    # timers come last, in one statement, and start the clock.
    local dossiers=$(( (pending + 1) / 2 )) soon=$(( pending / 2 )) t_load=$EPOCHREALTIME
    log "loading $pending pending timers ($dossiers dossiers) and $due dossiers due now (codes $bench_prefix…); $((${#workers[@]})) worker process(es) running"
    local applicant='{"personalId":"051095001234","fullName":"Bench Deadlines","phone":"0912345678"}'
    local columns="code, unit_code, procedure_code, channel, online_level, status, received_at, due_at, original_due_at,
                   initial_due_at, handling_unit, applicant, personal_id_last4, components"
    local scatter="date_trunc('second', now() + interval '2 days' + (n * 0.6180339887 - floor(n * 0.6180339887)) * interval '180 days')"
    psql_ "
        INSERT INTO dossiers ($columns)
        SELECT $(bench_code "$pending_day" n), '$bench_unit', '$procedure', 'online', 'full', 'received', now() - interval '1 day',
               d, d, d, '$bench_unit', '$applicant', '1234', '[]'
        FROM generate_series(1, $dossiers) n, LATERAL (SELECT $scatter AS d) s;
        INSERT INTO deadline_timers (dossier_code, kind, fire_at, due_at)
        SELECT $(bench_code "$pending_day" n), 'overdue', d, d FROM generate_series(1, $dossiers) n, LATERAL (SELECT $scatter AS d) s;
        INSERT INTO deadline_timers (dossier_code, kind, fire_at, due_at)
        SELECT $(bench_code "$pending_day" n), 'due_soon', d - interval '1 day', d
        FROM generate_series(1, $soon) n, LATERAL (SELECT $scatter AS d) s;" >/dev/null
    local t_pending=$EPOCHREALTIME due_at lead_at
    due_at="$(psql_ "SELECT date_trunc('second', now()) - interval '1 minute'")"
    # The due-soon moment as DeadlineSchedule.lead computes it: LEAD working days before, at the same
    # local time (UTC+7), on the catalog's calendar (holidays, make-up days).
    lead_at="$(psql_ "
        WITH t AS (SELECT '$due_at'::timestamptz AS due, ('$due_at'::timestamptz AT TIME ZONE 'UTC') + interval '7 hours' AS loc),
        off AS (SELECT jsonb_array_elements_text(holidays)::date AS d FROM calendar_years),
        make_up AS (SELECT jsonb_array_elements_text(make_up_days)::date AS d FROM calendar_years),
        working AS (SELECT g::date AS d FROM t, generate_series((t.loc::date - 1)::timestamp, (t.loc::date - 120)::timestamp, interval '-1 day') g
                    WHERE g::date IN (SELECT d FROM make_up) OR (extract(isodow FROM g) <= 5 AND g::date NOT IN (SELECT d FROM off))
                    ORDER BY g DESC OFFSET greatest($lead - 1, 0) LIMIT 1)
        SELECT CASE WHEN $lead = 0 THEN t.due ELSE ((w.d + t.loc::time) - interval '7 hours') AT TIME ZONE 'UTC' END
        FROM t LEFT JOIN working w ON true")"
    psql_ "
        INSERT INTO dossiers ($columns)
        SELECT $(bench_code "$due_day" n), '$bench_unit', '$procedure', 'online', 'full', 'received',
               '$due_at'::timestamptz - interval '10 days', '$due_at', '$due_at', '$due_at', '$bench_unit', '$applicant', '1234', '[]'
        FROM generate_series(1, $due) n;
        INSERT INTO journal (dossier_code, type, at, actor, data, event_source, event_id)
        SELECT $(bench_code "$due_day" n), 'received', '$due_at'::timestamptz - interval '10 days', 'online', '{}', 'bench', 'bench-' || n
        FROM generate_series(1, $due) n;
        INSERT INTO deadline_timers (dossier_code, kind, fire_at, due_at, fired_at)
        SELECT $(bench_code "$due_day" n), 'due_soon', '$lead_at', '$due_at', '$lead_at' FROM generate_series(1, $due) n;" >/dev/null
    local t_loaded=$EPOCHREALTIME
    psql_ "VACUUM (ANALYZE) deadline_timers" >/dev/null; psql_ "VACUUM (ANALYZE) dossiers" >/dev/null; psql_ "VACUUM (ANALYZE) journal" >/dev/null
    local t_vacuum=$EPOCHREALTIME in_table t_checkpoint=""
    # The load wrote in seconds what months of intake would (WAL: about 0.5 GB per million timers with
    # their dossiers); a checkpoint it triggers would run during the firing. So one runs now, as the
    # superuser (BENCH_CHECKPOINT=0: none).
    if [ "${BENCH_CHECKPOINT:-1}" != 0 ]; then
        "$(pg_bin)/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d motcua -qtA -c CHECKPOINT >/dev/null
        t_checkpoint=$EPOCHREALTIME
    fi
    in_table="$(psql_ "SELECT count(*) FILTER (WHERE fired_at IS NULL) || ' pending of ' || count(*) FROM deadline_timers")"
    echo "== deadlines: $pending pending timers, $due dossiers due now; ${#workers[@]} worker process(es) of ops/up (--role all: each a deadline worker, 500 timers a transaction, and an outbox relay, 100 rows a batch)"
    py deadlines_figures.py load t_load="$t_load" t_pending="$t_pending" t_loaded="$t_loaded" t_vacuum="$t_vacuum" \
        t_checkpoint="$t_checkpoint" pending="$pending" dossiers="$dossiers" due="$due" in_table="$in_table"
    echo "due moment of the due dossiers: $due_at (their due-soon timer: $lead_at, fired; MOTCUA_DUE_SOON_LEAD_WORKING_DAYS=$lead)"

    # 2. The due scan with everything loaded and nothing due: the workers' claim under EXPLAIN, rolled back.
    local scan="SELECT dossier_code, kind, due_at FROM deadline_timers WHERE fired_at IS NULL AND fire_at <= now() ORDER BY fire_at LIMIT 500 FOR UPDATE SKIP LOCKED"
    local i plans="$out/due-scan.txt"
    for i in 1 2 3 4 5; do
        printf 'BEGIN;\nEXPLAIN (ANALYZE, BUFFERS) %s;\nROLLBACK;\n' "$scan" \
            | "$(pg_bin)/psql" -h 127.0.0.1 -p "$PG_PORT" -U motcua -d motcua -qtAX -v ON_ERROR_STOP=1
        echo "--"
    done > "$plans"
    echo
    echo "due scan at $(psql_ "SELECT count(*) FROM deadline_timers WHERE fired_at IS NULL") pending timers, nothing due (the workers' claim under EXPLAIN (ANALYZE, BUFFERS), in a transaction rolled back; 5 runs):"
    py deadlines_figures.py plans file="$plans"

    # 3. The clock: the alert queue first, then the due timers in one statement.
    # deadlines.py over two FIFOs (bash keeps one coproc at a time: psql's, below).
    rm -f "$out/alerts.in" "$out/alerts.out"; mkfifo "$out/alerts.in" "$out/alerts.out"
    "$python" ops/bench.d/deadlines.py --amqp "amqp://guest:guest@127.0.0.1:$AMQP_PORT/%2f" --target $((2 * due)) \
        --subjects "$due_prefix" --timeout "$timeout" < "$out/alerts.in" > "$out/alerts.out" &
    alerts_pid=$!
    local alerts_w alerts_r line
    exec {alerts_w}>"$out/alerts.in" {alerts_r}<"$out/alerts.out"
    IFS= read -r -t 30 line <&"$alerts_r" || die "deadlines.py did not bind its queue"
    [ "${line%% *}" = ready ] || die "deadlines.py: $line"
    POLL_TIMEOUT=$timeout; poll_open
    local reply
    poll "SELECT 1"
    # A second before the clock: how busy the machine is without the bench (the workers' next look,
    # every 500 ms when idle, is then anywhere in its period).
    sample "$out/cpu.idle"; sleep 1; sample "$out/cpu.0"
    pg_processes > "$out/pg.0"; local pg0 io0 io_t0=$EPOCHREALTIME; pg0="$(pg_counters)"; io0="$(io_stall)"
    echo go >&"$alerts_w"
    local t_before=$EPOCHREALTIME t0
    poll "INSERT INTO deadline_timers (dossier_code, kind, fire_at, due_at)
          SELECT $(bench_code "$due_day" n), 'overdue', '$due_at', '$due_at' FROM generate_series(1, $due) n;
          SELECT extract(epoch FROM clock_timestamp())"
    t0=$reply
    [[ "$t0" =~ ^[0-9]+\.[0-9]+$ ]] || die "the due timers were not written: $t0"
    # Until deadlines.py says all are in: every 20 ms, what PostgreSQL's sessions are doing (one row of
    # pg_stat_activity per sample: each busy backend's wait event, CPU when none, or "idle in
    # transaction": waiting for its client, i.e. the workers' own work between statements).
    local ash="$out/activity.txt" status
    : > "$ash"
    while :; do
        status=0; IFS= read -r -t 0.02 line <&"$alerts_r" || status=$?
        [ "$status" != 0 ] || break
        [ "$status" -gt 128 ] || die "deadlines.py exited"
        poll "SELECT coalesce(string_agg(CASE WHEN state = 'idle in transaction' THEN 'idle-in-transaction'
                  ELSE coalesce(wait_event_type || ':' || wait_event, 'CPU') || '(' || coalesce(
                      substring(query FROM '(?:INTO|UPDATE|FROM)\s+([a-z_]+)'), split_part(ltrim(query), ' ', 1)) || ')' END, ' '), '-')
              FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND datname = 'motcua'
                  AND (state IN ('active', 'idle in transaction') OR backend_type = 'autovacuum worker')"
        echo "$reply" >> "$ash"
    done
    sample "$out/cpu.1"
    pg_processes > "$out/pg.1"; local pg1 io1 io_t1=$EPOCHREALTIME; pg1="$(pg_counters)"; io1="$(io_stall)"
    local first half all count polls
    read -r _ first half all count polls <<< "$line"
    # Every alert out: the relay marks its rows sent after the broker's confirms.
    local unsent waited_ms=0
    while :; do
        poll "SELECT count(*) FROM outbox WHERE message_id LIKE 'deadline:$due_prefix%' AND sent_at IS NULL"; unsent=$reply
        [ "$unsent" != 0 ] || break
        [ "$waited_ms" -lt 30000 ] || { log "warning: $unsent of the bench's outbox rows still unsent"; break; }
        sleep 0.05; waited_ms=$((waited_ms + 50))
    done
    sleep 1  # anything fired late (a second firing, a timer the projection wrote due) reaches the queue too
    echo drain >&"$alerts_w"
    IFS= read -r -t 120 line <&"$alerts_r" || die "deadlines.py did not drain its queue"
    local stats=${line#stats }
    wait "$alerts_pid" 2>/dev/null || true; alerts_pid=
    exec {alerts_w}>&- {alerts_r}<&-; rm -f "$out/alerts.in" "$out/alerts.out"

    # The same scan now that the due timers fired: their old row versions stay in the partial index
    # (fired_at set, so no longer pending) until a vacuum, and the scan walks over them.
    local after
    after="$(printf 'BEGIN;\nEXPLAIN (ANALYZE, BUFFERS) %s;\nROLLBACK;\n' "$scan" \
        | "$(pg_bin)/psql" -h 127.0.0.1 -p "$PG_PORT" -U motcua -d motcua -qtAX -v ON_ERROR_STOP=1 \
        | py deadlines_figures.py plan-summary)"

    # 4. Figures (how busy the machine was in the second before the clock is worked out only now, out of
    # the firing's CPU samples).
    py deadlines_figures.py idle from="$out/cpu.idle" to="$out/cpu.0" hz="$clk_tck"
    echo
    py deadlines_figures.py alerts due="$due" t0="$t0" t_before="$t_before" first="$first" half="$half" all="$all" \
        count="$count" polls="$polls" timeout="$timeout"
    psql_ "
        WITH t AS (SELECT fired_at, extract(epoch FROM fired_at) - $t0 AS x FROM deadline_timers
                   WHERE kind = 'overdue' AND dossier_code LIKE '$due_prefix%'),
        o AS (SELECT sent_at, created_at, extract(epoch FROM sent_at - created_at) AS x, extract(epoch FROM sent_at) - $t0 AS s
              FROM outbox WHERE message_id LIKE 'deadline:$due_prefix%')
        SELECT (SELECT count(*) FILTER (WHERE fired_at IS NOT NULL) FROM t), (SELECT count(DISTINCT fired_at) FROM t),
               (SELECT min(x) FROM t), (SELECT max(x) FROM t),
               (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY x) FROM t), (SELECT percentile_disc(0.99) WITHIN GROUP (ORDER BY x) FROM t),
               (SELECT count(*) FROM o), (SELECT count(DISTINCT sent_at) FROM o), (SELECT min(s) FROM o), (SELECT max(s) FROM o),
               (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY x) FROM o), (SELECT percentile_disc(0.99) WITHIN GROUP (ORDER BY x) FROM o),
               (SELECT max(x) FROM o),
               (SELECT count(*) FROM apology_letters WHERE dossier_code LIKE '$due_prefix%'),
               (SELECT count(*) FROM journal WHERE dossier_code LIKE '$due_prefix%' AND type = 'apology_issued'),
               (SELECT count(*) FROM deadline_timers WHERE dossier_code LIKE '$due_prefix%' AND kind = 'escalated' AND fired_at IS NULL),
               (SELECT count(*) FROM deadline_timers WHERE dossier_code LIKE '$due_prefix%' AND kind = 'due_soon' AND fired_at = fire_at),
               (SELECT count(*) FROM dossiers WHERE code LIKE '$due_prefix%' AND apology IS NOT NULL)" \
    | py deadlines_figures.py timers due="$due"
    echo "in the queue, about the due dossiers: $stats"
    echo "the due scan again, right after the firing (nothing due; the fired timers' old entries still in the index): $after"
    py deadlines_figures.py stats stats="$stats" due="$due"
    cpu_report "$out/cpu.0" "$out/cpu.1"
    py deadlines_figures.py postgres before="$out/pg.0" after="$out/pg.1" hz="$clk_tck"
    py deadlines_figures.py wal before="$pg0" after="$pg1"
    io_report "$io0" "$io1" "$io_t0" "$io_t1" "the firing"
    # The sessions' samples: the six most frequent states (mean number of sessions in each), then the
    # same by kind (CPU, commits, row locks, the client mid-transaction: also into activity.kinds),
    # then the limit they and the CPU point at.
    py deadlines_figures.py activity file="$ash" kinds="$out/activity.kinds"
    py deadlines_figures.py limit from="$out/cpu.0" to="$out/cpu.1" kinds="$out/activity.kinds" cores="$cores" hz="$clk_tck"
    kill "$POLL_PID" 2>/dev/null || true; wait "$POLL_PID" 2>/dev/null || true; POLL_PID=
}

deadlines_mode "$@"
