#!/usr/bin/env bash
# scripts/infra.sh - private development/test infrastructure, on loopback only.
#
# Usage: scripts/infra.sh up [--cluster]|down|status|env|psql|rabbitmqctl|cluster-node|cluster-postgres
#
#   up      Installs what is missing (apt: rabbitmq-server, python3-aiosmtpd, and postgresql-15 /
#           curl if absent), then starts and waits for (see docs/conventions.md):
#             PostgreSQL 15  cluster .local/postgres/data   127.0.0.1:27432  user jtai / jtai-dev, db jtai, and each
#                            service's roles <schema>_owner (owns its schema) and <schema>_runtime, development
#                            passwords (deploy/postgres/service-roles.sh)
#             RabbitMQ       node jtai-test@localhost        AMQP 127.0.0.1:27672, management 127.0.0.1:27673
#                            (.local/rabbitmq; Erlang distribution 27674 and a private epmd on 27369), with a user
#                            per service (deploy/rabbitmq/permissions.tsv; password '<user>-dev', development only)
#             SMTP sink      aiosmtpd Mailbox handler        127.0.0.1:27025, Maildir .local/smtp/mailbox
#             OIDC provider  deploy/DevIdentity (OpenIddict)  http://127.0.0.1:27443/ (built from source; example users,
#                            the web client's redirect URIs for run.sh's web (5100, 5200, ...) and the browser tests' web (27444))
#           and apt's chromium (for the browser tests) when it is missing.
#           PIDs are recorded under .local/pids/. A server that already answers, healthy, on its port
#           (a second `up`, or another checkout's server) is reused, not restarted.
#   up --cluster
#           The same, but a three-node RabbitMQ cluster and PostgreSQL with a streaming standby instead of the single
#           node and server (the longer failover suite, tests/Jtai.Strategy.Cluster.Tests; docs/conventions.md):
#             RabbitMQ node k (1..3) jtai-c<k>@localhost, AMQP JTAI_AMQP_PORT+10*(k-1), management
#                            JTAI_RABBITMQ_MGMT_PORT+10*(k-1), Erlang distribution JTAI_RABBITMQ_DIST_PORT+10*(k-1)
#                            (27672/27682/27692, 27673/27683/27693, 27674/27684/27694 by default), one Erlang cookie,
#                            one private epmd; nodes 2 and 3 `rabbitmqctl join_cluster` node 1; the services' users
#                            provisioned once for the cluster (deploy/rabbitmq/provision-users.sh on node 1)
#             PostgreSQL     primary on JTAI_PG_PORT, streaming standby (pg_basebackup) on JTAI_PG_PORT+10 (27442),
#                            synchronous_standby_names = 'jtai_standby' and synchronous_commit = on: a commit is
#                            acknowledged once it is on both
#           The cluster's state is thrown away and built afresh by every `up --cluster` that finds it stopped (a
#           failover test leaves a promoted standby behind). `up` and `up --cluster` refuse while the other runs.
#   down    Stops what this checkout started (recorded PIDs, its own data directory). Servers that were
#           merely reused are left alone. Tolerant of things already stopped.
#   status  Shows each server and who owns it.
#   env     Prints `export` lines for the variables of docs/conventions.md (with each service's connection strings,
#           JTAI_PG_<SCHEMA> for its runtime role and JTAI_PG_<SCHEMA>_OWNER for its migrate step):
#             eval "$(scripts/infra.sh env)"
#   psql [ARGS]          psql into the private cluster (database jtai; with --cluster, the first server).
#   rabbitmqctl [ARGS]   rabbitmqctl against the private node (its cookie, its epmd); with --cluster, node 1.
#   cluster-node stop|kill|start|ctl K [ARGS]
#                        With --cluster: stops RabbitMQ node K (SIGTERM, its graceful shutdown), kills it (SIGKILL,
#                        as a crash), starts it again (it rejoins the cluster), or runs rabbitmqctl ARGS against it.
#   cluster-postgres stop-primary|promote|status
#                        With --cluster: stops the primary at once (pg_ctl stop -m immediate, as a crash), promotes
#                        the standby (pg_ctl promote; it then runs alone, with no synchronous standby), or prints
#                        each server's port and role.
#
# Real servers instead of private ones: if ConnectionStrings__Postgres or ConnectionStrings__RabbitMq
# (or Smtp__Host) is already set in the environment to something other than the default above, `up`
# does not provision that server and `env` passes the given values through (together with
# JTAI_RABBITMQ_MANAGEMENT, Smtp__Port and JTAI_SMTP_MAILBOX when those are set).
#
# Ports can be moved, e.g. to run a second checkout side by side: JTAI_PG_PORT, JTAI_AMQP_PORT,
# JTAI_RABBITMQ_MGMT_PORT, JTAI_RABBITMQ_DIST_PORT, JTAI_EPMD_PORT, JTAI_SMTP_PORT.
#
# All state lives in the git-ignored .local/ of the checkout. One exception: when the `postgres` OS
# user cannot reach .local (a checkout under a private home directory), the cluster lives in
# /var/tmp/jtai-postgres-<hash of the checkout path> instead (`status` shows where).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
LOCAL="$ROOT/.local"
PIDS="$LOCAL/pids"

PG_PORT="${JTAI_PG_PORT:-27432}"
AMQP_PORT="${JTAI_AMQP_PORT:-27672}"
MGMT_PORT="${JTAI_RABBITMQ_MGMT_PORT:-27673}"
DIST_PORT="${JTAI_RABBITMQ_DIST_PORT:-27674}"
EPMD_PORT="${JTAI_EPMD_PORT:-27369}"
SMTP_PORT="${JTAI_SMTP_PORT:-27025}"
OIDC_PORT="${JTAI_OIDC_PORT:-27443}"
# The port the browser tests run the web service on: the provider must know its redirect URI in advance.
WEB_TEST_PORT="${JTAI_WEB_TEST_PORT:-$((OIDC_PORT + 1))}"
RUN_WEB_PORT=5100

PG_BIN=/usr/lib/postgresql/15/bin
PG_USER=jtai
PG_PASSWORD=jtai-dev
PG_DATABASE=jtai
RABBIT_NODE=jtai-test@localhost
RABBIT_DIR="$LOCAL/rabbitmq"
RABBIT_SBIN=/usr/lib/rabbitmq/bin
SMTP_DIR="$LOCAL/smtp"
MAILBOX="$SMTP_DIR/mailbox"
OIDC_DIR="$LOCAL/oidc"
OIDC_PROJECT="$ROOT/deploy/DevIdentity/Jtai.Strategy.DevIdentity.csproj"
OIDC_DLL="$ROOT/deploy/DevIdentity/bin/Release/net10.0/Jtai.Strategy.DevIdentity.dll"

# The cluster (up --cluster): node k's ports are the single node's plus 10*(k-1); the standby's the server's plus 10.
CLUSTER_MARK="$LOCAL/cluster-mode"
CLUSTER_DIR="$LOCAL/cluster"
CLUSTER_NODES=(1 2 3)
STANDBY_PORT=$((PG_PORT + 10))
node_port() { printf '%d' $(($1 + 10 * ($2 - 1))); } # BASE K
cluster_mode() { [[ -f "$CLUSTER_MARK" ]]; }

