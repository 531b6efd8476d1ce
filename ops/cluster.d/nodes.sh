# The nodes of ops/cluster: where each listens, how each starts, stops and dies. Sourced after lib.sh.

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
stop_rabbit() { (with_rabbit "$1"; stop_rabbitmq); }
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

# --- etcd: the consensus store Patroni keeps its leader key in.
start_etcd() {
    pid_alive etcd && return 0
    log "starting etcd on 127.0.0.1:$ETCD_PORT"
    mkdir -p "$CSTATE/etcd" "$CSTATE/run" "$CSTATE/logs"
    local peer="http://127.0.0.1:$ETCD_PEER_PORT"
    setsid etcd --name "$SCOPE-etcd" --data-dir "$CSTATE/etcd" --listen-client-urls "http://127.0.0.1:$ETCD_PORT" \
        --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" --listen-peer-urls "$peer" \
        --initial-advertise-peer-urls "$peer" --initial-cluster "$SCOPE-etcd=$peer" \
        >> "$CSTATE/logs/etcd.log" 2>&1 < /dev/null &
    echo $! > "$CSTATE/run/etcd.pid"
    await 30 "etcd" curl -fsS "http://127.0.0.1:$ETCD_PORT/health"
}
stop_etcd() { stop_pid etcd; }

