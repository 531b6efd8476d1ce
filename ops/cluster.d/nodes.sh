# The nodes of ops/cluster: where each listens, how each starts, stops and dies (RabbitMQ here, etcd and
# PostgreSQL in patroni.sh, MotCua's processes in processes.sh). Sourced after lib.sh.

CSTATE="${MOTCUA_CLUSTER_STATE:-$ROOT/.motcua-cluster}"
off=${MOTCUA_CLUSTER_OFFSET:-0}
AMQP_PORTS=($((5701 + off)) $((5702 + off)) $((5703 + off)))
MGMT_PORTS=($((15701 + off)) $((15702 + off)) $((15703 + off)))
DIST_PORTS=($((25701 + off)) $((25702 + off)) $((25703 + off)))
PG_PORTS=($((5441 + off)) $((5442 + off)))
PATRONI_PORTS=($((8441 + off)) $((8442 + off)))
ETCD_PORT=$((2479 + off)) ETCD_PEER_PORT=$((2480 + off))
INTAKE_PORT=$((8091 + off)) METRICS_BASE=$((9480 + off))
SCOPE="motcua${off#0}"
# shellcheck source=patroni.sh
source "$ROOT/ops/cluster.d/patroni.sh"
# shellcheck source=processes.sh
source "$ROOT/ops/cluster.d/processes.sh"

ensure_cluster_packages() {
    local missing=()
    command -v patroni >/dev/null || missing+=(patroni)
    command -v etcd >/dev/null || missing+=(etcd-server)
    /usr/bin/python3 -c 'import etcd' 2>/dev/null || missing+=(python3-etcd)
    command -v ss >/dev/null || missing+=(iproute2)
    apt_install "${missing[@]}"
}

# Polls `check` until it succeeds or `seconds` pass.
await() {
    local seconds=$1 what=$2; shift 2
    local deadline=$((SECONDS + seconds))
    until "$@" >/dev/null 2>&1; do
        [ $SECONDS -lt $deadline ] || die "$what: not within ${seconds} s"
        sleep 0.5
    done
}

# --- RabbitMQ: three nodes of one cluster, each with lib.sh's start and stop and a folder of its own.
with_rabbit() {
    local i=$(($1 - 1))
    STATE="$CSTATE/rabbit$1" NODE="${SCOPE}-rabbit$1@localhost" AMQP_PORT=${AMQP_PORTS[$i]} \
        MGMT_PORT=${MGMT_PORTS[$i]} DIST_PORT=${DIST_PORTS[$i]}
}
# pause_minority, as RabbitMQ's clustering guide recommends for three nodes or more: a node cut off from
# the other two stops rather than go on as a second cluster.
start_rabbit() { (with_rabbit "$1"; RABBIT_EXTRA_CONF="cluster_partition_handling = pause_minority" start_rabbitmq); }
# A node still booting (waiting for the peers it last saw) may not answer `stop`: 30 s, then SIGKILL.
stop_rabbit() {
    local pid; pid="$(rabbit_pid "$1")" || true
    (with_rabbit "$1"; [ -d "$STATE/rabbitmq" ] && rabbitmqctl_ -q -t 30 stop >/dev/null 2>&1) || true
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fi
}
join_rabbit() {
    (
        with_rabbit 1
        local first=$NODE
        with_rabbit "$1"
        rabbitmqctl_ -q cluster_status --formatter json | grep -q "\"$first\"" && exit 0
        log "joining rabbit$1 to rabbit1"
        rabbitmqctl_ -q stop_app >/dev/null
        rabbitmqctl_ -q join_cluster "$first" >/dev/null
        rabbitmqctl_ -q start_app >/dev/null
    )
}
rabbit_pid() { cat "$CSTATE/rabbit$1/rabbitmq/rabbit.pid" 2>/dev/null; }

# --- pid files under $CSTATE/run.
pid_alive() { local pid; pid="$(cat "$CSTATE/run/$1.pid" 2>/dev/null)" && kill -0 "$pid" 2>/dev/null; }
stop_pid() {
    local pid; pid="$(cat "$CSTATE/run/$1.pid" 2>/dev/null)" || return 0
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        # As ops/down: a process ends at most 25 s after SIGTERM; 30 s, then SIGKILL.
        for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$pid" 2>/dev/null && { kill -KILL "$pid"; pkill -KILL -s "$pid"; } 2>/dev/null
    fi
    rm -f "$CSTATE/run/$1.pid"
}

resolve_node() {
    case "$1" in
        pg-primary | pg-standby)
            local want=${1#pg-} n
            for n in 1 2; do [ "$(patroni_role "$n")" = "$want" ] && { echo "pg$n"; return 0; }; done
            die "no PostgreSQL node is $want now" ;;
        rabbit[123] | etcd | pg[12] | intake | workers[12] | partner-sim) echo "$1" ;;
        *) die "no such node: $1 (rabbit1-3, etcd, pg1, pg2, pg-primary, pg-standby, intake, workers1-2, partner-sim)" ;;
    esac
}

# SIGKILL, as when the machine dies: nothing gets to close, flush or hand over.
kill_node() {
    local node=$1 pid
    case "$node" in
        rabbit*)
            pid="$(rabbit_pid "${node#rabbit}")" || die "$node is not running"
            kill -KILL "$pid" ;;
        pg*)
            local n=${node#pg} server
            server="$(postmaster_pid "$n")" || true
            pid="$(cat "$CSTATE/run/$node.pid" 2>/dev/null)" && pkill -KILL -s "$pid" || true
            # The server and its children (each child is a session of its own, so by parent).
            [ -n "$server" ] && kill -KILL "$server" $(pgrep -P "$server") 2>/dev/null || true
            rm -f "$CSTATE/run/$node.pid" ;;
        *)
            pid="$(cat "$CSTATE/run/$node.pid" 2>/dev/null)" || die "$node is not running"
            pkill -KILL -s "$pid" 2>/dev/null || kill -KILL "$pid"
            rm -f "$CSTATE/run/$node.pid" ;;
    esac
    log "killed $node (SIGKILL)"
}

cluster_status() {
    local n
    for n in 1 2 3; do
        local pid; pid="$(rabbit_pid "$n")" || true
        printf '%-12s %s\n' "rabbit$n" "$([ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "up   amqp ${AMQP_PORTS[$((n - 1))]}" || echo down)"
    done
    printf '%-12s %s\n' etcd "$(pid_alive etcd && echo "up   $ETCD_PORT" || echo down)"
    for n in 1 2; do printf '%-12s %s\n' "pg$n" "$(patroni_role "$n")   ${PG_PORTS[$((n - 1))]}"; done
    for n in intake workers1 workers2 partner-sim; do printf '%-12s %s\n' "$n" "$(pid_alive "$n" && echo up || echo down)"; done
}
