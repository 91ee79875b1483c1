#!/usr/bin/env bash
# deploy/rabbitmq/start.sh - the compose broker's command (deploy/rabbitmq/Dockerfile, docker-compose.yml), as the
# rabbitmq user. Writes the node's configuration, starts RabbitMQ, then
#   - on the first node (JTAI_RABBITMQ_JOIN unset): creates each service's user with the permissions of permissions.tsv
#     on the default virtual host (provision-users.sh; passwords from the secret files JTAI_RABBITMQ_PASSWORD_<USER>_FILE
#     name) and the administrator jtai-admin (password from JTAI_RABBITMQ_ADMIN_PASSWORD_FILE), and removes guest;
#   - on a node that joins a cluster (JTAI_RABBITMQ_JOIN=rabbit@<first node's host>, the compose profile `cluster`):
#     joins it through classic peer discovery, then grows every quorum queue onto itself, so a queue declared while the
#     cluster had fewer nodes is replicated on this one too;
# and only then reports healthy (the file the healthcheck waits for), so no service connects too early.
# The Erlang cookie (the nodes' shared secret) comes from the file JTAI_RABBITMQ_ERLANG_COOKIE_FILE names.
set -euo pipefail

rm -f /tmp/jtai-broker-ready
secret() { [[ -f "$1" ]] || { echo "start.sh: secret file '$1' missing" >&2; exit 1; }; printf '%s' "$(<"$1")"; }

# The cookie must be the same on every node and readable by this user only.
if [[ -n "${JTAI_RABBITMQ_ERLANG_COOKIE_FILE:-}" ]]; then
  rm -f "$HOME/.erlang.cookie"
  secret "$JTAI_RABBITMQ_ERLANG_COOKIE_FILE" >"$HOME/.erlang.cookie"
  chmod 400 "$HOME/.erlang.cookie"
fi

{
  echo "listeners.tcp.default = 5672"
  echo "management.tcp.port = 15672"
  # guest may only ever connect from inside the container; it is removed below anyway.
  echo "loopback_users.guest = true"
  if [[ -n "${JTAI_RABBITMQ_JOIN:-}" ]]; then
    echo "cluster_formation.peer_discovery_backend = classic_config"
    echo "cluster_formation.classic_config.nodes.1 = $JTAI_RABBITMQ_JOIN"
    echo "cluster_formation.classic_config.nodes.2 = rabbit@$(hostname)"
  fi
} >"$RABBITMQ_CONFIG_FILE"

rabbitmq-server &
server=$!
trap 'kill -TERM "$server" 2>/dev/null; wait "$server"' TERM INT
until rabbitmq-diagnostics -q check_running >/dev/null 2>&1; do
  kill -0 "$server" 2>/dev/null || exit 1
  sleep 1
done

if [[ -z "${JTAI_RABBITMQ_JOIN:-}" ]]; then
  "$(dirname "${BASH_SOURCE[0]}")/provision-users.sh" / rabbitmqctl
  if [[ -n "${JTAI_RABBITMQ_ADMIN_PASSWORD_FILE:-}" ]]; then
    admin="$(secret "$JTAI_RABBITMQ_ADMIN_PASSWORD_FILE")"
    if rabbitmqctl -q list_users | awk '{print $1}' | grep -qx jtai-admin; then
      rabbitmqctl -q change_password jtai-admin "$admin" >/dev/null
    else
      rabbitmqctl -q add_user jtai-admin "$admin" >/dev/null
    fi
    rabbitmqctl -q set_user_tags jtai-admin administrator >/dev/null
    rabbitmqctl -q set_permissions -p / jtai-admin '.*' '.*' '.*' >/dev/null
  fi
  rabbitmqctl -q delete_user guest >/dev/null 2>&1 || true
else
  until rabbitmqctl -q cluster_status 2>/dev/null | grep -q "${JTAI_RABBITMQ_JOIN}"; do
    kill -0 "$server" 2>/dev/null || exit 1
    sleep 1
  done
  rabbitmq-queues -q grow "rabbit@$(hostname)" all >/dev/null || true
  echo "start.sh: rabbit@$(hostname) joined $JTAI_RABBITMQ_JOIN"
fi

touch /tmp/jtai-broker-ready
wait "$server"