# Npgsql's multi-host form: the primary is whichever answers as one; its role is checked again every 2 s (not 10).
PG_HOSTS="127.0.0.1:$PG_PORT,127.0.0.1:$STANDBY_PORT"
PG_CLUSTER_TAIL="Target Session Attributes=primary;Host Recheck Seconds=2"
pg_hosts_cs() { # USER PASSWORD
  if cluster_mode; then printf 'Host=%s;Username=%s;Password=%s;Database=%s;%s' "$PG_HOSTS" "$1" "$2" "$PG_DATABASE" "$PG_CLUSTER_TAIL"
  else printf 'Host=127.0.0.1;Port=%s;Username=%s;Password=%s;Database=%s' "$PG_PORT" "$1" "$2" "$PG_DATABASE"
  fi
}
rabbit_hosts() {
  if cluster_mode; then
    local k hosts=()
    for k in "${CLUSTER_NODES[@]}"; do hosts+=("127.0.0.1:$(node_port "$AMQP_PORT" "$k")"); done
    (IFS=,; printf '%s' "${hosts[*]}")
  else printf '127.0.0.1:%s' "$AMQP_PORT"
  fi
}
set_defaults() {
  DEFAULT_PG_CS="$(pg_hosts_cs "$PG_USER" "$PG_PASSWORD")"
  DEFAULT_RABBIT_CS="amqp://guest:guest@$(rabbit_hosts)/"
}
set_defaults
DEFAULT_MGMT="http://guest:guest@127.0.0.1:$MGMT_PORT"
DEFAULT_SMTP_HOST=127.0.0.1

log() { printf '[infra] %s\n' "$*" >&2; }
die() { printf '[infra] ERROR: %s\n' "$*" >&2; exit 1; }

# --- who provisions what -------------------------------------------------------------------------

pg_external() { [[ -n "${ConnectionStrings__Postgres:-}" && "${ConnectionStrings__Postgres}" != "$DEFAULT_PG_CS" ]]; }
rabbit_external() { [[ -n "${ConnectionStrings__RabbitMq:-}" && "${ConnectionStrings__RabbitMq}" != "$DEFAULT_RABBIT_CS" ]]; }
smtp_external() {
  [[ -n "${Smtp__Host:-}" && "${Smtp__Host}" != "$DEFAULT_SMTP_HOST" ]] ||
    [[ -n "${Smtp__Port:-}" && "${Smtp__Port}" != "$SMTP_PORT" ]]
}

# --- small helpers -------------------------------------------------------------------------------

# shellcheck disable=SC2016 # $1 expands in the child shell
port_open() { timeout 2 bash -c ': >"/dev/tcp/127.0.0.1/$1"' _ "$1" 2>/dev/null; }

# True if the process exists, is not a zombie, and its command line contains $2.
pid_matches() {
  pid_alive "$1" || return 1
  tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF -- "$2"
}

# True if the process exists and is not a zombie (its command line may not be exec'd yet).
pid_alive() {
  local state
  [[ "$1" =~ ^[0-9]+$ && -r "/proc/$1/stat" ]] || return 1
  state="$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null || true)"
  [[ -n "$state" && "$state" != Z ]]
}

read_pid() { if [[ -f "$1" ]]; then tr -dc '0-9' <"$1"; fi; }

# Sends TERM to the process (and its group when it leads one), waits, then KILLs.
stop_pid() {
  local pid="$1" pattern="$2" name="$3" wait_s="${4:-30}" i
  pid_matches "$pid" "$pattern" || return 0
  log "stopping $name (pid $pid)"
  if [[ "$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ')" == "$pid" ]]; then
    kill -TERM -- "-$pid" 2>/dev/null || true
  else
    kill -TERM "$pid" 2>/dev/null || true
  fi
  for ((i = 0; i < wait_s * 5; i++)); do
    pid_matches "$pid" "$pattern" || return 0
    sleep 0.2
  done
  log "$name did not stop in ${wait_s}s: killing it"
  kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
}

sq() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

is_root() { [[ "$(id -u)" == 0 ]]; }

as_root() {
  if is_root; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"
  else die "need root (or sudo) to run: $*"
  fi
}

dpkg_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

lock() {
  mkdir -p "$LOCAL"
  exec 9>"$LOCAL/infra.lock"
  flock -w 900 9 || die "another scripts/infra.sh holds $LOCAL/infra.lock"
}

# --- packages ------------------------------------------------------------------------------------

