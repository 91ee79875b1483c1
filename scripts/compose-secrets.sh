#!/usr/bin/env bash
# scripts/compose-secrets.sh - writes the secret files docker-compose.yml mounts (compose `secrets:`), in the
# git-ignored deploy/secrets/ of this checkout. Run it once before `docker-compose up` (and with --cluster before
# `docker-compose --profile cluster up`).
#
# Usage: scripts/compose-secrets.sh [--renew] [--cluster]
#
# Each password and key is random (48 hex digits) unless its variable is set: JTAI_PG_<SCHEMA>_OWNER_PASSWORD,
# JTAI_PG_<SCHEMA>_PASSWORD, JTAI_RABBITMQ_PASSWORD_<USER>, JTAI_PG_SUPERUSER_PASSWORD (as docs/conventions.md names
# them). A password file that exists is kept (so a database volume made with it still matches); --renew writes every
# file anew (then remove the postgres and rabbitmq volumes too: their roles and users were made with the old passwords).
#
# It writes, per service: <service>-postgres (the runtime role's connection string), <service>-postgres-migrations
# (the owner role's, for the migrate step), <service>-rabbitmq (its broker user's URL); and for the servers:
# postgres-superuser-password, postgres-replication-password (the standby's), pg-<schema>-owner-password,
# pg-<schema>-runtime-password, rabbitmq-<user>-password, rabbitmq-admin-password (jtai-admin, the management page),
# rabbitmq-erlang-cookie (the broker nodes' shared secret); meetings-response-link-key (signs the e-mails' answer links)
# and web-oidc-client-secret (the web service's client secret at the compose OIDC provider, which reads the same file).
# The connection strings are written every time from the passwords: plain, they name the one broker and database;
# with --cluster, every node of the compose profile `cluster` (amqp://user:password@rabbitmq:5672,rabbitmq-2:5672,
# rabbitmq-3:5672/, and Host=postgres,postgres-standby with Target Session Attributes=primary).
# The folder is its owner's only (0700); the files in it are 0644, because compose (without swarm) bind-mounts each
# file as it is and the containers read them as their own users (postgres, rabbitmq, app), not as yours.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$root/deploy/secrets"
renew=false
cluster=false
for argument in "$@"; do
  case "$argument" in
    --renew) renew=true ;;
    --cluster) cluster=true ;;
    *) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
done

umask 022
mkdir -p "$dir"
chmod 700 "$dir"

random() { od -An -N24 -tx1 /dev/urandom | tr -d ' \n'; }

# write NAME VALUE: the file's content is the value exactly (no newline), unless it exists and --renew was not given.
write() {
  local file="$dir/$1"
  if [[ -f "$file" && "$renew" == false ]]; then return; fi
  printf '%s' "$2" >"$file"
}

# derived NAME VALUE: a file made from the passwords (a connection string): always written.
derived() { printf '%s' "$2" >"$dir/$1"; }

# password NAME VARIABLE: the file's password (kept), else the variable's, else a random one.
password() {
  local file="$dir/$1" variable="$2"
  if [[ -f "$file" && "$renew" == false ]]; then cat "$file"; else printf '%s' "${!variable:-$(random)}"; fi
}

write postgres-superuser-password "$(password postgres-superuser-password JTAI_PG_SUPERUSER_PASSWORD)"
write postgres-replication-password "$(password postgres-replication-password JTAI_PG_REPLICATION_PASSWORD)"
write rabbitmq-admin-password "$(password rabbitmq-admin-password JTAI_RABBITMQ_ADMIN_PASSWORD)"
write rabbitmq-erlang-cookie "$(password rabbitmq-erlang-cookie JTAI_RABBITMQ_ERLANG_COOKIE)"
write meetings-response-link-key "$(password meetings-response-link-key JTAI_MEETINGS_RESPONSE_LINK_KEY)"
write web-oidc-client-secret "$(password web-oidc-client-secret JTAI_WEB_OIDC_CLIENT_SECRET)"

if [[ "$cluster" == true ]]; then
  pg_hosts="Host=postgres,postgres-standby;Port=5432;Target Session Attributes=primary"
  broker_hosts="rabbitmq:5672,rabbitmq-2:5672,rabbitmq-3:5672"
else
  pg_hosts="Host=postgres;Port=5432"
  broker_hosts="rabbitmq:5672"
fi

# service folder, schema, broker user
for entry in "spoc-directory spoc_directory spoc-directory" "meetings meetings meetings" "notifications notifications notifications" \
             "metrics metrics metrics" "action-plan action_plan action-plan"; do
  read -r service schema user <<<"$entry"
  upper="${schema^^}"
  owner="$(password "pg-${schema//_/-}-owner-password" "JTAI_PG_${upper}_OWNER_PASSWORD")"
  runtime="$(password "pg-${schema//_/-}-runtime-password" "JTAI_PG_${upper}_PASSWORD")"
  write "pg-${schema//_/-}-owner-password" "$owner"
  write "pg-${schema//_/-}-runtime-password" "$runtime"
  derived "$service-postgres" "$pg_hosts;Username=${schema}_runtime;Password=$runtime;Database=jtai"
  derived "$service-postgres-migrations" "$pg_hosts;Username=${schema}_owner;Password=$owner;Database=jtai"
done

for user in spoc-directory meetings notifications metrics action-plan web; do
  variable="JTAI_RABBITMQ_PASSWORD_$(printf '%s' "$user" | tr 'a-z-' 'A-Z_')"
  broker="$(password "rabbitmq-$user-password" "$variable")"
  write "rabbitmq-$user-password" "$broker"
  derived "$user-rabbitmq" "amqp://$user:$broker@$broker_hosts/"
done

echo "compose secrets in $dir ($(find "$dir" -type f | wc -l) files$([[ "$cluster" == true ]] && echo ', cluster connection strings'))"
