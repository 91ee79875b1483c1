#!/usr/bin/env bash
# deploy/postgres/entrypoint.sh - the compose PostgreSQL's start (deploy/postgres/Dockerfile), as the postgres user.
#
# JTAI_PG_ROLE=primary (default): on an empty volume, initdb with the superuser POSTGRES_USER (password from the file
#   POSTGRES_PASSWORD_FILE), the database POSTGRES_DB, a replication role `replicator` (password from
#   JTAI_PG_REPLICATION_PASSWORD_FILE, when given), then the scripts of /docker-entrypoint-initdb.d (service-roles.sh) on
#   a server that listens on no TCP port. Every TCP connection authenticates with SCRAM; WAL is kept for a standby.
# JTAI_PG_ROLE=standby: on an empty volume, waits for the primary (JTAI_PG_PRIMARY_HOST), copies it with pg_basebackup
#   through its own replication slot, and follows it by streaming replication (hot standby: read-only queries). Once it
#   streams, it names itself the primary's synchronous standby (ALTER SYSTEM, as the superuser), so a commit the primary
#   acknowledges is on both servers; stop the standby for good and the primary waits: that is what synchronous means.
set -euo pipefail

role="${JTAI_PG_ROLE:-primary}"
: "${PGDATA:=/var/lib/postgresql/data}"
secret() { local file="${1}"; [[ -n "$file" && -f "$file" ]] || { echo "jtai-postgres: secret file '$file' missing" >&2; exit 1; }; printf '%s' "$(<"$file")"; }

server_settings() {
  cat <<CONF
listen_addresses = '*'
password_encryption = 'scram-sha-256'
wal_level = replica
max_wal_senders = 10
max_replication_slots = 10
hot_standby = on
wal_keep_size = '256MB'
max_connections = 200
CONF
}

if [[ ! -s "$PGDATA/PG_VERSION" && "$role" == primary ]]; then
  user="${POSTGRES_USER:-postgres}" database="${POSTGRES_DB:-${POSTGRES_USER:-postgres}}"
  password="$(secret "${POSTGRES_PASSWORD_FILE:-}")"
  initdb -D "$PGDATA" --username "$user" --pwfile <(printf '%s\n' "$password") \
    --auth-host=scram-sha-256 --auth-local=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  server_settings >>"$PGDATA/postgresql.conf"
  # Over TCP: every database role by password (SCRAM); replication only as replicator.
  cat >>"$PGDATA/pg_hba.conf" <<HBA
host all all 0.0.0.0/0 scram-sha-256
host all all ::/0 scram-sha-256
host replication replicator 0.0.0.0/0 scram-sha-256
host replication replicator ::/0 scram-sha-256
HBA
  export PGPASSWORD="$password" PGHOST=/var/run/postgresql POSTGRES_USER="$user" POSTGRES_DB="$database"
  pg_ctl -D "$PGDATA" -w -o "-c listen_addresses=''" start >/dev/null
  if [[ "$database" != postgres ]]; then psql -v ON_ERROR_STOP=1 -q -U "$user" -d postgres -c "CREATE DATABASE \"$database\""; fi
  if [[ -n "${JTAI_PG_REPLICATION_PASSWORD_FILE:-}" ]]; then
    replication="$(secret "$JTAI_PG_REPLICATION_PASSWORD_FILE")"
    psql -v ON_ERROR_STOP=1 -q -U "$user" -d postgres \
      -c "CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD '${replication//\'/\'\'}'"
  fi
  for script in /docker-entrypoint-initdb.d/*; do
    case "$script" in
      *.sh) echo "jtai-postgres: running $script"; bash "$script" ;;
      *.sql) echo "jtai-postgres: running $script"; psql -v ON_ERROR_STOP=1 -q -U "$user" -d "$database" -f "$script" ;;
    esac
  done
  pg_ctl -D "$PGDATA" -w -m fast stop >/dev/null
  unset PGPASSWORD
  echo "jtai-postgres: primary initialised (database $database)"
fi

if [[ ! -s "$PGDATA/PG_VERSION" && "$role" == standby ]]; then
  primary="${JTAI_PG_PRIMARY_HOST:?JTAI_PG_PRIMARY_HOST names the primary}"
  export PGPASSWORD
  PGPASSWORD="$(secret "${JTAI_PG_REPLICATION_PASSWORD_FILE:-}")"
  until pg_isready -q -h "$primary" -p 5432; do echo "jtai-postgres: waiting for $primary"; sleep 1; done
  # Its own slot on the primary (-C -S): the primary keeps the WAL this standby has not yet received.
  pg_basebackup -h "$primary" -p 5432 -U replicator -D "$PGDATA" -X stream -C -S postgres_standby -c fast
  chmod 700 "$PGDATA"
  {
    echo "primary_conninfo = 'host=$primary port=5432 user=replicator password=${PGPASSWORD//\'/\'\'} application_name=postgres_standby'"
    echo "primary_slot_name = 'postgres_standby'"
  } >>"$PGDATA/postgresql.auto.conf"
  touch "$PGDATA/standby.signal"
  unset PGPASSWORD
  echo "jtai-postgres: standby cloned from $primary"
fi

if [[ "$role" == standby && -f "$PGDATA/standby.signal" ]]; then
  # Once streaming, the primary waits for this standby on every commit (ANY 1: the one standby there is).
  (
    superuser="$(secret "${POSTGRES_PASSWORD_FILE:-}")"
    until [[ "$(PGPASSWORD="$superuser" psql -h "${JTAI_PG_PRIMARY_HOST}" -U "${POSTGRES_USER:-postgres}" -d postgres -tAc \
      "SELECT count(*) FROM pg_stat_replication WHERE application_name = 'postgres_standby' AND state = 'streaming'" 2>/dev/null)" == 1 ]]; do
      sleep 1
    done
    PGPASSWORD="$superuser" psql -q -h "${JTAI_PG_PRIMARY_HOST}" -U "${POSTGRES_USER:-postgres}" -d postgres \
      -c "ALTER SYSTEM SET synchronous_standby_names = 'ANY 1 (postgres_standby)'" -c "SELECT pg_reload_conf()" >/dev/null \
      && echo "jtai-postgres: synchronous standby of ${JTAI_PG_PRIMARY_HOST}"
  ) &
fi

# This shell stays the container's first process and hands the stop signal on (a fast shutdown), so that the standby's
# registration above remains its child, not the postmaster's.
postgres -D "$PGDATA" &
server=$!
trap 'kill -INT "$server" 2>/dev/null' TERM INT
status=0
wait "$server" || status=$?
# A trapped signal ends the first wait early; the second waits for the server to finish its shutdown.
if kill -0 "$server" 2>/dev/null; then wait "$server" || status=$?; fi
exit "$status"