ensure_packages() {
  local missing=()
  if ! pg_external && [[ ! -x "$PG_BIN/initdb" ]]; then missing+=(postgresql-15); fi
  if ! rabbit_external && ! dpkg_installed rabbitmq-server; then missing+=(rabbitmq-server); fi
  if ! smtp_external && ! dpkg_installed python3-aiosmtpd; then missing+=(python3-aiosmtpd); fi
  if ! command -v curl >/dev/null 2>&1; then missing+=(curl); fi
  # Debian's Chromium for the browser tests (Playwright drives it; no browser is downloaded).
  if [[ ! -x /usr/bin/chromium ]]; then missing+=(chromium); fi
  ((${#missing[@]} == 0)) && return 0
  log "installing ${missing[*]} (apt)"
  local apt=(env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -q)
  as_root "${apt[@]}" update >"$LOCAL/apt.log" 2>&1 9>&- || { tail -n 20 "$LOCAL/apt.log" >&2; die "apt-get update failed"; }
  as_root "${apt[@]}" install -y "${missing[@]}" >>"$LOCAL/apt.log" 2>&1 9>&- ||
    { tail -n 20 "$LOCAL/apt.log" >&2; die "apt-get install ${missing[*]} failed"; }
}

# --- PostgreSQL ----------------------------------------------------------------------------------

PG_DIR=""      # directory holding data/ and postgres.log
PG_OS_USER=""  # OS user that runs the cluster

as_pg() {
  if [[ "$PG_OS_USER" == "$(id -un)" ]]; then (cd / && "$@")
  else (cd / && runuser -u "$PG_OS_USER" -- "$@")
  fi
}

resolve_pg_dir() {
  [[ -n "$PG_DIR" ]] && return 0
  if is_root; then
    PG_OS_USER=postgres
    id -u postgres >/dev/null 2>&1 || die "OS user 'postgres' is missing (is postgresql-15 installed?)"
  else
    PG_OS_USER="$(id -un)"
  fi
  PG_DIR="$LOCAL/postgres"
  mkdir -p "$PG_DIR"
  is_root && chown "$PG_OS_USER:" "$PG_DIR"
  if ! as_pg test -w "$PG_DIR" 2>/dev/null; then
    PG_DIR="/var/tmp/jtai-postgres-$(printf '%s' "$ROOT" | md5sum | cut -c1-12)"
    mkdir -p "$PG_DIR"
    chown "$PG_OS_USER:" "$PG_DIR"
    chmod 700 "$PG_DIR"
    if [[ ! -f "$LOCAL/postgres/LOCATION" ]]; then
      printf '%s\n' "$PG_DIR" >"$LOCAL/postgres/LOCATION"
      log "'$PG_OS_USER' cannot reach $LOCAL: the cluster lives in $PG_DIR"
    fi
  fi
}

# Read-only variant for down/status: never creates anything.
find_pg_dir() {
  if [[ -f "$LOCAL/postgres/LOCATION" ]]; then PG_DIR="$(cat "$LOCAL/postgres/LOCATION")"; else PG_DIR="$LOCAL/postgres"; fi
  if is_root; then PG_OS_USER=postgres; else PG_OS_USER="$(id -un)"; fi
}

pg_sql() {
  PGPASSWORD="$PG_PASSWORD" PGCONNECT_TIMEOUT=5 "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 \
    -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d "${2:-postgres}" -tAc "$1"
}

pg_ours_running() {
  [[ -f "$PG_DIR/data/postmaster.pid" ]] || return 1
  pid_matches "$(head -n 1 "$PG_DIR/data/postmaster.pid" 2>/dev/null)" postgres
}

pg_ensure_database() {
  if [[ "$(pg_sql "select 1 from pg_database where datname = '$PG_DATABASE'")" != 1 ]]; then
    pg_sql "create database \"$PG_DATABASE\"" >/dev/null
    log "created database $PG_DATABASE"
  fi
}

# Each service's two roles (deploy/postgres/service-roles.sh: S_owner owns schema S and migrates it, S_runtime is the
# role the service runs as), with the development passwords, in the jtai database.
SERVICE_ROLES="$ROOT/deploy/postgres/service-roles.sh"
PG_SCHEMAS=(spoc_directory meetings notifications metrics action_plan)

pg_ensure_service_roles() {
  "$SERVICE_ROLES" --sql | PGPASSWORD="$PG_PASSWORD" PGCONNECT_TIMEOUT=5 "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 \
    -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d "$PG_DATABASE" >/dev/null || die "provisioning the services' database roles failed"
  log "postgres: roles <schema>_owner and <schema>_runtime for ${PG_SCHEMAS[*]}"
}

# export lines for each service's connection strings: JTAI_PG_<SCHEMA> (its runtime role) and JTAI_PG_<SCHEMA>_OWNER
# (its owner, for migrate). With a PostgreSQL of your own (ConnectionStrings__Postgres set), the ones already set pass through.
pg_env_service_roles() {
  local schema name role password kind
  for schema in "${PG_SCHEMAS[@]}"; do
    for kind in runtime owner; do
      name="JTAI_PG_${schema^^}" role="${schema}_runtime"
      [[ "$kind" == owner ]] && name="${name}_OWNER" role="${schema}_owner"
      if pg_external; then
        [[ -n "${!name:-}" ]] && printf 'export %s=%s\n' "$name" "$(sq "${!name}")"
        continue
      fi
      password="$(service_role_password "$schema" "$kind")"
      printf 'export %s=%s\n' "$name" "$(sq "$(pg_hosts_cs "$role" "$password")")"
    done
  done
}

# The role's password as deploy/postgres/service-roles.sh sets it (its variables, else the development defaults).
service_role_password() {
  local variable default
  if [[ "$2" == owner ]]; then variable="JTAI_PG_${1^^}_OWNER_PASSWORD" default="${1//_/-}-owner-dev"
  else variable="JTAI_PG_${1^^}_PASSWORD" default="${1//_/-}-runtime-dev"
  fi
  printf '%s' "${!variable:-$default}"
}

pg_up() {
  if pg_external; then log "postgres: using ConnectionStrings__Postgres from the environment"; return 0; fi
  resolve_pg_dir
  local data="$PG_DIR/data"
  if pg_ours_running; then
    log "postgres: already running from $data"
  elif port_open "$PG_PORT"; then
    if pg_sql 'select 1' >/dev/null 2>&1; then
      log "postgres: reusing the server already answering on 127.0.0.1:$PG_PORT (not started here)"
      pg_ensure_database
      pg_ensure_service_roles
      return 0
    fi
    die "port $PG_PORT is taken by something that does not accept $PG_USER/$PG_PASSWORD"
  else
    if [[ ! -f "$data/PG_VERSION" ]]; then
      log "postgres: initdb $data"
      rm -rf "$data"
      local pwfile
      pwfile="$(mktemp)"
      printf '%s\n' "$PG_PASSWORD" >"$pwfile"
      is_root && chown "$PG_OS_USER" "$pwfile"
      if ! as_pg "$PG_BIN/initdb" -D "$data" -U "$PG_USER" --pwfile="$pwfile" -E UTF8 --locale=C.UTF-8 \
        --auth-host=scram-sha-256 --auth-local=trust >"$LOCAL/postgres-initdb.log" 2>&1; then
        rm -f "$pwfile"
        cat "$LOCAL/postgres-initdb.log" >&2
        die "initdb failed"
      fi
      rm -f "$pwfile"
      printf "\ninclude_if_exists = 'jtai.conf'\n" | as_pg tee -a "$data/postgresql.conf" >/dev/null
    fi
    # Rewritten at every start so changes here apply to an existing cluster.
    as_pg tee "$data/jtai.conf" >/dev/null <<EOF
# Written by scripts/infra.sh at every start.
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = ''
max_connections = 300
shared_buffers = 256MB
password_encryption = 'scram-sha-256'
EOF
    log "postgres: starting on 127.0.0.1:$PG_PORT"
    if ! as_pg "$PG_BIN/pg_ctl" start -D "$data" -l "$PG_DIR/postgres.log" -w -t 120 -s 9>&-; then
      tail -n 30 "$PG_DIR/postgres.log" >&2 || true
      die "postgres did not start (log: $PG_DIR/postgres.log)"
    fi
  fi
  head -n 1 "$data/postmaster.pid" >"$PIDS/postgres.pid"
  local i
  for ((i = 0; i < 120; i++)); do
    "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" && pg_sql 'select 1' >/dev/null 2>&1 && break
    sleep 0.5
  done
  pg_sql 'select 1' >/dev/null || die "postgres does not accept connections on 127.0.0.1:$PG_PORT"
  pg_ensure_database
  pg_ensure_service_roles
}

pg_down() {
  find_pg_dir
  local data="$PG_DIR/data"
  if [[ -f "$data/PG_VERSION" ]] && pg_ours_running; then
    log "stopping postgres ($data)"
    as_pg "$PG_BIN/pg_ctl" stop -D "$data" -m fast -w -t 60 -s ||
      stop_pid "$(head -n 1 "$data/postmaster.pid" 2>/dev/null)" postgres postgres 30
  fi
  rm -f "$PIDS/postgres.pid"
}

# --- RabbitMQ ------------------------------------------------------------------------------------

# Runs a command with the environment of the private node (run it in a subshell).
rabbit_env() {
  export HOME="$RABBIT_DIR/home"
  export RABBITMQ_NODENAME="$RABBIT_NODE"
  export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
  export RABBITMQ_NODE_PORT="$AMQP_PORT"
  export RABBITMQ_DIST_PORT="$DIST_PORT"
  export RABBITMQ_MNESIA_BASE="$RABBIT_DIR/mnesia"
  export RABBITMQ_LOG_BASE="$RABBIT_DIR/log"
  export RABBITMQ_ENABLED_PLUGINS_FILE="$RABBIT_DIR/enabled_plugins"
  export RABBITMQ_CONFIG_FILE="$RABBIT_DIR/rabbitmq.conf"
  export RABBITMQ_ADVANCED_CONFIG_FILE="$RABBIT_DIR/advanced.config"
  export RABBITMQ_CONF_ENV_FILE="$RABBIT_DIR/rabbitmq-env.conf"
  export RABBITMQ_PID_FILE="$RABBIT_DIR/beam.pid"
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
  export RABBITMQ_CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
  export ERL_EPMD_PORT="$EPMD_PORT"
  export ERL_EPMD_ADDRESS=127.0.0.1
}

rabbitmqctl_() { (rabbit_env && cd "$RABBIT_DIR" && exec timeout 90 "$RABBIT_SBIN/rabbitmqctl" -n "$RABBIT_NODE" "$@" 9>&-); }

mgmt_ok() { curl -sf -o /dev/null --max-time 3 "http://guest:guest@127.0.0.1:$MGMT_PORT/api/overview"; }

epmd_ok() { ERL_EPMD_PORT="$EPMD_PORT" epmd -port "$EPMD_PORT" -names >/dev/null 2>&1; }

beam_pid() { read_pid "$RABBIT_DIR/beam.pid"; }

rabbit_ours_running() {
  pid_matches "$(read_pid "$PIDS/rabbitmq.pid")" rabbitmq-server || pid_matches "$(beam_pid)" "$RABBIT_DIR"
}

rabbit_write_config() {
  mkdir -p "$RABBIT_DIR/home" "$RABBIT_DIR/mnesia" "$RABBIT_DIR/log"
  if [[ ! -s "$RABBIT_DIR/home/.erlang.cookie" ]]; then
    (umask 077 && od -An -tx1 -N16 /dev/urandom | tr -d ' \n' >"$RABBIT_DIR/home/.erlang.cookie")
  fi
  chmod 400 "$RABBIT_DIR/home/.erlang.cookie"
  printf '[rabbitmq_management].\n' >"$RABBIT_DIR/enabled_plugins"
  : >"$RABBIT_DIR/rabbitmq-env.conf"
  cat >"$RABBIT_DIR/rabbitmq.conf" <<EOF
# Written by scripts/infra.sh at every start.
listeners.tcp.default = 127.0.0.1:$AMQP_PORT
management.tcp.port = $MGMT_PORT
management.tcp.ip = 127.0.0.1
loopback_users.guest = true
EOF
}

epmd_up() {
  local pid i
  pid="$(read_pid "$PIDS/epmd.pid")"
  if pid_matches "$pid" epmd && epmd_ok; then return 0; fi
  if epmd_ok; then log "epmd: reusing the one on port $EPMD_PORT (not started here)"; return 0; fi
  port_open "$EPMD_PORT" && die "port $EPMD_PORT (private epmd) is taken by something else"
  (export ERL_EPMD_ADDRESS=127.0.0.1 && exec setsid epmd -address 127.0.0.1 -port "$EPMD_PORT" \
    </dev/null >>"$RABBIT_DIR/log/epmd.log" 2>&1 9>&-) &
  echo "$!" >"$PIDS/epmd.pid"
  for ((i = 0; i < 50; i++)); do epmd_ok && return 0; sleep 0.2; done
  die "epmd did not start on 127.0.0.1:$EPMD_PORT"
}

rabbit_up() {
  if rabbit_external; then log "rabbitmq: using ConnectionStrings__RabbitMq from the environment"; return 0; fi
  mkdir -p "$RABBIT_DIR/log"
  if ! rabbit_ours_running; then
    if port_open "$AMQP_PORT" || port_open "$MGMT_PORT"; then
      if port_open "$AMQP_PORT" && mgmt_ok; then
        log "rabbitmq: reusing the broker already answering on 127.0.0.1:$AMQP_PORT/$MGMT_PORT (not started here)"
        return 0
      fi
      die "port $AMQP_PORT or $MGMT_PORT is taken by something that is not a healthy RabbitMQ"
    fi
    port_open "$DIST_PORT" && die "port $DIST_PORT (Erlang distribution) is taken"
    rabbit_write_config
    epmd_up
    log "rabbitmq: starting node $RABBIT_NODE (AMQP 127.0.0.1:$AMQP_PORT, management 127.0.0.1:$MGMT_PORT)"
    rm -f "$RABBIT_DIR/beam.pid"
    (rabbit_env && cd "$RABBIT_DIR" && exec setsid "$RABBIT_SBIN/rabbitmq-server" \
      </dev/null >>"$RABBIT_DIR/log/stdout.log" 2>&1 9>&-) &
    echo "$!" >"$PIDS/rabbitmq.pid"
  else
    log "rabbitmq: already running from $RABBIT_DIR"
  fi
  local i wrapper
  wrapper="$(read_pid "$PIDS/rabbitmq.pid")"
  for ((i = 0; i < 240; i++)); do
    if port_open "$AMQP_PORT" && mgmt_ok; then
      [[ -n "$(beam_pid)" ]] && cp "$RABBIT_DIR/beam.pid" "$PIDS/rabbitmq-beam.pid"
      rabbit_users_up
      return 0
    fi
    if ! pid_alive "$wrapper" && ! pid_matches "$(beam_pid)" "$RABBIT_DIR"; then
      tail -n 30 "$RABBIT_DIR/log/stdout.log" >&2 || true
      die "rabbitmq exited during startup (logs: $RABBIT_DIR/log)"
    fi
    sleep 0.5
  done
  tail -n 30 "$RABBIT_DIR/log/stdout.log" >&2 || true
  die "rabbitmq not ready after 120 s (logs: $RABBIT_DIR/log)"
}

# Each service's own user (deploy/rabbitmq/permissions.tsv, development passwords '<user>-dev') on the default
# virtual host. Users persist in the node's data: granted again only when the permissions file changed.
RABBIT_SERVICE_USERS=(spoc-directory meetings notifications metrics action-plan web)

rabbit_users_up() {
  local file="$ROOT/deploy/rabbitmq/permissions.tsv" stamp="$RABBIT_DIR/users.provisioned" sum
  sum="$(md5sum <"$file" | cut -d' ' -f1)"
  [[ -f "$stamp" && "$(cat "$stamp")" == "$sum" ]] && return 0
  log "rabbitmq: provisioning the services' users (deploy/rabbitmq/permissions.tsv)"
  (rabbit_env && cd "$RABBIT_DIR" && exec "$ROOT/deploy/rabbitmq/provision-users.sh" / \
    timeout 90 "$RABBIT_SBIN/rabbitmqctl" -n "$RABBIT_NODE" >>"$RABBIT_DIR/log/users.log" 2>&1 9>&-) ||
    { tail -n 20 "$RABBIT_DIR/log/users.log" >&2; die "provisioning the RabbitMQ users failed"; }
  printf '%s\n' "$sum" >"$stamp"
}

# `env`: each service's own AMQP URL, JTAI_RABBITMQ_URL_<SERVICE> (a real broker's are passed through when set,
# else its ConnectionStrings__RabbitMq).
rabbit_env_urls() {
  local user var url
  for user in "${RABBIT_SERVICE_USERS[@]}"; do
    var="JTAI_RABBITMQ_URL_$(printf '%s' "$user" | tr 'a-z-' 'A-Z_')"
    if rabbit_external; then url="${!var:-$ConnectionStrings__RabbitMq}"
    else url="amqp://$user:$user-dev@$(rabbit_hosts)/"
    fi
    printf 'export %s=%s\n' "$var" "$(sq "$url")"
  done
}

rabbit_down() {
  local wrapper beam
  wrapper="$(read_pid "$PIDS/rabbitmq.pid")"
  beam="$(beam_pid)"
  if pid_matches "$beam" "$RABBIT_DIR" || pid_matches "$wrapper" rabbitmq-server; then
    log "stopping rabbitmq ($RABBIT_NODE)"
    if pid_matches "$beam" "$RABBIT_DIR"; then
      rabbitmqctl_ -q stop "$RABBIT_DIR/beam.pid" >>"$RABBIT_DIR/log/stdout.log" 2>&1 || true
    fi
    stop_pid "$beam" "$RABBIT_DIR" "rabbitmq (beam)" 30
    stop_pid "$wrapper" rabbitmq-server "rabbitmq (wrapper)" 10
  fi
  rm -f "$PIDS/rabbitmq.pid" "$PIDS/rabbitmq-beam.pid" "$RABBIT_DIR/beam.pid"
  # Only the epmd this checkout started, by its PID.
  stop_pid "$(read_pid "$PIDS/epmd.pid")" epmd epmd 10
  rm -f "$PIDS/epmd.pid"
}

# --- SMTP sink -----------------------------------------------------------------------------------

# shellcheck disable=SC2016 # $1 and $line expand in the child shell
smtp_ok() {
  timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" && IFS= read -r line <&3 &&
    printf "QUIT\r\n" >&3 && [[ "$line" == 220* ]]' _ "$1" 2>/dev/null
}

smtp_up() {
  if smtp_external; then log "smtp: using Smtp__Host/Smtp__Port from the environment"; return 0; fi
  local pid i
  pid="$(read_pid "$PIDS/smtp.pid")"
  if pid_matches "$pid" aiosmtpd && smtp_ok "$SMTP_PORT"; then log "smtp: already running"; return 0; fi
  if port_open "$SMTP_PORT"; then
    if smtp_ok "$SMTP_PORT"; then
      log "smtp: reusing the SMTP server already answering on 127.0.0.1:$SMTP_PORT (not started here)"
      return 0
    fi
    die "port $SMTP_PORT is taken by something that does not speak SMTP"
  fi
  mkdir -p "$SMTP_DIR"
  rm -rf "$MAILBOX" # aiosmtpd's Mailbox handler requires a directory that does not exist yet
  log "smtp: starting aiosmtpd on 127.0.0.1:$SMTP_PORT (Maildir $MAILBOX)"
  (cd "$SMTP_DIR" && exec setsid env -u PYTHONPATH -u PYTHONHOME /usr/bin/python3 /usr/bin/aiosmtpd -n \
    -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Mailbox "$MAILBOX" \
    </dev/null >>"$SMTP_DIR/smtp.log" 2>&1 9>&-) &
  pid="$!"
  echo "$pid" >"$PIDS/smtp.pid"
  for ((i = 0; i < 100; i++)); do
    smtp_ok "$SMTP_PORT" && return 0
    if ! pid_alive "$pid"; then
      tail -n 20 "$SMTP_DIR/smtp.log" >&2 || true
      die "aiosmtpd exited during startup (log: $SMTP_DIR/smtp.log)"
    fi
    sleep 0.2
  done
  die "aiosmtpd not ready on 127.0.0.1:$SMTP_PORT after 20 s"
}

smtp_down() {
  stop_pid "$(read_pid "$PIDS/smtp.pid")" aiosmtpd smtp 10
  rm -f "$PIDS/smtp.pid"
}

# --- OIDC provider (development identity host) ---------------------------------------------------

oidc_ok() { curl -sf -o /dev/null --max-time 3 "http://127.0.0.1:$OIDC_PORT/.well-known/openid-configuration"; }

oidc_up() {
  local pid i
  pid="$(read_pid "$PIDS/oidc.pid")"
  if pid_matches "$pid" Jtai.Strategy.DevIdentity && oidc_ok; then log "oidc: already running"; return 0; fi
  if port_open "$OIDC_PORT"; then
    if oidc_ok; then log "oidc: reusing the provider already answering on 127.0.0.1:$OIDC_PORT (not started here)"; return 0; fi
    die "port $OIDC_PORT is taken by something that is not an OpenID provider"
  fi
  mkdir -p "$OIDC_DIR"
  log "oidc: building deploy/DevIdentity (log: .local/oidc/build.log)"
  DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 dotnet build "$OIDC_PROJECT" -c Release -nologo -v minimal \
    </dev/null >"$OIDC_DIR/build.log" 2>&1 9>&- || { tail -n 30 "$OIDC_DIR/build.log" >&2; die "building the OIDC provider failed"; }
  log "oidc: starting on http://127.0.0.1:$OIDC_PORT/ (web redirect URIs on ports $RUN_WEB_PORT and $WEB_TEST_PORT)"
  # The web client's addresses: the browser tests' web, and run.sh's web and its further instances (5200, ... 5900).
  local k clients=() port
  for ((k = 0; k <= 9; k++)); do
    if ((k == 0)); then port="$WEB_TEST_PORT"; else port=$((RUN_WEB_PORT + 100 * (k - 1))); fi
    clients+=("DevIdentity__Clients__0__RedirectUris__$k=http://127.0.0.1:$port/signin-oidc"
      "DevIdentity__Clients__0__PostLogoutRedirectUris__$k=http://127.0.0.1:$port/signout-callback-oidc")
  done
  (cd "$(dirname "$OIDC_DLL")" && exec setsid env ASPNETCORE_ENVIRONMENT=Development "${clients[@]}" \
    dotnet "$OIDC_DLL" --urls "http://127.0.0.1:$OIDC_PORT" </dev/null >>"$OIDC_DIR/oidc.log" 2>&1 9>&-) &
  pid="$!"
  echo "$pid" >"$PIDS/oidc.pid"
  for ((i = 0; i < 120; i++)); do
    oidc_ok && return 0
    if ! pid_alive "$pid"; then
      tail -n 30 "$OIDC_DIR/oidc.log" >&2 || true
      die "the OIDC provider exited during startup (log: $OIDC_DIR/oidc.log)"
    fi
    sleep 0.5
  done
  die "the OIDC provider is not ready on 127.0.0.1:$OIDC_PORT after 60 s"
}

oidc_down() {
  stop_pid "$(read_pid "$PIDS/oidc.pid")" Jtai.Strategy.DevIdentity oidc 20
  rm -f "$PIDS/oidc.pid"
}

# --- the cluster (up --cluster) ------------------------------------------------------------------

cnode_name() { printf 'jtai-c%d@localhost' "$1"; }
cnode_dir() { printf '%s/rabbit-%d' "$CLUSTER_DIR" "$1"; }

# The environment of cluster node K (run it in a subshell): its own ports, data and logs; one HOME, so one Erlang cookie.
cnode_env() {
  local k="$1" dir
  dir="$(cnode_dir "$k")"
  rabbit_env
  export HOME="$CLUSTER_DIR/home"
  export RABBITMQ_NODENAME="$(cnode_name "$k")"
  export RABBITMQ_NODE_PORT="$(node_port "$AMQP_PORT" "$k")"
  export RABBITMQ_DIST_PORT="$(node_port "$DIST_PORT" "$k")"
  export RABBITMQ_MNESIA_BASE="$dir/mnesia"
  export RABBITMQ_LOG_BASE="$dir/log"
  export RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins"
  export RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf"
  export RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config"
  export RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf"
  export RABBITMQ_PID_FILE="$dir/beam.pid"
}

cctl() { local k="$1"; shift; (cnode_env "$k" && cd "$(cnode_dir "$k")" && exec timeout 90 "$RABBIT_SBIN/rabbitmqctl" -n "$(cnode_name "$k")" "$@" 9>&-); }

cnode_mgmt_ok() { curl -sf -o /dev/null --max-time 3 "http://guest:guest@127.0.0.1:$(node_port "$MGMT_PORT" "$1")/api/overview"; }

# A node's Erlang VM names the cluster's HOME on its command line (its own directory it does not).
cnode_running() { pid_matches "$(read_pid "$(cnode_dir "$1")/beam.pid")" "$CLUSTER_DIR/home"; }

cnode_start() {
  local k="$1" dir
  dir="$(cnode_dir "$k")"
  cnode_running "$k" && return 0
  port_open "$(node_port "$AMQP_PORT" "$k")" && die "port $(node_port "$AMQP_PORT" "$k") (node $k's AMQP) is taken"
  mkdir -p "$dir/mnesia" "$dir/log"
  printf '[rabbitmq_management].\n' >"$dir/enabled_plugins"
  : >"$dir/rabbitmq-env.conf"
  cat >"$dir/rabbitmq.conf" <<CONF
# Written by scripts/infra.sh up --cluster.
listeners.tcp.default = 127.0.0.1:$(node_port "$AMQP_PORT" "$k")
management.tcp.port = $(node_port "$MGMT_PORT" "$k")
management.tcp.ip = 127.0.0.1
loopback_users.guest = true
CONF
  # Quorum queues get a member on every node (three): the default group size, said here so it stays so.
  printf '[{rabbit, [{quorum_cluster_size, 3}]}].\n' >"$dir/advanced.config"
  rm -f "$dir/beam.pid"
  log "rabbitmq: starting node $(cnode_name "$k") (AMQP 127.0.0.1:$(node_port "$AMQP_PORT" "$k"), management :$(node_port "$MGMT_PORT" "$k"))"
  (cnode_env "$k" && cd "$dir" && exec setsid "$RABBIT_SBIN/rabbitmq-server" </dev/null >>"$dir/log/stdout.log" 2>&1 9>&-) &
  echo "$!" >"$PIDS/rabbitmq-c$k.pid"
}

cnode_wait() {
  local k="$1" i
  for ((i = 0; i < 240; i++)); do
    if port_open "$(node_port "$AMQP_PORT" "$k")" && cnode_mgmt_ok "$k"; then return 0; fi
    if ! pid_alive "$(read_pid "$PIDS/rabbitmq-c$k.pid")" && ! cnode_running "$k"; then
      tail -n 30 "$(cnode_dir "$k")/log/stdout.log" >&2 || true
      die "rabbitmq node $k exited during startup (logs: $(cnode_dir "$k")/log)"
    fi
    sleep 0.5
  done
  die "rabbitmq node $k not ready after 120 s (logs: $(cnode_dir "$k")/log)"
}

# Stops node K: SIGTERM, RabbitMQ's graceful shutdown (rabbitmqctl stop could wait out its whole timeout on a loaded
# cluster), KILL after 30 s. `cluster-node kill` takes it down with SIGKILL at once, as a crash or a lost machine would.
cnode_stop() {
  local k="$1" signal="${2:-TERM}" beam wrapper
  beam="$(read_pid "$(cnode_dir "$k")/beam.pid")"
  wrapper="$(read_pid "$PIDS/rabbitmq-c$k.pid")"
  if pid_matches "$beam" "$CLUSTER_DIR/home"; then
    if [[ "$signal" == KILL ]]; then
      log "killing rabbitmq node $(cnode_name "$k") (SIGKILL)"
      kill -KILL "$beam" 2>/dev/null || true
    fi
    stop_pid "$beam" "$CLUSTER_DIR/home" "rabbitmq node $k (beam)" 30
  fi
  stop_pid "$wrapper" rabbitmq-server "rabbitmq node $k (wrapper)" 10
  rm -f "$PIDS/rabbitmq-c$k.pid"
}

crabbit_up() {
  mkdir -p "$CLUSTER_DIR/home" "$RABBIT_DIR/log"
  local k running=0
  for k in "${CLUSTER_NODES[@]}"; do cnode_running "$k" && running=$((running + 1)); done
  if ((running == ${#CLUSTER_NODES[@]})); then
    log "rabbitmq: cluster already running"
  else
    for k in "${CLUSTER_NODES[@]}"; do cnode_stop "$k"; rm -rf "$(cnode_dir "$k")"; done
    if [[ ! -s "$CLUSTER_DIR/home/.erlang.cookie" ]]; then
      (umask 077 && od -An -tx1 -N16 /dev/urandom | tr -d ' \n' >"$CLUSTER_DIR/home/.erlang.cookie")
    fi
    chmod 400 "$CLUSTER_DIR/home/.erlang.cookie"
    epmd_up
    # All three boot at once (each alone at first), then nodes 2 and 3 join node 1.
    for k in "${CLUSTER_NODES[@]}"; do cnode_start "$k"; done
    for k in "${CLUSTER_NODES[@]}"; do cnode_wait "$k"; done
    for k in "${CLUSTER_NODES[@]:1}"; do
      log "rabbitmq: node $k joins $(cnode_name 1)"
      { cctl "$k" -q stop_app && cctl "$k" -q join_cluster "$(cnode_name 1)" && cctl "$k" -q start_app; } \
        >>"$(cnode_dir "$k")/log/stdout.log" 2>&1 || { tail -n 20 "$(cnode_dir "$k")/log/stdout.log" >&2; die "node $k could not join the cluster"; }
    done
    for k in "${CLUSTER_NODES[@]}"; do cnode_wait "$k"; done
    log "rabbitmq: provisioning the services' users on the cluster (deploy/rabbitmq/permissions.tsv)"
    (cnode_env 1 && cd "$(cnode_dir 1)" && exec "$ROOT/deploy/rabbitmq/provision-users.sh" / \
      timeout 90 "$RABBIT_SBIN/rabbitmqctl" -n "$(cnode_name 1)" >>"$CLUSTER_DIR/users.log" 2>&1 9>&-) ||
      { tail -n 20 "$CLUSTER_DIR/users.log" >&2; die "provisioning the RabbitMQ users failed"; }
  fi
  local members
  members="$(cctl 1 -q cluster_status --formatter json | grep -o '"running_nodes":\[[^]]*\]' || true)"
  log "rabbitmq: cluster ${members:-(status unknown)}"
}

crabbit_down() {
  local k
  for k in "${CLUSTER_NODES[@]}"; do cnode_stop "$k"; done
  stop_pid "$(read_pid "$PIDS/epmd.pid")" epmd epmd 10
  rm -f "$PIDS/epmd.pid"
}

# PostgreSQL: a primary and a synchronous streaming standby, in $PG_DIR/cluster-primary and $PG_DIR/cluster-standby.

cpg_data() { printf '%s/cluster-%s' "$PG_DIR" "$1"; } # primary|standby

cpg_running() {
  local data
  data="$(cpg_data "$1")"
  [[ -f "$data/postmaster.pid" ]] && pid_matches "$(head -n 1 "$data/postmaster.pid" 2>/dev/null)" postgres
}

# jtai.conf of one server: DATA PORT SYNCHRONOUS_STANDBY_NAMES [PRIMARY_CONNINFO]
cpg_conf() {
  as_pg tee "$1/jtai.conf" >/dev/null <<CONF
# Written by scripts/infra.sh up --cluster.
listen_addresses = '127.0.0.1'
port = $2
unix_socket_directories = ''
max_connections = 300
shared_buffers = 128MB
password_encryption = 'scram-sha-256'
wal_level = replica
max_wal_senders = 5
hot_standby = on
wal_keep_size = 512MB
# A commit is acknowledged once the standby has it in its WAL on disk (remote_apply is not needed: nothing reads it).
synchronous_commit = on
synchronous_standby_names = '$3'
primary_conninfo = '${4:-}'
CONF
}

cpg_start() { # primary|standby
  local data
  data="$(cpg_data "$1")"
  if ! as_pg "$PG_BIN/pg_ctl" start -D "$data" -l "$PG_DIR/cluster-$1.log" -w -t 120 -s 9>&-; then
    tail -n 30 "$PG_DIR/cluster-$1.log" >&2 || true
    die "postgres $1 did not start (log: $PG_DIR/cluster-$1.log)"
  fi
}

cpg_sql() { # PORT SQL
  PGPASSWORD="$PG_PASSWORD" PGCONNECT_TIMEOUT=5 "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$1" -U "$PG_USER" -d postgres -tAc "$2"
}

cpg_up() {
  resolve_pg_dir
  if cpg_running primary && cpg_running standby &&
    [[ "$(cpg_sql "$PG_PORT" 'select pg_is_in_recovery()' 2>/dev/null)" == f ]]; then
    log "postgres: primary and standby already running"
    return 0
  fi
  cpg_stop standby fast
  cpg_stop primary fast
  local primary standby pwfile i
  primary="$(cpg_data primary)" standby="$(cpg_data standby)"
  as_pg rm -rf "$primary" "$standby"
  port_open "$PG_PORT" && die "port $PG_PORT is taken"
  port_open "$STANDBY_PORT" && die "port $STANDBY_PORT (the standby's) is taken"
  log "postgres: initdb $primary"
  pwfile="$(mktemp)"
  printf '%s\n' "$PG_PASSWORD" >"$pwfile"
  is_root && chown "$PG_OS_USER" "$pwfile"
  if ! as_pg "$PG_BIN/initdb" -D "$primary" -U "$PG_USER" --pwfile="$pwfile" -E UTF8 --locale=C.UTF-8 \
    --auth-host=scram-sha-256 --auth-local=trust >"$LOCAL/postgres-initdb.log" 2>&1; then
    rm -f "$pwfile"; cat "$LOCAL/postgres-initdb.log" >&2; die "initdb failed"
  fi
  rm -f "$pwfile"
  printf "\ninclude_if_exists = 'jtai.conf'\n" | as_pg tee -a "$primary/postgresql.conf" >/dev/null
  # Synchronous only once the standby streams: until then a commit would wait for it forever.
  cpg_conf "$primary" "$PG_PORT" ""
  log "postgres: starting the primary on 127.0.0.1:$PG_PORT"
  cpg_start primary
  head -n 1 "$primary/postmaster.pid" >"$PIDS/postgres-primary.pid"
  pg_ensure_database
  pg_ensure_service_roles
  log "postgres: pg_basebackup into $standby"
  as_pg env PGPASSWORD="$PG_PASSWORD" "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -D "$standby" \
    -X stream -c fast >"$LOCAL/postgres-basebackup.log" 2>&1 || { tail -n 20 "$LOCAL/postgres-basebackup.log" >&2; die "pg_basebackup failed"; }
  # The standby asks for nothing synchronous itself: promoted, it runs alone rather than wait for a standby it lacks.
  cpg_conf "$standby" "$STANDBY_PORT" "" \
    "host=127.0.0.1 port=$PG_PORT user=$PG_USER password=$PG_PASSWORD application_name=jtai_standby"
  as_pg touch "$standby/standby.signal"
  log "postgres: starting the standby on 127.0.0.1:$STANDBY_PORT"
  cpg_start standby
  head -n 1 "$standby/postmaster.pid" >"$PIDS/postgres-standby.pid"
  cpg_conf "$primary" "$PG_PORT" "jtai_standby"
  as_pg "$PG_BIN/pg_ctl" reload -D "$primary" -s
  for ((i = 0; i < 120; i++)); do
    [[ "$(cpg_sql "$PG_PORT" "select sync_state from pg_stat_replication where application_name = 'jtai_standby'" 2>/dev/null)" == sync ]] && break
    sleep 0.5
  done
  [[ "$(cpg_sql "$PG_PORT" "select sync_state from pg_stat_replication where application_name = 'jtai_standby'")" == sync ]] ||
    die "the standby is not a synchronous standby after 60 s (logs: $PG_DIR/cluster-*.log)"
  log "postgres: standby 127.0.0.1:$STANDBY_PORT streams synchronously from the primary 127.0.0.1:$PG_PORT"
}

cpg_stop() { # primary|standby MODE
  local data
  data="$(cpg_data "$1")"
  if [[ -f "$data/PG_VERSION" ]] && cpg_running "$1"; then
    log "stopping postgres $1 (-m $2)"
    as_pg "$PG_BIN/pg_ctl" stop -D "$data" -m "$2" -w -t 60 -s ||
      stop_pid "$(head -n 1 "$data/postmaster.pid" 2>/dev/null)" postgres "postgres $1" 30
  fi
  rm -f "$PIDS/postgres-$1.pid"
}

cpg_down() {
  find_pg_dir
  cpg_stop standby fast
  cpg_stop primary fast
}

cpg_status_lines() {
  find_pg_dir
  local which port role
  for which in primary standby; do
    port="$PG_PORT"; [[ "$which" == standby ]] && port="$STANDBY_PORT"
    if cpg_running "$which"; then
      role="$(cpg_sql "$port" 'select case when pg_is_in_recovery() then $$standby$$ else $$primary$$ end' 2>/dev/null || echo '?')"
      status_line "pg-$which" up "127.0.0.1:$port" "now $role, pid $(head -n 1 "$(cpg_data "$which")/postmaster.pid"), this checkout"
    else
      status_line "pg-$which" down "127.0.0.1:$port" ""
    fi
  done
}

cmd_cluster_node() {
  cluster_mode || die "no cluster: scripts/infra.sh up --cluster first"
  local action="${1:-}" k="${2:-}"
  [[ "$k" =~ ^[1-3]$ ]] || die "usage: cluster-node stop|kill|start|ctl K (K = 1..3)"
  mkdir -p "$PIDS"
  case "$action" in
    stop) cnode_stop "$k" ;;
    kill) cnode_stop "$k" KILL ;;
    start) cnode_start "$k"; cnode_wait "$k"; cctl "$k" -q await_startup >/dev/null ;;
    ctl) shift 2; cctl "$k" "$@" ;;
    *) die "usage: cluster-node stop|kill|start|ctl K" ;;
  esac
}

cmd_cluster_postgres() {
  cluster_mode || die "no cluster: scripts/infra.sh up --cluster first"
  find_pg_dir
  case "${1:-}" in
    stop-primary) cpg_stop primary immediate ;;
    promote)
      log "postgres: promoting the standby (127.0.0.1:$STANDBY_PORT)"
      as_pg "$PG_BIN/pg_ctl" promote -D "$(cpg_data standby)" -w -t 60 -s ;;
    status) cpg_status_lines ;;
    *) die "usage: cluster-postgres stop-primary|promote|status" ;;
  esac
}

