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
# and I/O stalls, what PostgreSQL's sessions waited on (pg_stat_activity every 20 ms), and the limit.
# The load is followed by a CHECKPOINT (BENCH_CHECKPOINT=0: none); BENCH_TIMEOUT=120 s. The bench's
# dossiers have codes of days in 2099 (000.00.19.H56-99MMDD-NNNN), which intake never issues: their
# rows (dossiers, deadline_timers, journal, outbox, apology_letters, and the letters' numbers) are
# deleted at the end, whatever happens (BENCH_KEEP=1 keeps them), and before a run.

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
    local t_vacuum=$EPOCHREALTIME in_table settle=""
    # The load wrote in seconds what months of intake would (WAL: about 0.5 GB per million timers with
    # their dossiers); a checkpoint it triggers would run during the firing. So one runs now, as the
    # superuser (BENCH_CHECKPOINT=0: none).
    if [ "${BENCH_CHECKPOINT:-1}" != 0 ]; then
        "$(pg_bin)/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d motcua -qtA -c CHECKPOINT >/dev/null
        settle="$(awk -v a="$t_vacuum" -v b="$EPOCHREALTIME" 'BEGIN { printf "; CHECKPOINT %.1f s", b - a }')"
    fi
    in_table="$(psql_ "SELECT count(*) FILTER (WHERE fired_at IS NULL) || ' pending of ' || count(*) FROM deadline_timers")"
    echo "== deadlines: $pending pending timers, $due dossiers due now; ${#workers[@]} worker process(es) of ops/up (--role all: each a deadline worker, 500 timers a transaction, and an outbox relay, 100 rows a batch)"
    awk -v a="$t_load" -v b="$t_pending" -v c="$t_loaded" -v d="$t_vacuum" -v p="$pending" -v n="$dossiers" -v due="$due" -v t="$in_table" -v settle="$settle" 'BEGIN {
        printf "load: %d pending timers and their %d dossiers in %.1f s; %d due dossiers (their journal entry, their fired due-soon timer) in %.1f s; VACUUM (ANALYZE) %.1f s%s; deadline_timers now: %s\n",
            p, n, b - a, due, c - b, d - c, settle, t }'
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
    awk '/^--$/ { exit } { print "    " $0 }' "$plans"
    awk '/Execution Time/ { sub(/ ms$/, "", $3); t[++n] = $3 } /Planning Time/ { sub(/ ms$/, "", $3); p[n + 1] = $3 }
         END { printf "  execution time of the 5 runs:"; for (i = 1; i <= n; i++) printf " %.3f", t[i]; printf " ms; planning:"
               for (i = 1; i <= n; i++) printf " %.3f", p[i]; print " ms" }' "$plans"
    if grep -q "Index Scan using deadline_timers_pending" "$plans" && ! grep -q "Seq Scan\|Sort" "$plans"; then
        echo "  plan: Limit <- LockRows <- Index Scan using deadline_timers_pending (a range scan of the partial index, no sort)"
    else
        echo "  WARNING: the plan is not an index range scan of deadline_timers_pending"
    fi

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
    cpu_between "$out/cpu.idle" "$out/cpu.0" | awk '$1 == "other" { o = $2 } $1 == "busy" { b = $2; c = $3 }
        END { if (c) printf "the second before the clock: the machine %.0f%% busy, %.0f%% of it by processes outside this stack\n", 100 * b / c, 100 * o / c }'
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
        | awk '/Index Scan|Seq Scan|Bitmap Heap/ && !node { node = $0; sub(/^ *(->)? */, "", node); sub(/ *\(cost.*/, "", node) }
               /Buffers: shared/ && !buf { buf = $0; sub(/^ *Buffers: /, "", buf) }
               /Execution Time/ { t = $3 }
               END { printf "%s ms (%s; buffers %s)", t, node, buf }')"

    # 4. Figures.
    echo
    echo "== firing: $due overdue timers made due at once (one INSERT, $(awk -v a="$t0" -v b="$t_before" 'BEGIN { printf "%.0f", 1000 * (a - b) }') ms; the clock starts at its commit)"
    if [ "$all" = - ]; then
        echo "NOT ALL ALERTS: $count of $((2 * due)) in the queue after $timeout s (BENCH_TIMEOUT)"
    else
        awk -v t0="$t0" -v f="$first" -v h="$half" -v a="$all" -v n=$((2 * due)) -v polls="$polls" 'BEGIN {
            printf "all %d alerts (%d overdue + %d apology_issued) in the queue %.2f s after the commit: %.0f alerts/s\n", n, n / 2, n / 2, a - t0, n / (a - t0)
            printf "  the queue'\''s depth (read %d times, every ~10 ms): first alert at +%.3f s, half at +%.3f s, all at +%.3f s\n", polls, f - t0, h - t0, a - t0
            printf "  the aim, all out within 5 s: %s\n", (a - t0 <= 5) ? "met" : "NOT met" }'
    fi
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
    | awk -F'|' -v due="$due" '{
        printf "firing: %d of %d timers fired, in %d transactions (%.0f timers each on average); the first began at %+.3f s, the last at %+.3f s\n", $1, due, $2, $2 ? $1 / $2 : 0, $3, $4
        printf "  firing lag (fired_at, the now() of the firing transaction, i.e. its start, minus the commit that made them due;\n"
        printf "  their fire_at is a minute and more before that): p50 %.3f s, p99 %.3f s, max %.3f s\n", $5, $6, $4
        printf "outbox: %d rows, published in %d relay batches (%.0f rows each on average), the first marked sent at %+.3f s, the last at %+.3f s\n", $7, $8, $8 ? $7 / $8 : 0, $9, $10
        printf "  outbox lag (sent_at - created_at: from the firing transaction'\''s start to the relay'\''s mark after the confirms): p50 %.3f s, p99 %.3f s, max %.3f s\n", $11, $12, $13
        printf "written with them: %d apology letters, %d apology_issued journal entries, %d dossiers with their letter, %d escalation timers pending; %d due-soon timers still as they were\n", $14, $15, $18, $16, $17 }'
    echo "in the queue, about the due dossiers: $stats"
    echo "the due scan again, right after the firing (nothing due; the fired timers' old entries still in the index): $after"
    awk -v s="$stats" -v due="$due" 'BEGIN { n = split(s, f, " "); for (i = 1; i <= n; i++) { split(f[i], kv, "="); v[kv[1]] = kv[2] }
        if (v["overdue"] != due || v["apology_issued"] != due) printf "  WARNING: expected %d overdue and %d apology_issued alerts\n", due, due
        if (v["due_soon"] + v["escalated"] > 0) print "  WARNING: due_soon or escalated alerts about the due dossiers: a timer fired that should not have"
        if (v["duplicate_ids"] > 0) print "  WARNING: an alert id came more than once"
        if (v["apology_before_overdue"] > 0) printf "  note: for %d dossiers the apology_issued alert reached the queue before their overdue alert (the relays publish concurrently)\n", v["apology_before_overdue"]
        if (v["other_subjects"] > 0) print "  note: alerts about other dossiers arrived too: the depth counted them, so the time above is short by them" }'
    cpu_report "$out/cpu.0" "$out/cpu.1"
    awk -v hz="$clk_tck" 'FNR == NR { was[$1] = $2; next }
        { d = ($1 in was) ? $2 - was[$1] : $2; if (d < 0) d = 0; s[$3] += d / hz; if (!($3 in seen)) { seen[$3] = 1; order[++n] = $3 } }
        END { printf "  postgres by process:"; for (i = 1; i <= n; i++) if (s[order[i]] >= 0.005) printf " %s %.2f s,", order[i], s[order[i]]; print "" }' \
        "$out/pg.0" "$out/pg.1" | sed 's/,$//'
    awk -v a="$pg0" -v b="$pg1" 'BEGIN { split(a, x, " "); split(b, y, " ")
        printf "  PostgreSQL during the firing: %d checkpoint(s) begun, %d buffers written by the checkpointer; WAL %.1f MB in %d records, %d full-page images; WAL syncs %d\n",
            y[1] - x[1], y[2] - x[2], (y[5] - x[5]) / 1048576, y[3] - x[3], y[4] - x[4], y[6] - x[6] }'
    io_report "$io0" "$io1" "$io_t0" "$io_t1" "the firing"
    # The sessions' samples: the six most frequent states (mean number of sessions in each), then the
    # same by kind: CPU, waiting for WAL to be written or flushed (commits), waiting on a row lock,
    # waiting for the client in a transaction.
    awk '{ n++; for (i = 1; i <= NF; i++) if ($i != "-") { c[$i]++; k = $i
               if (k ~ /^CPU/) g["cpu"]++; else if (k ~ /WAL/) g["wal"]++; else if (k ~ /^Lock:/) g["lock"]++
               else if (k == "idle-in-transaction") g["client"]++; else g["rest"]++ } }
         END { if (!n) exit; for (k in c) t += c[k]
               printf "  PostgreSQL sessions (pg_stat_activity every 20 ms, %d samples; wait event (statement'\''s table)): on average %.2f busy:\n   ", n, t / n
               m = 0; for (k in c) { key[++m] = k }
               for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (c[key[j]] > c[key[i]]) { x = key[i]; key[i] = key[j]; key[j] = x }
               for (i = 1; i <= m && i <= 6; i++) printf "%s %s %.2f", (i > 1 ? "," : ""), key[i], c[key[i]] / n
               printf "\n  by kind: on CPU %.2f, waiting for WAL (commits) %.2f, on a row lock %.2f, for their client mid-transaction %.2f, other %.2f\n",
                   g["cpu"] / n, g["wal"] / n, g["lock"] / n, g["client"] / n, g["rest"] / n
               print g["cpu"] / n, g["wal"] / n, g["lock"] / n, g["client"] / n > "/dev/stderr" }' "$ash" 2> "$out/activity.kinds"
    cpu_between "$out/cpu.0" "$out/cpu.1" | awk -v cores="$cores" -v kinds="$(cat "$out/activity.kinds")" '
        $1 == "busy" { busy = $2; cap = $3; next }
        $1 != "other" && $1 != "bench" { if ($2 > top_s) { top = $1; top_s = $2 } }
        $1 == "other" { other = $2 }
        END { if (!cap) exit
              split(kinds, k, " ")
              if (other > 0.2 * cap) printf "NOTE: processes outside this stack took %.0f%% of the machine during the firing: the figures are slower than on a quiet machine\n", 100 * other / cap
              if (busy / cap < 0.6) printf "limit: mostly waiting: the %d cores were %.0f%% busy; at this size the idle polls (a deadline worker looks every 500 ms, a relay every 200 ms) and single transactions weigh most\n", cores, 100 * busy / cap
              else if (busy / cap >= 0.85) printf "limit: CPU: the %d cores were %.0f%% busy; the biggest consumer was %s (%.0f%% of the machine)\n", cores, 100 * busy / cap, top, 100 * top_s / cap
              else if (k[2] >= k[3] && k[2] >= k[4]) printf "limit: commits: the %d cores were %.0f%% busy; PostgreSQL'\''s sessions waited for WAL flushes more than anything else (%.2f sessions on average)\n", cores, 100 * busy / cap, k[2]
              else if (k[3] >= k[4]) printf "limit: a row lock the workers queue for (%.2f sessions on average); the %d cores were %.0f%% busy\n", k[3], cores, 100 * busy / cap
              else printf "limit: the workers'\'' own work between their statements (%.2f sessions idle in transaction on average); the %d cores were %.0f%% busy, the biggest consumer %s\n", k[4], cores, 100 * busy / cap, top }'
    kill "$POLL_PID" 2>/dev/null || true; wait "$POLL_PID" 2>/dev/null || true; POLL_PID=
}

deadlines_mode "$@"
