#!/bin/sh
# Sets the `motcua-dlq` policy on RabbitMQ 4: no delivery limit on the dead-letter queues
# (`^motcua\..+\.dlq$`). RabbitMQ 4 gives every quorum queue a delivery limit of 20 and drops a message
# returned more often than that; the .dlqs have no dead-letter exchange of their own, so a letter that
# `motcua dlq list` or the console looked at 20 times would be gone (4.0-4.2 count every return; 4.3 only
# the returns of a connection that closed or died). See docs/operating.md, "Dead letters".
#
# The compose files run it on every `up`, before any MotCua process declares its queues, so the policy is
# in force when each .dlq is created: on 4.1 and 4.2 a policy set later reaches a queue only if the queue
# answers at that moment (their periodic policy repair skips delivery-limit). A PUT: running it again
# changes nothing.
#
# Environment: MOTCUA_RABBITMQ_API_URL (one or more comma-separated management API URLs with credentials),
# MOTCUA_RABBITMQ_NODES (how many nodes must be running first, default 1), MOTCUA_WAIT_SECONDS (default 300).
set -eu

apis=$(printf '%s' "${MOTCUA_RABBITMQ_API_URL:?set MOTCUA_RABBITMQ_API_URL}" | tr ',' ' ')
want=${MOTCUA_RABBITMQ_NODES:-1}
deadline=$(($(date +%s) + ${MOTCUA_WAIT_SECONDS:-300}))
# JSON: the pattern's `\\.` is a regular expression's `\.`.
policy='{"pattern":"^motcua\\..+\\.dlq$","definition":{"delivery-limit":-1},"apply-to":"queues","priority":10}'

while :; do
    for api in $apis; do
        running=$(curl -fsS --max-time 5 "$api/api/nodes?columns=name,running" 2>/dev/null |
            grep -o '"running":true' | wc -l) || running=0
        [ "$running" -ge "$want" ] || continue
        if curl -fsS --max-time 10 -X PUT -H 'content-type: application/json' --data "$policy" \
            "$api/api/policies/%2F/motcua-dlq" >/dev/null &&
            curl -fsS --max-time 10 "$api/api/policies/%2F/motcua-dlq" | grep -q '"delivery-limit":-1'; then
            echo "motcua-dlq: the .dlqs have no delivery limit ($running RabbitMQ nodes running)"
            exit 0
        fi
    done
    if [ "$(date +%s)" -ge "$deadline" ]; then
        echo "motcua-dlq: no management API answered with $want running nodes; the policy is not set" >&2
        exit 1
    fi
    sleep 2
done
