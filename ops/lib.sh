# Shared by ops/up, ops/down, ops/test and ops/bench: install what is missing, start and stop
# PostgreSQL and RabbitMQ on loopback with their data under a folder of the project.
# Callers set STATE (the data folder), PG_PORT, AMQP_PORT, MGMT_PORT, DIST_PORT and NODE, and may set
# RABBIT_EXTRA_CONF (lines added to rabbitmq.conf).

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
log() { printf '\033[1m[motcua]\033[0m %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
# PostgreSQL and RabbitMQ refuse to run as root: run their tools as their own users.
as_user() { local user=$1; shift; if [ "$(id -u)" = 0 ]; then runuser -u "$user" -- "$@"; else "$@"; fi; }

ensure_packages() {
    local missing=()
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
    [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || missing+=(rabbitmq-server)
    pkg-config --exists libpq 2>/dev/null || missing+=(libpq-dev)
    pkg-config --exists librabbitmq 2>/dev/null || missing+=(librabbitmq-dev)
    command -v curl >/dev/null || missing+=(curl)
    command -v pkg-config >/dev/null || missing+=(pkg-config)
    apt_install "${missing[@]}"
    command -v swift >/dev/null || die "swift is not on PATH"
}

# Installs the Debian packages named (none: nothing to do).
apt_install() {
    [ $# -gt 0 ] || return 0
    log "installing $* with apt"
    as_root apt-get update -qq
    # The packages' own services stay off: we run our own instances on our own ports.
    printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null
    as_root chmod +x /usr/sbin/policy-rc.d
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

pg_bin() { ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1; }

start_postgres() {
    local dir="$STATE/postgres" bin; bin="$(pg_bin)"
    mkdir -p "$STATE"
    if [ ! -f "$dir/PG_VERSION" ]; then
        log "initialising PostgreSQL in $dir"
        mkdir -p "$dir"
        [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
        chmod 700 "$dir"
        as_user postgres "$bin/initdb" -D "$dir" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
        cat >> "$dir/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$dir'
max_connections = 200
shared_buffers = 256MB
CONF
    fi
    if ! as_user postgres "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
        log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
        as_user postgres "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 start >/dev/null \
            || { tail -n 20 "$dir/server.log" >&2; die "PostgreSQL did not start"; }
    fi
    local psql=("$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qtA)
    if [ "$("${psql[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname = 'motcua'")" != 1 ]; then
        "${psql[@]}" -c "CREATE ROLE motcua LOGIN PASSWORD 'motcua'" >/dev/null
    fi
    if [ "$("${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = 'motcua'")" != 1 ]; then
        "${psql[@]}" -c "CREATE DATABASE motcua OWNER motcua" >/dev/null
    fi
}

stop_postgres() {
    local dir="$STATE/postgres"
    [ -f "$dir/PG_VERSION" ] || return 0
    as_user postgres "$(pg_bin)/pg_ctl" -D "$dir" -m fast -w stop >/dev/null 2>&1 || true
}

rabbit_env() {
    export RABBITMQ_NODENAME="$NODE" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$AMQP_PORT" \
        RABBITMQ_DIST_PORT="$DIST_PORT" RABBITMQ_MNESIA_BASE="$STATE/rabbitmq/mnesia" \
        RABBITMQ_LOG_BASE="$STATE/rabbitmq/log" RABBITMQ_CONFIG_FILE="$STATE/rabbitmq/rabbitmq.conf" \
        RABBITMQ_ENABLED_PLUGINS_FILE="$STATE/rabbitmq/enabled_plugins" \
        RABBITMQ_PID_FILE="$STATE/rabbitmq/rabbit.pid" ERL_EPMD_ADDRESS=127.0.0.1 \
        RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
}

# rabbitmqctl and the server must share the rabbitmq user's Erlang cookie, so both run as that user.
rabbitmqctl_() { rabbit_env; as_user rabbitmq env HOME=/var/lib/rabbitmq /usr/lib/rabbitmq/bin/rabbitmqctl -n "$NODE" "$@"; }

start_rabbitmq() {
    rabbit_env
    mkdir -p "$STATE/rabbitmq/mnesia" "$STATE/rabbitmq/log"
    cat > "$STATE/rabbitmq/rabbitmq.conf" <<CONF
listeners.tcp.default = 127.0.0.1:$AMQP_PORT
management.tcp.ip = 127.0.0.1
management.tcp.port = $MGMT_PORT
loopback_users.guest = true
log.file.level = warning
${RABBIT_EXTRA_CONF:-}
CONF
    echo '[rabbitmq_management].' > "$STATE/rabbitmq/enabled_plugins"
    [ "$(id -u)" = 0 ] && chown -R rabbitmq:rabbitmq "$STATE/rabbitmq"
    if rabbitmqctl_ -q status >/dev/null 2>&1; then return 0; fi
    log "starting RabbitMQ on 127.0.0.1:$AMQP_PORT (management on $MGMT_PORT)"
    as_user rabbitmq env HOME=/var/lib/rabbitmq /usr/lib/rabbitmq/bin/rabbitmq-server -detached >/dev/null 2>&1
    # await_startup fails at once while the node is not yet registered with epmd: poll with a deadline.
    local deadline=$((SECONDS + 90))
    until rabbitmqctl_ -q -t 30 await_startup >/dev/null 2>&1; do
        [ $SECONDS -lt $deadline ] || { tail -n 30 "$STATE"/rabbitmq/log/*.log >&2 2>/dev/null; die "RabbitMQ did not start"; }
        sleep 1
    done
}

stop_rabbitmq() {
    [ -d "$STATE/rabbitmq" ] || return 0
    rabbitmqctl_ -q stop >/dev/null 2>&1 || true
}

# Unless MOTCUA_API_TOKENS is set, a development token for everything, kept in DIR/dev-token.
export_dev_token() {
    [ -z "${MOTCUA_API_TOKENS:-}" ] || return 0
    [ -f "$1/dev-token" ] || head -c 18 /dev/urandom | base64 | tr '+/' '-_' > "$1/dev-token"
    export MOTCUA_API_TOKENS="$(cat "$1/dev-token")=*"
}

export_urls() {
    export MOTCUA_DATABASE_URL="postgres://motcua:motcua@127.0.0.1:$PG_PORT/motcua"
    export MOTCUA_AMQP_URL="amqp://guest:guest@127.0.0.1:$AMQP_PORT/%2f"
    export MOTCUA_RABBITMQ_API_URL="http://guest:guest@127.0.0.1:$MGMT_PORT"
}

# The notifier's local SMTP server (ops/smtp-server.py, aiosmtpd in the project's venv). Callers set STATE
# and SMTP_PORT; mail lands in $STATE/mail, one file per message. Exports MOTCUA_SMTP_URL. The server keeps
# none of the caller's descriptors above 2 (a `flock FILE ops/up` would otherwise stay locked while it runs).
AIOSMTPD_VERSION=1.4.6
ensure_smtp_server() {
    local venv="$ROOT/.motcua-venv"
    if ! "$venv/bin/python" -c "import aiosmtpd" >/dev/null 2>&1; then
        log "installing aiosmtpd $AIOSMTPD_VERSION into $venv"
        command -v python3 >/dev/null || apt_install python3
        if [ ! -x "$venv/bin/python" ] && ! python3 -m venv "$venv" >/dev/null 2>&1; then
            rm -rf "$venv"
            apt_install python3-venv
            python3 -m venv "$venv"
        fi
        "$venv/bin/pip" install -q --disable-pip-version-check "aiosmtpd==$AIOSMTPD_VERSION"
    fi
}

start_smtp() {
    ensure_smtp_server
    stop_smtp
    mkdir -p "$STATE/mail" "$STATE/run" "$STATE/logs"
    log "starting the SMTP server on 127.0.0.1:$SMTP_PORT (mail in $STATE/mail)"
    nohup "$ROOT/.motcua-venv/bin/python" -W ignore "$ROOT/ops/smtp-server.py" "$SMTP_PORT" "$STATE/mail" motcua motcua \
        >> "$STATE/logs/smtp.log" 2>&1 < /dev/null 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- &
    echo $! > "$STATE/run/smtp.pid"
    local deadline=$((SECONDS + 20))
    until (exec 3<>"/dev/tcp/127.0.0.1/$SMTP_PORT") 2>/dev/null; do
        [ $SECONDS -lt $deadline ] || { tail -n 20 "$STATE/logs/smtp.log" >&2; die "the SMTP server did not start"; }
        sleep 0.2
    done
    export MOTCUA_SMTP_URL="smtp://motcua:motcua@127.0.0.1:$SMTP_PORT"
}

stop_smtp() {
    local pidfile="$STATE/run/smtp.pid"
    [ -f "$pidfile" ] || return 0
    kill "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile"
}