# --- subcommands ---------------------------------------------------------------------------------

cmd_up() {
  lock
  mkdir -p "$PIDS"
  local t0=$SECONDS cluster=0
  [[ "${1:-}" == --cluster ]] && cluster=1
  [[ $# -le 1 && ("${1:-}" == "" || $cluster == 1) ]] || die "usage: scripts/infra.sh up [--cluster]"
  if ((cluster)); then
    find_pg_dir
    { pg_ours_running || rabbit_ours_running; } && die "the single servers of this checkout run: scripts/infra.sh down first"
    PG_DIR="" # resolved (and created) by cpg_up
    touch "$CLUSTER_MARK"
    set_defaults
  elif cluster_mode; then
    local k
    for k in "${CLUSTER_NODES[@]}"; do cnode_running "$k" && die "the cluster of this checkout runs: scripts/infra.sh down first"; done
    rm -f "$CLUSTER_MARK"
    set_defaults
  fi
  ensure_packages
  if ((cluster)); then
    cpg_up
    crabbit_up
  else
    pg_up
    rabbit_up
  fi
  smtp_up
  oidc_up
  log "ready in $((SECONDS - t0)) s (scripts/infra.sh status; stop with scripts/infra.sh down)"
}

cmd_down() {
  lock
  mkdir -p "$PIDS"
  oidc_down
  smtp_down
  if cluster_mode; then
    crabbit_down
    cpg_down
    rm -f "$CLUSTER_MARK"
  fi
  rabbit_down
  pg_down
  log "down"
}

cmd_env() {
  local mgmt="$DEFAULT_MGMT" smtp_host="$DEFAULT_SMTP_HOST" smtp_port="$SMTP_PORT" mailbox="$MAILBOX"
  rabbit_external && mgmt="${JTAI_RABBITMQ_MANAGEMENT:-$DEFAULT_MGMT}"
  if smtp_external; then
    smtp_host="${Smtp__Host:-$DEFAULT_SMTP_HOST}"
    smtp_port="${Smtp__Port:-$SMTP_PORT}"
    mailbox="${JTAI_SMTP_MAILBOX:-}"
  fi
  local cs_pg="$DEFAULT_PG_CS" cs_rabbit="$DEFAULT_RABBIT_CS"
  pg_external && cs_pg="$ConnectionStrings__Postgres"
  rabbit_external && cs_rabbit="$ConnectionStrings__RabbitMq"
  printf 'export ConnectionStrings__Postgres=%s\n' "$(sq "$cs_pg")"
  pg_env_service_roles
  printf 'export ConnectionStrings__RabbitMq=%s\n' "$(sq "$cs_rabbit")"
  printf 'export JTAI_RABBITMQ_MANAGEMENT=%s\n' "$(sq "$mgmt")"
  if cluster_mode; then
    # Every node's management API (the first may be the one a test stops), comma-separated.
    local k urls=()
    for k in "${CLUSTER_NODES[@]}"; do urls+=("http://guest:guest@127.0.0.1:$(node_port "$MGMT_PORT" "$k")"); done
    printf 'export JTAI_RABBITMQ_CLUSTER_MANAGEMENT=%s\n' "$(sq "$(IFS=,; printf '%s' "${urls[*]}")")"
  fi
  printf 'export Smtp__Host=%s\n' "$(sq "$smtp_host")"
  printf 'export Smtp__Port=%s\n' "$(sq "$smtp_port")"
  printf 'export JTAI_SMTP_MAILBOX=%s\n' "$(sq "$mailbox")"
  printf 'export JTAI_OIDC_AUTHORITY=%s\n' "$(sq "http://127.0.0.1:$OIDC_PORT/")"
  printf 'export JTAI_WEB_TEST_URL=%s\n' "$(sq "http://127.0.0.1:$WEB_TEST_PORT/")"
  rabbit_env_urls
}

status_line() { printf '%-9s %-5s %-34s %s\n' "$@"; }

cmd_status() {
  local owner
  find_pg_dir
  if cluster_mode; then
    cpg_status_lines
    local k
    for k in "${CLUSTER_NODES[@]}"; do
      if cnode_running "$k" && cnode_mgmt_ok "$k"; then
        status_line "rabbit-$k" up "127.0.0.1:$(node_port "$AMQP_PORT" "$k") (mgmt :$(node_port "$MGMT_PORT" "$k"))" "node $(cnode_name "$k"), this checkout"
      else
        status_line "rabbit-$k" down "127.0.0.1:$(node_port "$AMQP_PORT" "$k") (mgmt :$(node_port "$MGMT_PORT" "$k"))" ""
      fi
    done
    smtp_status
    oidc_status
    return 0
  fi
  if pg_external; then status_line postgres ext "from ConnectionStrings__Postgres" ""
  elif pg_ours_running; then
    status_line postgres up "127.0.0.1:$PG_PORT" "pid $(head -n 1 "$PG_DIR/data/postmaster.pid"), this checkout, $PG_DIR/data"
  elif port_open "$PG_PORT"; then status_line postgres up "127.0.0.1:$PG_PORT" "not started by this checkout"
  else status_line postgres down "127.0.0.1:$PG_PORT" ""
  fi
  if rabbit_external; then status_line rabbitmq ext "from ConnectionStrings__RabbitMq" ""
  else
    owner="not started by this checkout"
    rabbit_ours_running && owner="pid $(beam_pid), node $RABBIT_NODE, this checkout"
    if port_open "$AMQP_PORT" && mgmt_ok; then status_line rabbitmq up "127.0.0.1:$AMQP_PORT (mgmt :$MGMT_PORT)" "$owner"
    elif rabbit_ours_running; then status_line rabbitmq start "127.0.0.1:$AMQP_PORT (mgmt :$MGMT_PORT)" "$owner"
    else status_line rabbitmq down "127.0.0.1:$AMQP_PORT (mgmt :$MGMT_PORT)" ""
    fi
    if pid_matches "$(read_pid "$PIDS/epmd.pid")" epmd; then
      status_line epmd up "127.0.0.1:$EPMD_PORT" "pid $(read_pid "$PIDS/epmd.pid"), this checkout"
    elif epmd_ok; then status_line epmd up "127.0.0.1:$EPMD_PORT" "not started by this checkout"
    else status_line epmd down "127.0.0.1:$EPMD_PORT" ""
    fi
  fi
  smtp_status
  oidc_status
}

smtp_status() {
  local owner
  if smtp_external; then status_line smtp ext "from Smtp__Host/Smtp__Port" ""
  else
    owner="not started by this checkout"
    pid_matches "$(read_pid "$PIDS/smtp.pid")" aiosmtpd && owner="pid $(read_pid "$PIDS/smtp.pid"), this checkout, $MAILBOX"
    if smtp_ok "$SMTP_PORT"; then status_line smtp up "127.0.0.1:$SMTP_PORT" "$owner"
    else status_line smtp down "127.0.0.1:$SMTP_PORT" ""
    fi
  fi
}

oidc_status() {
  local owner="not started by this checkout"
  pid_matches "$(read_pid "$PIDS/oidc.pid")" Jtai.Strategy.DevIdentity && owner="pid $(read_pid "$PIDS/oidc.pid"), this checkout"
  if oidc_ok; then status_line oidc up "http://127.0.0.1:$OIDC_PORT/" "$owner"
  else status_line oidc down "http://127.0.0.1:$OIDC_PORT/" ""
  fi
}

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; }

case "${1:-}" in
  up) shift; cmd_up "$@" ;;
  down) cmd_down ;;
  env) cmd_env ;;
  status) cmd_status ;;
  psql) shift; PGPASSWORD="$PG_PASSWORD" exec "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d "$PG_DATABASE" "$@" ;;
  rabbitmqctl) shift; if cluster_mode; then cctl 1 "$@"; else rabbitmqctl_ "$@"; fi ;;
  cluster-node) shift; cmd_cluster_node "$@" ;;
  cluster-postgres) shift; cmd_cluster_postgres "$@" ;;
  -h | --help | help) usage ;;
  *) usage >&2; exit 2 ;;
esac
