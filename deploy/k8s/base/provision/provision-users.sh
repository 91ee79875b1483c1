#!/usr/bin/env bash
# deploy/rabbitmq/provision-users.sh - creates each service's RabbitMQ user and grants it the permissions of
# permissions.tsv (beside this script) on one virtual host. Re-running it resets passwords and permissions.
#
# Usage: provision-users.sh VHOST RABBITMQCTL [ARGS...]
#   e.g. provision-users.sh / rabbitmqctl -n rabbit@host
# A user's password comes from JTAI_RABBITMQ_PASSWORD_<USER> (upper case, '-' as '_', e.g.
# JTAI_RABBITMQ_PASSWORD_SPOC_DIRECTORY), or from the file JTAI_RABBITMQ_PASSWORD_<USER>_FILE names (a compose secret,
# which wins); when neither is set, the development password '<user>-dev' (development only).
# Used by scripts/infra.sh up and by the compose broker's start (deploy/rabbitmq/start.sh).
set -euo pipefail

[[ $# -ge 2 ]] || { echo "usage: $0 VHOST RABBITMQCTL [ARGS...]" >&2; exit 2; }
vhost="$1"
shift
ctl=("$@")
file="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/permissions.tsv"

while IFS=$'\t' read -r user configure write read; do
  [[ -z "$user" || "$user" == \#* ]] && continue
  var="JTAI_RABBITMQ_PASSWORD_$(printf '%s' "$user" | tr 'a-z-' 'A-Z_')"
  file_var="${var}_FILE"
  if [[ -n "${!file_var:-}" ]]; then
    # A secret file (compose secrets under /run/secrets): the password is its content, not an environment value.
    password="$(<"${!file_var}")"
  else
    password="${!var:-$user-dev}"
  fi
  if "${ctl[@]}" -q list_users </dev/null 2>/dev/null | awk '{print $1}' | grep -qxF -- "$user"; then
    "${ctl[@]}" -q change_password "$user" "$password" </dev/null >/dev/null
  else
    "${ctl[@]}" -q add_user "$user" "$password" </dev/null >/dev/null
  fi
  "${ctl[@]}" -q set_permissions -p "$vhost" "$user" "$configure" "$write" "$read" </dev/null >/dev/null
  printf 'rabbitmq user %s: permissions on %s granted\n' "$user" "$vhost"
done <"$file"
