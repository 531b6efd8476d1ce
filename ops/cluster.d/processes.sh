# ops/cluster's MotCua processes: intake, two workers, the partner simulator, and their settings.
# Sourced by nodes.sh.
# shellcheck shell=bash

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
    mkdir -p "$CSTATE"
    export_dev_token "$CSTATE"
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