# --- PostgreSQL under Patroni: node N's data in $CSTATE/pgN/data, Patroni's REST API on PATRONI_PORTS.
patroni_config() {
    local n=$1 i=$(($1 - 1)) dir="$CSTATE/pg$1"
    cat <<YAML
scope: $SCOPE
name: pg$n
log: {level: WARNING}
restapi: {listen: '127.0.0.1:${PATRONI_PORTS[$i]}', connect_address: '127.0.0.1:${PATRONI_PORTS[$i]}'}
etcd3: {host: '127.0.0.1:$ETCD_PORT'}
bootstrap:
  dcs:
    # The leader key lives 10 s: a killed primary is replaced about 10-15 s after it dies.
    ttl: 10
    loop_wait: 2
    retry_timeout: 4
    maximum_lag_on_failover: 1048576
    # A commit is acknowledged once the standby has it too, so the standby promoted has every one.
    synchronous_mode: true
    postgresql:
      use_pg_rewind: true
      use_slots: true
      parameters: {max_connections: 200, shared_buffers: 256MB, wal_log_hints: 'on', max_wal_senders: 10,
                   max_replication_slots: 10, hot_standby: 'on'}
  initdb: [{encoding: UTF8}, {locale: C.UTF-8}]
postgresql:
  listen: '127.0.0.1:${PG_PORTS[$i]}'
  connect_address: '127.0.0.1:${PG_PORTS[$i]}'
  data_dir: '$dir/data'
  bin_dir: '$(pg_bin)'
  pgpass: '$dir/pgpass'
  remove_data_directory_on_rewind_failure: true
  remove_data_directory_on_diverged_timelines: true
  authentication:
    superuser: {username: postgres, password: postgres}
    replication: {username: replicator, password: replicator}
  parameters: {unix_socket_directories: '$dir'}
  pg_hba: ['local all all trust', 'host all all 127.0.0.1/32 trust', 'host replication replicator 127.0.0.1/32 trust']
YAML
}
start_patroni() {
    local n=$1 dir="$CSTATE/pg$1"
    pid_alive "pg$n" && return 0
    mkdir -p "$dir" "$CSTATE/run" "$CSTATE/logs"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
    chmod 700 "$dir"
    patroni_config "$n" > "$dir/patroni.yml"
    log "starting Patroni pg$n (PostgreSQL on 127.0.0.1:${PG_PORTS[$((n - 1))]})"
    # Its own session, so that `kill` takes Patroni and nothing else; the server has a session of its own.
    local as_postgres=()
    [ "$(id -u)" = 0 ] && as_postgres=(setpriv --reuid=postgres --regid=postgres --init-groups env HOME=/var/lib/postgresql)
    setsid "${as_postgres[@]}" patroni "$dir/patroni.yml" >> "$CSTATE/logs/pg$n.log" 2>&1 < /dev/null &
    echo $! > "$CSTATE/run/pg$n.pid"
}
# The server Patroni started (postmaster.pid's first line).
postmaster_pid() { head -n 1 "$CSTATE/pg$1/data/postmaster.pid" 2>/dev/null; }
stop_patroni() {
    # SIGTERM: Patroni stops PostgreSQL (fast) and gives up the leader key; then its session ends.
    stop_pid "pg$1"
}
patroni_role() { # primary, standby or down
    local port=${PATRONI_PORTS[$(($1 - 1))]}
    if curl -fsS "http://127.0.0.1:$port/primary" >/dev/null 2>&1; then echo primary
    elif curl -fsS "http://127.0.0.1:$port/replica" >/dev/null 2>&1; then echo standby
    else echo down; fi
}
primary_port() {
    local n
    for n in 1 2; do [ "$(patroni_role "$n")" = primary ] && { echo "${PG_PORTS[$((n - 1))]}"; return 0; }; done
    return 1
}
await_primary() { await "$1" "a PostgreSQL primary" primary_port; }
sync_standby() {
    local n
    for n in 1 2; do curl -fsS "http://127.0.0.1:${PATRONI_PORTS[$((n - 1))]}/sync" >/dev/null 2>&1 && return 0; done
    return 1
}
await_sync_standby() { await "$1" "a synchronous standby" sync_standby; }
create_database() {
    local psql=("$(pg_bin)/psql" -h 127.0.0.1 -p "$(primary_port)" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA)
    if [ "$("${psql[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname = 'motcua'")" != 1 ]; then
        "${psql[@]}" -c "CREATE ROLE motcua LOGIN PASSWORD 'motcua'" >/dev/null
    fi
    if [ "$("${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = 'motcua'")" != 1 ]; then
        "${psql[@]}" -c "CREATE DATABASE motcua OWNER motcua" >/dev/null
    fi
}

# --- MotCua's processes.
motcua_bin() {
    if [ -n "${MOTCUA_BIN_DIR:-}" ]; then echo "$MOTCUA_BIN_DIR"; return; fi
    log "building (release)"
    swift build -c release -q 2>&1 | grep -vE "found 1 file\(s\) which are unhandled|CMakeLists.txt$" >&2 || true
    swift build -c release --show-bin-path
}
cluster_env_lines() {
    local amqp=() n
    for n in 0 1 2; do amqp+=("amqp://guest:guest@127.0.0.1:${AMQP_PORTS[$n]}/%2f"); done
    local hosts="127.0.0.1:${PG_PORTS[0]},127.0.0.1:${PG_PORTS[1]}"
    echo "export MOTCUA_AMQP_URL=$(IFS=,; echo "${amqp[*]}")"
    echo "export MOTCUA_DATABASE_URL='postgres://motcua:motcua@$hosts/motcua?target_session_attrs=read-write'"
    echo "export MOTCUA_DATABASE_READ_URL='postgres://motcua:motcua@$hosts/motcua?target_session_attrs=prefer-standby'"
    local apis=()
    for n in 0 1 2; do apis+=("http://guest:guest@127.0.0.1:${MGMT_PORTS[$n]}"); done
    echo "export MOTCUA_RABBITMQ_API_URL=$(IFS=,; echo "${apis[*]}")"
}
cluster_env() {
    eval "$(cluster_env_lines)"
    if [ -z "${MOTCUA_API_TOKENS:-}" ]; then
        [ -f "$CSTATE/dev-token" ] || head -c 18 /dev/urandom | base64 | tr '+/' '-_' > "$CSTATE/dev-token"
        export MOTCUA_API_TOKENS="$(cat "$CSTATE/dev-token")=*"
    fi
}
start_process() {
    local node=$1 bin; bin="$(motcua_bin)"
    pid_alive "$node" && return 0
    mkdir -p "$CSTATE/run" "$CSTATE/logs"
    case "$node" in
        intake) MOTCUA_HTTP_PORT=$INTAKE_PORT nohup "$bin/motcua-intake" >> "$CSTATE/logs/intake.log" 2>&1 < /dev/null & ;;
        workers1 | workers2)
            MOTCUA_METRICS_PORT=$((METRICS_BASE + ${node#workers})) nohup "$bin/motcua-workers" --role all \
                >> "$CSTATE/logs/$node.log" 2>&1 < /dev/null & ;;
        partner-sim)
            [ -f "$CSTATE/partner-faults.json" ] || echo '{}' > "$CSTATE/partner-faults.json"
            MOTCUA_METRICS_PORT=$((METRICS_BASE + 3)) MOTCUA_PARTNER_SIM_CONFIG="$CSTATE/partner-faults.json" \
                nohup "$bin/motcua-partner-sim" >> "$CSTATE/logs/partner-sim.log" 2>&1 < /dev/null & ;;
        *) die "no such process: $node" ;;
    esac
    echo $! > "$CSTATE/run/$node.pid"
}
stop_process() { stop_pid "$1"; }
await_intake() { await "$1" "intake ready" curl -fsS "http://127.0.0.1:$INTAKE_PORT/readyz"; }

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
        local pid; pid="$(rabbit_pid "$n")"
        printf '%-12s %s\n' "rabbit$n" "$([ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "up   amqp ${AMQP_PORTS[$((n - 1))]}" || echo down)"
    done
    printf '%-12s %s\n' etcd "$(pid_alive etcd && echo "up   $ETCD_PORT" || echo down)"
    for n in 1 2; do printf '%-12s %s\n' "pg$n" "$(patroni_role "$n")   ${PG_PORTS[$((n - 1))]}"; done
    for n in intake workers1 workers2 partner-sim; do printf '%-12s %s\n' "$n" "$(pid_alive "$n" && echo up || echo down)"; done
}
