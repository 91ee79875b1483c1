#!/usr/bin/env bash
# scripts/run.sh - runs the whole system locally.
#
# Usage: scripts/run.sh [--no-infra | --cluster] [--instances N]
#
#   Starts the private infrastructure (scripts/infra.sh up; --no-infra uses the servers given by the
#   environment variables of docs/conventions.md instead), builds the solution once (Release), runs each
#   service's migrate step (migrations, and its queues and bindings on the broker) as its schema's owner role
#   (JTAI_PG_<SCHEMA>_OWNER), starts
#   every service below that exists on http://127.0.0.1:PORT (logs in .local/logs/<name>.log), waits
#   until each answers /health/ready, prints their URLs and waits. Ctrl-C (or SIGTERM) stops the
#   services and then the infrastructure this script started. If a service exits on its own, the
#   others are stopped too.
#
#   Each service runs as its built program (`dotnet <service>.dll`, no `dotnet run` process in between), connected to
#   PostgreSQL as its runtime role (JTAI_PG_<SCHEMA>; without those variables, as ConnectionStrings__Postgres) and to
#   RabbitMQ as its own user (JTAI_RABBITMQ_URL_<SERVICE> of scripts/infra.sh env), migrate step included.
#   The APIs accept the tokens of the development OIDC provider that scripts/infra.sh runs (Auth__Authority; get one
#   for curl with scripts/oidc-token.sh USER), and the web service (5100) signs users in there; JTAI_DEV_TOKENS=1
#   keeps the APIs on the development signing key (scripts/dev-token.sh) instead.
#   --instances N runs N instances of every service against the one database and broker: instance k
#   (1-based) of a service listens on its port + 100 * (k - 1), e.g. Meetings on 5102 and 5202.
#   --cluster starts the infrastructure with scripts/infra.sh up --cluster instead: three RabbitMQ nodes and PostgreSQL
#   with a synchronous standby, every service given all of them in its connection strings (docs/conventions.md).
#   To measure N instances under load and faults, use the load benchmark instead (it starts its own):
#   dotnet run -c Release --project tests/Jtai.Strategy.Benchmarks -- load --instances 2 --chaos
set -euo pipefail

# The services: name | project | port | database schema ("-": none). The only list of them.
SERVICES=(
  "SpocDirectory|services/SpocDirectory/Jtai.Strategy.SpocDirectory.csproj|5101|spoc_directory"
  "Meetings|services/Meetings/Jtai.Strategy.Meetings.csproj|5102|meetings"
  "Notifications|services/Notifications/Jtai.Strategy.Notifications.csproj|5103|notifications"
  "Metrics|services/Metrics/Jtai.Strategy.Metrics.csproj|5104|metrics"
  "ActionPlan|services/ActionPlan/Jtai.Strategy.ActionPlan.csproj|5105|action_plan"
  "Web|services/Web/Jtai.Strategy.Web.csproj|5100|-"
)
READY_TIMEOUT=120

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT"
INFRA="$ROOT/scripts/infra.sh"
LOGS="$ROOT/.local/logs"

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { printf '[run] %s\n' "$*" >&2; }

# A service's own broker user: its JTAI_RABBITMQ_URL_<SERVICE> from scripts/infra.sh env (e.g. Meetings-2 ->
# JTAI_RABBITMQ_URL_MEETINGS), else the shared ConnectionStrings__RabbitMq.
broker_url() {
  local var
  var="JTAI_RABBITMQ_URL_$(printf '%s' "${1%-[0-9]}" | sed 's/\([a-z]\)\([A-Z]\)/\1_\2/g' | tr 'a-z' 'A-Z')"
  printf '%s' "${!var:-$ConnectionStrings__RabbitMq}"
}
die() { printf '[run] ERROR: %s\n' "$*" >&2; exit 1; }

use_infra=1
infra_up=(up)
instances=1
while (($# > 0)); do
  case "$1" in
    --no-infra) use_infra=0 ;;
    --cluster) infra_up=(up --cluster) ;;
    --instances)
      [[ "${2:-}" =~ ^[1-9]$ ]] || die "--instances takes a number from 1 to 9"
      instances="$2"
      shift
      ;;
    -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
  shift
done

# Every process to start: name | project | port | schema, one per service and instance.
PROCESSES=()
for entry in "${SERVICES[@]}"; do
  IFS='|' read -r name project port schema <<<"$entry"
  for ((k = 1; k <= instances; k++)); do
    label="$name"
    ((instances == 1)) || label="$name-$k"
    PROCESSES+=("$label|$project|$((port + 100 * (k - 1)))|$schema")
  done
