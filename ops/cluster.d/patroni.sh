# ops/cluster's etcd and PostgreSQL under Patroni. Sourced by nodes.sh.
# shellcheck shell=bash

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
