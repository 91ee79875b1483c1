#!/usr/bin/env bash
# scripts/compose-secrets.sh - writes the secret files docker-compose.yml mounts (compose `secrets:`), in the
# git-ignored deploy/secrets/ of this checkout. Run it once before `docker-compose --profile development up`.
#
# Each password is random (48 hex digits) unless its variable is set: JTAI_PG_<SCHEMA>_OWNER_PASSWORD,
# JTAI_PG_<SCHEMA>_PASSWORD, JTAI_RABBITMQ_PASSWORD_<USER>, JTAI_PG_SUPERUSER_PASSWORD (as docs/conventions.md names
# them). A file that exists is kept (so a database volume made with it still matches); --renew writes every file anew
# (then remove the postgres and rabbitmq volumes too: their roles and users were made with the old passwords).
#
# It writes, per service: <service>-postgres (the runtime role's connection string), <service>-postgres-migrations
# (the owner role's, for the migrate step), <service>-rabbitmq (its broker user's URL); and for the servers:
# postgres-superuser-password, pg-<schema>-owner-password, pg-<schema>-runtime-password, rabbitmq-<user>-password.
# The folder is its owner's only (0700); the files in it are 0644, because compose (without swarm) bind-mounts each
# file as it is and the containers read them as their own users (postgres, rabbitmq, app), not as yours.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$root/deploy/secrets"
renew=false
case "${1:-}" in
  --renew) renew=true ;;
  "") ;;
  *) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac

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

# password NAME VARIABLE: the file's password (kept), else the variable's, else a random one.
password() {
  local file="$dir/$1" variable="$2"
  if [[ -f "$file" && "$renew" == false ]]; then cat "$file"; else printf '%s' "${!variable:-$(random)}"; fi
}

write postgres-superuser-password "$(password postgres-superuser-password JTAI_PG_SUPERUSER_PASSWORD)"

# service folder, schema, broker user
for entry in "spoc-directory spoc_directory spoc-directory" "meetings meetings meetings" "notifications notifications notifications" \
             "metrics metrics metrics" "action-plan action_plan action-plan"; do
  read -r service schema user <<<"$entry"
  upper="${schema^^}"
  owner="$(password "pg-${schema//_/-}-owner-password" "JTAI_PG_${upper}_OWNER_PASSWORD")"
  runtime="$(password "pg-${schema//_/-}-runtime-password" "JTAI_PG_${upper}_PASSWORD")"
  write "pg-${schema//_/-}-owner-password" "$owner"
  write "pg-${schema//_/-}-runtime-password" "$runtime"
  write "$service-postgres" "Host=postgres;Port=5432;Username=${schema}_runtime;Password=$runtime;Database=jtai"
  write "$service-postgres-migrations" "Host=postgres;Port=5432;Username=${schema}_owner;Password=$owner;Database=jtai"
done

for user in spoc-directory meetings notifications metrics action-plan web; do
  variable="JTAI_RABBITMQ_PASSWORD_$(printf '%s' "$user" | tr 'a-z-' 'A-Z_')"
  broker="$(password "rabbitmq-$user-password" "$variable")"
  write "rabbitmq-$user-password" "$broker"
  write "$user-rabbitmq" "amqp://$user:$broker@rabbitmq:5672/"
done

echo "compose secrets in $dir ($(find "$dir" -type f | wc -l) files)"
