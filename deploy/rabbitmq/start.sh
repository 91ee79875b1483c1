#!/usr/bin/env bash
# deploy/rabbitmq/start.sh - the compose broker's command (docker-compose.yml, development profile): starts RabbitMQ,
# then creates each service's user with the permissions of permissions.tsv on the default virtual host
# (provision-users.sh; passwords from JTAI_RABBITMQ_PASSWORD_<USER>, given by compose variables), and only then
# reports healthy (the file the healthcheck waits for), so no service connects before its user exists.
set -euo pipefail

rm -f /tmp/jtai-users-provisioned
rabbitmq-server &
server=$!
trap 'kill -TERM "$server" 2>/dev/null; wait "$server"' TERM INT
until rabbitmq-diagnostics -q check_running >/dev/null 2>&1; do
  kill -0 "$server" 2>/dev/null || exit 1
  sleep 1
done
"$(dirname "${BASH_SOURCE[0]}")/provision-users.sh" / rabbitmqctl
touch /tmp/jtai-users-provisioned
wait "$server"
