#!/usr/bin/env bash
# deploy/postgres/service-roles.sh - gives each service its two PostgreSQL roles, in the current database.
#
# Usage: deploy/postgres/service-roles.sh          applies it with psql (as the postgres image's init scripts run:
#                                                  POSTGRES_USER into POSTGRES_DB; or libpq's PG* variables)
#        deploy/postgres/service-roles.sh --sql    prints the SQL instead (scripts/infra.sh and the tests run it)
#
# For each service schema S (spoc_directory, meetings, notifications, metrics, action_plan; docs/conventions.md):
#   S_owner     owns schema S (created here with AUTHORIZATION S_owner) and runs the service's `migrate` step;
#   S_runtime   the role the service runs as; `migrate` grants it USAGE on S and the DML it needs there
#               (SELECT and INSERT only on the audit trail), nothing in any other schema.
# Each may connect to this database only: CONNECT is revoked from PUBLIC here and on the cluster's other databases.
# Both are LOGIN roles and nothing more: not superusers, cannot create databases or roles, no replication, no RLS
# bypass. It also creates the extensions the migrations need (btree_gist). Run as a superuser. Idempotent: an existing role gets its password and attributes set again, an existing
# schema owned by another role (a cluster from before the roles) is handed, with everything in it, to S_owner.
#
# Passwords come from JTAI_PG_<S>_OWNER_PASSWORD and JTAI_PG_<S>_PASSWORD (S upper-case, e.g.
# JTAI_PG_MEETINGS_OWNER_PASSWORD), or from the files named by the same variables with _FILE appended (compose
# secrets, which win); unset, they are the DEVELOPMENT-ONLY defaults "<s>-owner-dev" and
# "<s>-runtime-dev" (s with hyphens, e.g. spoc-directory-owner-dev). Never use the defaults outside a developer's machine.
set -euo pipefail

SCHEMAS=(spoc_directory meetings notifications metrics action_plan)

# A value as an SQL string literal.
literal() { printf "'%s'" "${1//\'/\'\'}"; }

password() {
  local schema="$1" kind="$2" variable default
  if [[ "$kind" == owner ]]; then
    variable="JTAI_PG_${schema^^}_OWNER_PASSWORD" default="${schema//_/-}-owner-dev"
  else
    variable="JTAI_PG_${schema^^}_PASSWORD" default="${schema//_/-}-runtime-dev"
  fi
  local file_variable="${variable}_FILE"
  if [[ -n "${!file_variable:-}" ]]; then
    # A secret file (compose secrets under /run/secrets), as the postgres image reads POSTGRES_PASSWORD_FILE.
    printf '%s' "$(<"${!file_variable}")"
  else
    printf '%s' "${!variable:-$default}"
  fi
}

role_sql() {
  local role="$1" password="$2"
  cat <<SQL
DO \$\$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$role') THEN CREATE ROLE $role; END IF;
END \$\$;
ALTER ROLE $role LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS PASSWORD $(literal "$password");
SQL
}

sql() {
  echo "BEGIN;"
  # Roles and databases' grants are the cluster's: two runs at once (two test databases) must not both create a role
  # or update one database's grants ("tuple concurrently updated"). An advisory lock is per database; a lock on the
  # shared catalog pg_database holds across the cluster (and keeps databases from being created or dropped meanwhile).
  echo "LOCK TABLE pg_catalog.pg_database IN SHARE ROW EXCLUSIVE MODE;"
  local schema
  for schema in "${SCHEMAS[@]}"; do
    role_sql "${schema}_owner" "$(password "$schema" owner)"
    role_sql "${schema}_runtime" "$(password "$schema" runtime)"
    cat <<SQL
DO \$\$
DECLARE
    o record;
BEGIN
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO ${schema}_owner, ${schema}_runtime', current_database());
    IF NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = '${schema}') THEN
        CREATE SCHEMA ${schema} AUTHORIZATION ${schema}_owner;
    ELSIF (SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = '${schema}') <> '${schema}_owner' THEN
        -- Migrated before the roles existed: the owner role takes the schema and what is in it.
        ALTER SCHEMA ${schema} OWNER TO ${schema}_owner;
        FOR o IN SELECT c.oid::regclass AS name FROM pg_class c
                 WHERE c.relnamespace = '${schema}'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
                   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i') AND c.relkind = 'S') LOOP
            EXECUTE format('ALTER TABLE %s OWNER TO ${schema}_owner', o.name);
        END LOOP;
        FOR o IN SELECT p.oid::regprocedure AS name FROM pg_proc p WHERE p.pronamespace = '${schema}'::regnamespace LOOP
            EXECUTE format('ALTER ROUTINE %s OWNER TO ${schema}_owner', o.name);
        END LOOP;
        FOR o IN SELECT t.oid::regtype AS name FROM pg_type t
                 WHERE t.typnamespace = '${schema}'::regnamespace AND t.typtype IN ('e', 'd', 'r') LOOP
            EXECUTE format('ALTER TYPE %s OWNER TO ${schema}_owner', o.name);
        END LOOP;
    END IF;
END \$\$;
SQL
  done
  # CONNECT: PostgreSQL gives it to PUBLIC on every new database. Only the roles granted above may connect to this
  # one, and PUBLIC loses it on the cluster's other databases too (postgres, template1, another deployment's), so a
  # service role reaches no database but those this script ran in. The superuser is not affected. A database that is
  # being dropped meanwhile (the tests' private ones) is passed over.
  cat <<'SQL'
DO $$
DECLARE
    d name;
BEGIN
    EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM PUBLIC', current_database());
    FOR d IN SELECT datname FROM pg_database WHERE datallowconn AND datname <> current_database() LOOP
        BEGIN
            EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM PUBLIC', d);
        EXCEPTION WHEN OTHERS THEN
            RAISE NOTICE 'CONNECT on database % left as it was: %', d, SQLERRM;
        END;
    END LOOP;
END $$;
SQL
  # Extensions are the database's, created by a superuser: the meetings migrations' CREATE EXTENSION IF NOT EXISTS
  # then finds it (an owner role may not create one).
  echo "CREATE EXTENSION IF NOT EXISTS btree_gist;"
  echo "COMMIT;"
}

case "${1:-}" in
  --sql) sql ;;
  "") sql | psql -v ON_ERROR_STOP=1 -q ${POSTGRES_USER:+--username "$POSTGRES_USER"} ${POSTGRES_DB:+--dbname "$POSTGRES_DB"} ;;
  *) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
