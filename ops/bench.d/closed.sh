#!/usr/bin/env bash
# `ops/bench [SECONDS=20] [CONNECTIONS=64]` (also `ops/bench closed …`): closed loop (wrk). Each
# connection sends its next dossier when the last was answered (ops/bench.d/submit.lua), spread over
# the catalog's communes (BENCH_UNITS=single: one commune only). Prints accepted/s, latency
# percentiles (wrk's), how long after the last answer every accepted dossier is in PostgreSQL, and the
# RSS of intake and the workers every 10 s. Closed-loop latency is the latency at whatever rate the
# stack manages, not at a chosen one.

# shellcheck source=common.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

closed_loop() {
    local seconds="${1:-20}" connections="${2:-64}"
    number SECONDS "$seconds"; number CONNECTIONS "$connections"
    need wrk wrk
    if [ "${BENCH_UNITS:-all}" = single ]; then BENCH_UNITS=000.00.19.H56
    else BENCH_UNITS="$(psql_ "SELECT string_agg(DISTINCT code, ',') FROM units WHERE level = 'commune' AND (valid_to IS NULL OR valid_to >= current_date)")"; fi
    export BENCH_UNITS
    local issued_before sampler finished issued lag
    issued_before="$(issued_count)"
    log "$seconds s, $connections connections, $(echo "$BENCH_UNITS" | tr ',' '\n' | wc -l) units"
    rss_mb() { ps -C "$1" -o rss= | awk '{ kb += $1 } END { printf "%.1f", kb / 1024 }'; }
    ( start=$SECONDS; trap 'kill "$nap" 2>/dev/null; exit 0' TERM
      while :; do
          sleep 10 & nap=$!; wait "$nap"
          echo "rss at $((SECONDS - start)) s: intake $(rss_mb motcua-intake) MB, workers $(rss_mb motcua-workers) MB"
      done ) &
    sampler=$!
    echo "rss at 0 s: intake $(rss_mb motcua-intake) MB, workers $(rss_mb motcua-workers) MB"
    wrk -t2 -c"$connections" -d"${seconds}s" --timeout 10s -s ops/bench.d/submit.lua "http://127.0.0.1:$port" | sed -n '/^requests:/,$p'
    kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true
    finished=$EPOCHREALTIME
    issued=$(( $(issued_count) - issued_before ))
    lag="$(await_recorded "$finished")"
    echo "accepted dossiers: $issued; all in PostgreSQL $lag s after the last answer"
}

closed_loop "$@"