done

# A service's database connection (ConnectionStrings__Postgres): its runtime role's (JTAI_PG_<SCHEMA>, from
# scripts/infra.sh env), else the one shared connection (a PostgreSQL of your own without per-service roles).
runtime_connection() {
  local variable="JTAI_PG_${1^^}"
  if [[ "$1" == - ]]; then printf '%s' "${ConnectionStrings__Postgres:-}"; else printf '%s' "${!variable:-${ConnectionStrings__Postgres:-}}"; fi
}

# Its migrate step's (ConnectionStrings__PostgresMigrations): the schema owner's (JTAI_PG_<SCHEMA>_OWNER), else none
# (the migrations then run on the service's own connection).
owner_connection() {
  local variable="JTAI_PG_${1^^}_OWNER"
  [[ "$1" == - ]] || printf '%s' "${!variable:-}"
}

names=() pids=() ports=()
infra_started=0
cleaning=0

# shellcheck disable=SC2016 # $1 expands in the child shell
port_open() { timeout 2 bash -c ': >"/dev/tcp/127.0.0.1/$1"' _ "$1" 2>/dev/null; }

cleanup() {
  if ((cleaning)); then return 0; fi
  cleaning=1
  trap '' INT TERM
  local i pid waited
  for i in "${!pids[@]}"; do
    pid="${pids[$i]}"
    if kill -0 "$pid" 2>/dev/null; then
      log "stopping ${names[$i]} (pid $pid)"
      kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    fi
  done
  for i in "${!pids[@]}"; do
    pid="${pids[$i]}"
    for ((waited = 0; waited < 100; waited++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "${names[$i]} did not stop in 20 s: killing it"
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
  done
  if ((infra_started)); then "$INFRA" down || log "warning: scripts/infra.sh down failed"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

solution=""
for candidate in Jtai.Strategy.sln Jtai.Strategy.slnx; do
  if [[ -f "$candidate" ]]; then solution="$candidate"; break; fi
done
[[ -n "$solution" ]] || die "no Jtai.Strategy.sln(x) in $ROOT"

# Fail before building if a port is taken (another scripts/run.sh?).
for entry in "${PROCESSES[@]}"; do
  IFS='|' read -r name project port _ <<<"$entry"
  if [[ -f "$project" ]] && port_open "$port"; then die "port $port ($name) is already in use"; fi
done

if ((use_infra)); then
  infra_started=1
  "$INFRA" "${infra_up[@]}"
fi
eval "$("$INFRA" env)"
# Sign-in through the development OIDC provider scripts/infra.sh runs: the web service signs users in there, and the
# APIs accept its tokens (Auth:Authority) instead of the development signing key. A browser opening an e-mail's answer
# link is sent to the web service's answer page.
# JTAI_DEV_TOKENS=1 keeps the APIs on the development signing key instead (scripts/dev-token.sh tokens; the web
# service's sign-in then reaches pages but not the APIs).
if [[ "${JTAI_DEV_TOKENS:-0}" != 1 ]]; then export Auth__Authority="${Auth__Authority:-$JTAI_OIDC_AUTHORITY}"; fi
export Web__Oidc__Authority="${Web__Oidc__Authority:-$JTAI_OIDC_AUTHORITY}"
export Meetings__AnswerPageBaseUrl="${Meetings__AnswerPageBaseUrl:-http://127.0.0.1:5100/}"
# The circulation e-mail's "sign in to read the record" link opens the web service's record page.
export Meetings__WebBaseUrl="${Meetings__WebBaseUrl:-http://127.0.0.1:5100/}"
export Web__DataProtectionKeysDirectory="${Web__DataProtectionKeysDirectory:-$ROOT/.local/web/keys}"
# The walk-through uses Durham's sample action plan: opted in here, never in Production (the service refuses it there).
if [[ "${ASPNETCORE_ENVIRONMENT:-Development}" != Production ]]; then
  export ActionPlan__SeedDurhamSamplePlan="${ActionPlan__SeedDurhamSamplePlan:-true}"
fi

log "dotnet build $solution -c Release"
dotnet build "$solution" -c Release -nologo -v minimal </dev/null

mkdir -p "$LOGS"
# The deployment step first, for every service: its migrations and its queues, exchanges and bindings. Then
# no service publishes before the others' queues exist (a message no queue is bound for would wait in the outbox).
# Each migrate step connects as its schema's owner role; the services below as their runtime roles.
for entry in "${SERVICES[@]}"; do
  IFS='|' read -r name project port schema <<<"$entry"
  if [[ ! -f "$project" ]]; then continue; fi
  log "$name: migrate (log: .local/logs/$name.migrate.log)"
  # As the schema's owner role and the service's own broker user: the topology it declares is what its permissions allow.
  ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}" ConnectionStrings__RabbitMq="$(broker_url "$name")" \
    ConnectionStrings__Postgres="$(runtime_connection "$schema")" \
    ConnectionStrings__PostgresMigrations="$(owner_connection "$schema")" \
    dotnet "$(dirname "$project")/bin/Release/net10.0/$(basename "$project" .csproj).dll" \
    --contentRoot "$ROOT/$(dirname "$project")/bin/Release/net10.0" migrate \
    </dev/null >"$LOGS/$name.migrate.log" 2>&1 || { tail -n 40 "$LOGS/$name.migrate.log" >&2; die "$name: migrate failed"; }
done

for entry in "${PROCESSES[@]}"; do
  IFS='|' read -r name project port schema <<<"$entry"
  if [[ ! -f "$project" ]]; then log "$name: $project does not exist, skipped"; continue; fi
  # The built program itself, with its output folder as content root (appsettings are copied there).
  # Absolute: the host resolves a relative content root against the program's own folder, not the working directory.
  output="$ROOT/$(dirname "$project")/bin/Release/net10.0"
  program="$output/$(basename "$project" .csproj).dll"
  log "starting $name on http://127.0.0.1:$port (log: .local/logs/$name.log)"
  (ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}" ConnectionStrings__RabbitMq="$(broker_url "$name")" \
    ConnectionStrings__Postgres="$(runtime_connection "$schema")" exec setsid \
    dotnet "$program" --contentRoot "$output" --urls "http://127.0.0.1:$port" \
    </dev/null >"$LOGS/$name.log" 2>&1) &
  names+=("$name") pids+=("$!") ports+=("$port")
done
((${#pids[@]} > 0)) || die "none of the services exists yet"

for i in "${!pids[@]}"; do
  name="${names[$i]}" port="${ports[$i]}" pid="${pids[$i]}"
  deadline=$((SECONDS + READY_TIMEOUT))
  until curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$port/health/ready"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 40 "$LOGS/$name.log" >&2 || true
      die "$name exited before it was ready (log: .local/logs/$name.log)"
    fi
    if ((SECONDS >= deadline)); then
      tail -n 40 "$LOGS/$name.log" >&2 || true
      die "$name not ready after $READY_TIMEOUT s (log: .local/logs/$name.log)"
    fi
    sleep 1
  done
  log "$name ready"
done

echo
printf '%-14s %-24s %-38s %s\n' SERVICE URL READINESS OPENAPI
for i in "${!pids[@]}"; do
  url="http://127.0.0.1:${ports[$i]}"
  openapi="$url/openapi/v1.json"
  [[ "${names[$i]}" == Web* ]] && openapi="- (HTML pages)"
  printf '%-14s %-24s %-38s %s\n' "${names[$i]}" "$url" "$url/health/ready" "$openapi"
done
echo
echo "The web service: http://127.0.0.1:5100/ (sign in through the development provider at $JTAI_OIDC_AUTHORITY)."
echo "Example sign-ins (password dev-password; deploy/DevIdentity/appsettings.json):"
echo "  admin                Administrator"
echo "  manager.easington    TeamManager of FF-EASINGTON      manager.derwentside  TeamManager of FF-DERWENTSIDE"
echo "  spoc.police          Spoc for DURHAM-POLICE           spoc.health          Spoc for CDDFT"
echo "  spoc.csc             Spoc for DCC-CSC                 masdg                Masdg"
echo "An API token for curl: TOKEN=\$(scripts/oidc-token.sh manager.easington)"
echo
echo "Logs in .local/logs/. Press Ctrl-C to stop."

while true; do
  exited_pid=""
  wait -n -p exited_pid "${pids[@]}" && status=0 || status=$?
  [[ -n "$exited_pid" ]] || continue
  for i in "${!pids[@]}"; do
    if [[ "${pids[$i]}" == "$exited_pid" ]]; then
      tail -n 40 "$LOGS/${names[$i]}.log" >&2 || true
      die "${names[$i]} exited (status $status); stopping the others"
    fi
  done
done
