#!/usr/bin/env bash
# `ops/bench migrate [DOSSIERS=2000000] [RATE=50]`: an upgrade under load. On throw-away servers of its
# own (data in .motcua-bench/, ports 55432/55672/55673/55674 moved up by BENCH_OFFSET, default 0, so
# an ops/up stack is left alone), it migrates a fresh schema, loads DOSSIERS dossiers (SQL,
# generate_series: a read-model row, report facts and an issued code each, one in ten still open) and
# puts the database back to how it was before the latest migrations, 9 and 10 (their version rows and
# indexes dropped: dossiers_open_due over the 2,000,000 dossiers, linked_steps_in_flight). Then it starts
# intake and a recorder (the release build), sends POST /v1/dossiers at RATE/s (ops/bench.d/steady_post.py)
# and, after BENCH_WARMUP=15 s, runs `motcua migrate`. Prints the upgrade's duration and the POSTs'
# latency while it ran (count, p50, p99, max, failures) beside those of the 5 s before it.
# BENCH_UPGRADE=old builds the same indexes the way migrate did before (one transaction, plain
# CREATE INDEX, through psql), for comparison. Build first: swift build -c release (under the lock).
# The servers are stopped and their data deleted at the end (BENCH_KEEP=1 keeps them running).
set -euo pipefail
export LC_ALL=C
# shellcheck source=../lib.sh
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"
N="${1:-2000000}" RATE="${2:-50}" WARMUP="${BENCH_WARMUP:-15}" UPGRADE="${BENCH_UPGRADE:-concurrent}"
for v in N RATE WARMUP; do [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || die "$v must be a whole number above 0"; done
offset=${BENCH_OFFSET:-0}
export STATE="$ROOT/.motcua-bench" PG_PORT=$((55432 + offset)) AMQP_PORT=$((55672 + offset)) \
    MGMT_PORT=$((55673 + offset)) DIST_PORT=$((55674 + offset)) NODE=motcua-bench${offset#0}@localhost
bin="$(swift build -c release --show-bin-path)"
for b in motcua motcua-intake motcua-workers; do [ -x "$bin/$b" ] || die "no $bin/$b: swift build -c release first"; done
out="$ROOT/.motcua-data/bench/migrate"
pids=()
cleanup() {
    touch "$out/stop" 2>/dev/null || true
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    if [ "${BENCH_KEEP:-0}" != 1 ]; then stop_rabbitmq; stop_postgres; rm -rf "$STATE"; fi
}
trap cleanup EXIT
ensure_packages
# A fresh start: what an interrupted run left is stopped and deleted.
stop_rabbitmq
stop_postgres
rm -rf "$STATE"
start_postgres
start_rabbitmq
export_urls
mkdir -p "$out"
rm -f "$out/stop"
psql_() { "$(pg_bin)/psql" -h 127.0.0.1 -p "$PG_PORT" -U motcua -d motcua -v ON_ERROR_STOP=1 -qtA "$@"; }
"$bin/motcua" migrate >/dev/null 2>&1

log "loading $N dossiers"
started=$SECONDS
psql_ -v n="$N" <<'SQL'
SELECT setseed(0.2);
INSERT INTO dossiers (code, unit_code, procedure_code, channel, online_level, status, received_at, due_at,
                      original_due_at, initial_due_at, handling_unit, closed_at, timing, applicant, personal_id_last4)
SELECT code, '000.00.19.H56', '1.004222', 'online', 'full', CASE WHEN open THEN 'received' ELSE 'resolved' END,
       received_at, received_at + interval '4 days', received_at + interval '4 days', received_at + interval '4 days',
       '000.00.19.H56', CASE WHEN open THEN NULL ELSE received_at + interval '2 days' END,
       CASE WHEN open THEN NULL ELSE 'early' END,
       '{"personalId": "051095001234", "fullName": "Nguyễn Văn A"}', '1234'
FROM (SELECT format('000.00.19.H56-99%s-%s', to_char(date '2001-01-01' + (i % 365), 'MMDD'), lpad(i::text, 7, '0')) AS code,
             timestamptz '2025-01-01 08:00+07' + (i::float8 / :n * 365 * 86400) * interval '1 second' AS received_at,
             random() < 0.1 AS open
      FROM generate_series(1, :n) i) g;
-- Their report facts, as the workers write them: a database at migration 8 or later has them all, and
-- without them `migrate` would spend the run writing them (ReportLedger.backfill).
INSERT INTO report_dossiers (code, unit_code, received_at, open_until, channel, online_level, online_offered, fee_bearing,
                             paper_result, closing, timing, overdue, result_signed, paid, linked_completed)
SELECT code, unit_code, received_at, coalesce(closed_at, 'infinity'), channel, online_level, true, false, false,
       CASE WHEN closed_at IS NOT NULL THEN 'resolved' END, timing, '{}', false, '{}', false
FROM dossiers WHERE code LIKE '000.00.19.H56-99%';
INSERT INTO issued_dossiers (code, unit_code, procedure_code, request, event, personal_id_last4, issued_at)
SELECT code, unit_code, procedure_code, '{}', '{}', personal_id_last4, received_at FROM dossiers
WHERE code LIKE '000.00.19.H56-99%';
SQL
# Before the upgrade: migrations 9 and 10 not applied.
psql_ <<'SQL'
DELETE FROM schema_migrations WHERE version IN (9, 10);
DROP INDEX dossiers_open_due, linked_steps_in_flight;
VACUUM ANALYZE dossiers;
VACUUM ANALYZE issued_dossiers;
SQL
"$(pg_bin)/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d motcua -qtA -c CHECKPOINT
# The load's gigabytes are still being written back by the kernel: each commit's fsync would wait
# behind them for seconds, whatever the upgrade does.
sync
log "loaded in $((SECONDS - started)) s; dossiers $(psql_ -c "SELECT pg_size_pretty(pg_total_relation_size('dossiers'))"), issued_dossiers $(psql_ -c "SELECT pg_size_pretty(pg_total_relation_size('issued_dossiers'))")"

port=$((18480 + offset))
export MOTCUA_HTTP_PORT=$port MOTCUA_API_TOKENS="bench=*" MOTCUA_LOG_LEVEL=warning MOTCUA_METRICS_PORT=0
"$bin/motcua-intake" > "$out/intake.log" 2>&1 & pids+=($!)
"$bin/motcua-workers" --role recorder > "$out/workers.log" 2>&1 & pids+=($!)
deadline=$((SECONDS + 60))
until curl -fs "http://127.0.0.1:$port/readyz" >/dev/null; do
    [ $SECONDS -lt $deadline ] || die "intake did not become ready"
    sleep 0.2
done
cat > "$out/body.json" <<JSON
{"procedureCode":"1.004222","unitCode":"000.00.19.H56","channel":"online","onlineLevel":"full",
"applicant":{"personalId":"051095001234","fullName":"Nguyễn Văn A","birthYear":1995,"sex":"male"},
"components":[{"name":"Tờ khai","digitized":true,"sha256":"$(printf 'ab%.0s' {1..32})","bytes":120000,"mediaType":"application/pdf","signed":true}]}
JSON
log "POST /v1/dossiers at $RATE/s; the upgrade starts after $WARMUP s ($UPGRADE)"
python3 "$ROOT/ops/bench.d/steady_post.py" "http://127.0.0.1:$port" bench "$out/body.json" "$RATE" "$out/stop" \
    "$out/requests.tsv" & loader=$!
sleep "$WARMUP"
from=$(date +%s.%N)
if [ "$UPGRADE" = old ]; then
    psql_ <<'SQL'
BEGIN;
CREATE INDEX dossiers_open_due ON dossiers (due_at, code) WHERE closed_at IS NULL;
CREATE INDEX linked_steps_in_flight ON linked_steps (agency) WHERE status = 'sent';
INSERT INTO schema_migrations (version) VALUES (9), (10);
COMMIT;
SQL
else
    "$bin/motcua" migrate > "$out/migrate.log" 2>&1 || { cat "$out/migrate.log" >&2; die "migrate failed"; }
fi
to=$(date +%s.%N)
sleep "$WARMUP"
touch "$out/stop"
wait "$loader"
[ "$(psql_ -c "SELECT count(*) FROM pg_index WHERE NOT indisvalid")" = 0 ] || log "warning: an index is INVALID"

awk -F'\t' -v from="$from" -v to="$to" -v warm="$WARMUP" '
function at(a, n, q,   k) { k = int(n * q) + 1; if (k > n) k = n; return 1000 * a[k] }
function report(name, a, n, bad,   i, j, t) {
    for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
    printf "%-22s %6d POSTs  p50 %7.1f ms  p99 %7.1f ms  max %7.1f ms  failed or not 202: %d\n", name, n,
        at(a, n, 0.50), at(a, n, 0.99), at(a, n, 1), bad
}
# Before: the 5 s before the upgrade.
{ if ($1 >= from - 5 && $1 + $2 < from) { w[++nw] = $2; if ($3 != 202) bw++ }
  # During: sent while the upgrade ran.
  if ($1 >= from && $1 < to) { u[++nu] = $2; if ($3 != 202) bu++ } }
END {
    printf "upgrade (%s): %.2f s\n", "'"$UPGRADE"'", to - from
    report("warm-up (before)", w, nw, bw + 0)
    report("during the upgrade", u, nu, bu + 0)
}' "$out/requests.tsv"
psql_ -c "SELECT 'applied: ' || string_agg(version::text, ', ' ORDER BY version) FROM schema_migrations WHERE applied_at > now() - interval '10 minutes' AND version IN (9, 10)"
