#!/bin/sh
# Waits, before `motcua migrate` (docker-compose.cluster.yml), for a PostgreSQL primary under Patroni
# and, for a while, for its synchronous standby, as ops/cluster does before it migrates. Patroni's REST
# API answers GET /primary with 200 on the node that holds the leader key and takes writes, GET /sync on
# the synchronous standby. Then runs its arguments (`motcua migrate`).
#
# Environment: MOTCUA_PATRONI_URLS (each node's REST API, comma-separated), MOTCUA_WAIT_SECONDS (for the
# primary, default 300: none by then is an error), MOTCUA_SYNC_WAIT_SECONDS (default 120: past it the
# migration goes on and a warning says the standby is missing; commits then wait for no standby).
set -eu

urls=$(printf '%s' "${MOTCUA_PATRONI_URLS:?set MOTCUA_PATRONI_URLS}" | tr ',' ' ')

# Succeeds when some node answers 200 on the path.
answers() {
    for url in $urls; do
        curl -fsS --max-time 3 -o /dev/null "$url/$1" 2>/dev/null && return 0
    done
    return 1
}

deadline=$(($(date +%s) + ${MOTCUA_WAIT_SECONDS:-300}))
until answers primary; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
        echo "await-primary: no PostgreSQL primary within ${MOTCUA_WAIT_SECONDS:-300} s" >&2
        exit 1
    fi
    sleep 1
done
echo "await-primary: a PostgreSQL primary is up"

deadline=$(($(date +%s) + ${MOTCUA_SYNC_WAIT_SECONDS:-120}))
until answers sync; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
        echo "await-primary: no synchronous standby within ${MOTCUA_SYNC_WAIT_SECONDS:-120} s; going on" >&2
        break
    fi
    sleep 1
done

exec "$@"
