#!/usr/bin/env bash
# `ops/bench report [DOSSIERS=1000000] [COMMUNES=60]`: the province report over a million dossiers.
# Loads (SQL, generate_series, one statement per table) DOSSIERS dossiers received over 2025 at
# COMMUNES communes (ten per district, under one province: unit codes ending .H98, which no other
# unit has), each with its read-model row, its journal (the receipt, and the closing action of those
# closed), its report facts (report_dossiers, as the workers write them) and, for a third of the
# online ones, a payment. VACUUM ANALYZEs, then times `motcua report` for the province (the release
# build, a process each time: start, catalog read, the report's snapshot, the output) for June 2025
# and for the whole year, with and without --children, BENCH_RUNS times each (default 5: min,
# median, max), and the same over HTTP (GET /v1/reports) when intake answers on MOTCUA_HTTP_PORT
# (8080). Then prints the plan and timing PostgreSQL reports for the counts query (EXPLAIN ANALYZE).
# Needs only the stack's PostgreSQL (ops/up; PG_PORT, default 5432) and a release build;
# BENCH_DATABASE (default motcua) names the database. The bench's rows are deleted at the end,
# whatever happens (BENCH_KEEP=1 keeps them), and before a run.
set -euo pipefail
export LC_ALL=C
# shellcheck source=../lib.sh
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"
export STATE="${MOTCUA_STATE:-$ROOT/.motcua-data}" PG_PORT="${PG_PORT:-5432}"
N="${1:-1000000}" COMMUNES="${2:-60}" RUNS="${BENCH_RUNS:-5}" DB="${BENCH_DATABASE:-motcua}"
port="${MOTCUA_HTTP_PORT:-8080}"
for v in N COMMUNES RUNS; do [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || die "$v must be a whole number above 0"; done
export MOTCUA_DATABASE_URL="postgres://motcua:motcua@127.0.0.1:$PG_PORT/$DB"
psql_() { "$(pg_bin)/psql" -h 127.0.0.1 -p "$PG_PORT" -U motcua -d "$DB" -v ON_ERROR_STOP=1 -qtA "$@"; }
psql_ -c "SELECT 1" >/dev/null 2>&1 || die "PostgreSQL does not answer on $PG_PORT (database $DB): run ops/up first"
bin="$(swift build -c "${MOTCUA_BUILD:-release}" --show-bin-path)"
[ -x "$bin/motcua" ] || die "no $bin/motcua: build it (ops/up does)"
"$bin/motcua" migrate >/dev/null

PROVINCE=000.00.00.H98
delete_bench_rows() {
    psql_ <<'SQL'
DELETE FROM report_dossiers WHERE unit_code LIKE '%.H98';
DELETE FROM payments WHERE unit_code LIKE '%.H98';
DELETE FROM journal WHERE dossier_code LIKE '%.H98-%';
DELETE FROM dossiers WHERE unit_code LIKE '%.H98';
DELETE FROM units WHERE code LIKE '%.H98';
SQL
}
cleanup() { if [ "${BENCH_KEEP:-0}" != 1 ]; then log "deleting the bench's rows"; delete_bench_rows; fi; }
delete_bench_rows
trap cleanup EXIT

log "loading $N dossiers with their journals over $COMMUNES communes"
load_started=$SECONDS
psql_ -v n="$N" -v communes="$COMMUNES" <<'SQL'
SELECT setseed(0.766);
INSERT INTO units (code, name, level, parent)
SELECT '000.00.00.H98', 'UBND tỉnh Thử Nghiệm', 'province', NULL
UNION ALL SELECT format('000.00.%s.H98', lpad(d::text, 2, '0')), format('UBND huyện Thử %s', d), 'district', '000.00.00.H98'
    FROM generate_series(1, (:communes + 9) / 10) d
UNION ALL SELECT format('000.%s.%s.H98', lpad(((c - 1) / 10 + 1)::text, 2, '0'), lpad(((c - 1) % 10 + 1)::text, 2, '0')),
                 format('UBND xã Thử %s', c), 'commune', format('000.00.%s.H98', lpad(((c - 1) / 10 + 1)::text, 2, '0'))
    FROM generate_series(1, :communes) c;
CREATE TEMP TABLE bench AS
SELECT i, code AS unit_code, received_at,
       received_at + interval '4 days' AS due_at,
       CASE WHEN r1 < 0.6 THEN 'online' WHEN r1 < 0.95 THEN 'direct' ELSE 'postal' END AS channel,
       CASE WHEN r1 < 0.6 THEN CASE WHEN r2 < 0.7 THEN 'partial' ELSE 'full' END END AS online_level,
       -- Nine in ten closed within about five days; the rest of December's still open.
       CASE WHEN received_at > timestamptz '2025-12-20 00:00+07' AND r3 < 0.5 THEN NULL
            ELSE received_at + (r3 * r3 * 5.5) * interval '1 day' END AS closed_at,
       CASE WHEN r4 < 0.03 THEN 'rejected' WHEN r4 < 0.05 THEN 'withdrawn' ELSE 'resolved' END AS closing,
       r1, r2, r3, r4
FROM (SELECT i, u.code, timestamptz '2025-01-01 00:00+07' + (i::float8 / :n * 365 * 86400) * interval '1 second' AS received_at,
             random() AS r1, random() AS r2, random() AS r3, random() AS r4
      FROM generate_series(0, :n - 1) i
      JOIN (SELECT code, row_number() OVER (ORDER BY code) - 1 AS k FROM units
            WHERE code LIKE '000.__.__.H98' AND level = 'commune') u ON u.k = i % :communes) g;
ALTER TABLE bench ADD COLUMN code text;
UPDATE bench SET code = unit_code || '-' || to_char(received_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYMMDD') || '-' || lpad(i::text, 7, '0');
INSERT INTO dossiers (code, unit_code, procedure_code, channel, online_level, status, received_at, due_at, original_due_at,
                      initial_due_at, handling_unit, closed_at, timing, applicant, personal_id_last4, components)
SELECT code, unit_code, '2.000575', channel, online_level,
       CASE WHEN closed_at IS NULL THEN 'received' ELSE closing END, received_at, due_at, due_at, due_at, unit_code,
       closed_at,
       CASE WHEN closed_at IS NULL OR closing = 'withdrawn' THEN NULL
            WHEN closed_at > due_at THEN 'overdue'
            WHEN (closed_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date < (due_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date THEN 'early'
            ELSE 'on_time' END,
       '{"personalId": "051095001234", "fullName": "Nguyễn Văn A"}', '1234',
       '[{"name": "Tờ khai", "digitized": true, "sha256": "5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e", "bytes": 1000, "mediaType": "application/pdf"}]'
FROM bench;
INSERT INTO journal (dossier_code, type, at, actor, data)
SELECT code, 'received', received_at, channel, '{}' FROM bench
UNION ALL
SELECT code, CASE closing WHEN 'resolved' THEN 'resolve' WHEN 'rejected' THEN 'reject' ELSE 'withdraw' END, closed_at, NULL,
       jsonb_build_object('type', CASE closing WHEN 'resolved' THEN 'resolve' WHEN 'rejected' THEN 'reject' ELSE 'withdraw' END,
                          'at', to_char(closed_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD"T"HH24:MI:SS"+07:00"'))
FROM bench WHERE closed_at IS NOT NULL;
INSERT INTO payments (transaction_id, status, dossier_code, unit_code, amount_vnd, gateway, paid_at, expected_fee_vnd)
SELECT 'bench-' || i, 'succeeded', code, unit_code, 100000, 'national', received_at + interval '5 minutes', 100000
FROM bench WHERE channel = 'online' AND r2 < 0.33;
INSERT INTO report_dossiers (code, unit_code, received_at, open_until, channel, online_level, online_offered, fee_bearing,
    paper_result, closing, timing, overdue, fully_digitized_at, reused_at, result_digitized_at, result_signed, paid,
    linked_group, linked_completed, apology_at, apology_timely, escalation_at)
SELECT b.code, b.unit_code, b.received_at, coalesce(b.closed_at, 'infinity'), b.channel, b.online_level, true, true, true,
       CASE WHEN b.closed_at IS NOT NULL THEN b.closing END, d.timing,
       CASE WHEN b.closed_at IS NULL THEN tstzmultirange(tstzrange(b.due_at, NULL, '(]'))
            WHEN b.closed_at > b.due_at THEN tstzmultirange(tstzrange(b.due_at, b.closed_at, '(]'))
            ELSE '{}' END,
       CASE WHEN b.r2 < 0.9 THEN b.received_at END, CASE WHEN b.r4 > 0.8 THEN b.received_at END,
       CASE WHEN b.closing = 'resolved' AND b.r3 < 0.85 THEN b.closed_at END, b.r1 < 0.5,
       CASE WHEN b.channel = 'online' AND b.r2 < 0.33 THEN tstzmultirange(tstzrange(b.received_at + interval '5 minutes', NULL, '(]'))
            ELSE '{}' END,
       CASE WHEN b.i % 50 = 0 THEN 'birth' WHEN b.i % 50 = 1 THEN 'death' END, b.closing = 'resolved' AND b.i % 50 < 2,
       CASE WHEN b.closed_at > b.due_at THEN b.due_at END, CASE WHEN b.closed_at > b.due_at THEN false END,
       CASE WHEN b.closed_at > b.due_at THEN b.due_at + interval '4 days' END
FROM bench b JOIN dossiers d ON d.code = b.code;
SQL
log "loaded in $((SECONDS - load_started)) s; VACUUM ANALYZE"
psql_ -c "VACUUM ANALYZE report_dossiers" -c "VACUUM ANALYZE payments" -c "VACUUM ANALYZE dossiers" -c "VACUUM ANALYZE journal"
psql_ -c "SELECT 'rows: report_dossiers ' || (SELECT count(*) FROM report_dossiers WHERE unit_code LIKE '%.H98')
                 || ', journal ' || (SELECT count(*) FROM journal WHERE dossier_code LIKE '%.H98-%')
                 || ', payments ' || (SELECT count(*) FROM payments WHERE unit_code LIKE '%.H98')
                 || '; report_dossiers ' || pg_size_pretty(pg_total_relation_size('report_dossiers')) || ' with its indexes'"

# Milliseconds of each run of a command, then "min median max".
timed() {
    local runs=() start end i
    for i in $(seq 1 "$RUNS"); do
        start=$EPOCHREALTIME
        "$@" > "$STATE/bench/report-last.out"
        end=$EPOCHREALTIME
        runs+=("$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%d", (b - a) * 1000 }')")
    done
    printf '%s\n' "${runs[@]}" | sort -n | awk '{ v[NR] = $1 } END { printf "min %d ms, median %d ms, max %d ms (%d runs)", v[1], v[int((NR + 1) / 2)], v[NR], NR }'
}
mkdir -p "$STATE/bench"
token=""
if curl -fsS -m 2 "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then
    token="${MOTCUA_API_TOKENS:-$( [ -f "$STATE/dev-token" ] && cat "$STATE/dev-token" )}"; token="${token%%=*}"
fi
for period in "2025-06-01 2025-06-30" "2025-01-01 2025-12-31"; do
    set -- $period
    for children in "" "--children"; do
        printf '%-28s %-11s cli  %s\n' "$1..$2" "${children:-(total)}" \
            "$(timed "$bin/motcua" report --unit "$PROVINCE" --from "$1" --to "$2" --format json $children)"
        if [ -n "$token" ]; then
            printf '%-28s %-11s http %s\n' "$1..$2" "${children:-(total)}" \
                "$(timed curl -fsS -H "Authorization: Bearer $token" \
                    "http://127.0.0.1:$port/v1/reports?unit=$PROVINCE&from=$1&to=$2${children:+&children=true}")"
        fi
    done
done
log "the June report with --children, as a table:"
"$bin/motcua" report --unit "$PROVINCE" --from 2025-06-01 --to 2025-06-30 --children | sed -n '1,16p'

# The counts query as the report sends it, for the province's units, under EXPLAIN ANALYZE.
units="$(psql_ -c "SELECT string_agg(code, ',' ORDER BY code) FROM units WHERE code LIKE '%.H98'")"
buckets="$(psql_ -c "SELECT string_agg('0', ',') FROM units WHERE code LIKE '%.H98'")"
query="$(sed -n '/static let dossierCounts = """/,/^        """/p' Sources/Store/Reports/ReportQuery.swift | sed '1d;$d')"
r1="'{$units}'::text[]" r2="'{$buckets}'::int[]" f="'2025-06-01T00:00:00+07:00'::timestamptz"
e="'2025-07-01T00:00:00+07:00'::timestamptz"
query="${query//\$1/$r1}"; query="${query//\$2/$r2}"; query="${query//\$3/$f}"; query="${query//\$4/$e}"
query="${query//\$5/$e}"; query="${query//\$6/now()}"
log "the June counts query under EXPLAIN (ANALYZE, BUFFERS):"
psql_ -c "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) $query" | grep -vE '^\s*$' | sed 's/^/    /'
