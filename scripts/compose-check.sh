#!/usr/bin/env bash
# scripts/compose-check.sh - runs docker-compose.yml for real and checks it end to end, on a machine without a Docker
# engine or an image registry (CI's last step, .ci/run; or by hand).
#
# Usage: scripts/compose-check.sh
#
#   1. scripts/docker-engine.sh up: installs docker.io, docker-compose, debootstrap and iptables when missing, starts a
#      private dockerd (data under .local/docker) and makes the local bases (Debian by debootstrap from this machine's
#      apt mirror, cached in .local/docker-cache; .NET from this machine's installation).
#   2. scripts/compose-secrets.sh (random secrets in deploy/secrets/, kept if there), then `docker-compose build`;
#      then the container tests (tests/Jtai.Strategy.Containers.Tests, Testcontainers on the images just built: the
#      outbox relay and a consumer through a paused broker container; a few minutes; JTAI_CONTAINER_TESTS=0 leaves them
#      out); then `docker-compose up -d` as project jtai-compose-check; waits until every container is healthy (the
#      migrate steps have then finished: the services wait for them).
#   3. Through the public HTTP APIs, signed in at the compose OIDC provider's token endpoint as scripts/oidc-token.sh
#      does: the administrator registers a team with its bridge and a SPOC for each agency the rules suggest, the team's
#      manager convenes a strategy meeting, and the invitation e-mail to each SPOC (To: the SPOC, subject and body naming
#      the meeting's reference) must arrive at the SMTP sink container.
#   4. Always, even after a failure: `docker-compose down -v`, then scripts/docker-engine.sh down when this script
#      started the engine (dockerd stopped by its PID, iptables and IP forwarding as they were). An engine that was
#      already running is left running.
# Every phase prints its time; the run fails when it takes longer than JTAI_COMPOSE_CHECK_BUDGET seconds (default 1500).
# The containers publish on 127.0.0.1 ports 25100-25105 (web, then the APIs), 25443 (OIDC) and 25672 (RabbitMQ's
# management page), unless the JTAI_COMPOSE_*_PORT variables of docker-compose.yml say otherwise.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT"
PROJECT=jtai-compose-check
BUDGET="${JTAI_COMPOSE_CHECK_BUDGET:-1500}"
HEALTH_TIMEOUT=600
MAIL_TIMEOUT=90

export JTAI_COMPOSE_WEB_PORT="${JTAI_COMPOSE_WEB_PORT:-25100}"
export JTAI_COMPOSE_DIRECTORY_PORT="${JTAI_COMPOSE_DIRECTORY_PORT:-25101}"
export JTAI_COMPOSE_MEETINGS_PORT="${JTAI_COMPOSE_MEETINGS_PORT:-25102}"
export JTAI_COMPOSE_NOTIFICATIONS_PORT="${JTAI_COMPOSE_NOTIFICATIONS_PORT:-25103}"
export JTAI_COMPOSE_METRICS_PORT="${JTAI_COMPOSE_METRICS_PORT:-25104}"
export JTAI_COMPOSE_ACTION_PLAN_PORT="${JTAI_COMPOSE_ACTION_PLAN_PORT:-25105}"
export JTAI_COMPOSE_OIDC_PORT="${JTAI_COMPOSE_OIDC_PORT:-25443}"
export JTAI_COMPOSE_RABBITMQ_MANAGEMENT_PORT="${JTAI_COMPOSE_RABBITMQ_MANAGEMENT_PORT:-25672}"

started=$SECONDS
log() { printf '[compose-check] %4d s  %s\n' "$((SECONDS - started))" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

engine_started=0
compose_started=0
compose() { docker-compose -p "$PROJECT" -f "$ROOT/docker-compose.yml" "$@"; }

cleanup() {
  local status=$?
  trap - EXIT
  set +e
  if ((compose_started)); then
    if ((status != 0)); then
      compose ps >&2
      compose logs --no-color --tail 40 >&2 2>&1 | tail -n 400 >&2
    fi
    log "docker-compose down -v"
    compose down -v --remove-orphans >/dev/null 2>&1 || log "warning: docker-compose down failed"
  fi
  if ((engine_started)); then "$ROOT/scripts/docker-engine.sh" down; fi
  log "$( ((status == 0)) && echo passed || echo failed) in $((SECONDS - started)) s (budget $BUDGET s)"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- 1. the engine and the bases -----------------------------------------------------------------------------------
if [[ -f "$ROOT/.local/docker/dockerd.pid" ]] && kill -0 "$(cat "$ROOT/.local/docker/dockerd.pid")" 2>/dev/null; then
  log "reusing the running private engine (left running afterwards)"
else
  engine_started=1
fi
"$ROOT/scripts/docker-engine.sh" up
eval "$("$ROOT/scripts/docker-engine.sh" env)"
log "engine and local bases ready"

# --- 2. secrets, images, containers --------------------------------------------------------------------------------
"$ROOT/scripts/compose-secrets.sh" >&2
docker-compose -f docker-compose.yml config -q
log "docker-compose build (the .NET images share one publish layer)"
# Through the engine's API (not the docker CLI, whichever version that is): the legacy builder, its cache.
export COMPOSE_DOCKER_CLI_BUILD=0
nice -n 10 docker-compose -p "$PROJECT" -f "$ROOT/docker-compose.yml" build -q
log "images built"

# --- 2b. the container tests, on the images just built ---------------------------------------------------------------
# tests/Jtai.Strategy.Containers.Tests (Testcontainers.RabbitMq and .PostgreSql): the outbox relay and a consumer
# through a broker container that is paused and unpaused. A test project only with JTAI_CONTAINER_TESTS=1; Ryuk (the
# reaper container) is off: no image registry to pull it from, and the tests remove their containers themselves.
if [[ "${JTAI_CONTAINER_TESTS:-1}" != 0 ]]; then
  log "dotnet test tests/Jtai.Strategy.Containers.Tests (Testcontainers, images jtai-strategy/rabbitmq and postgres)"
  container_results="$ROOT/.local/test-results-containers"
  rm -rf "$container_results"
  JTAI_CONTAINER_TESTS=1 TESTCONTAINERS_RYUK_DISABLED=true JTAI_IMAGE_TAG="${JTAI_IMAGE_TAG:-local}" \
    dotnet test "$ROOT/tests/Jtai.Strategy.Containers.Tests/Jtai.Strategy.Containers.Tests.csproj" -c Release \
    --logger trx --logger "console;verbosity=normal" --results-directory "$container_results" \
    --blame-hang-timeout 10m --blame-hang-dump-type none </dev/null >&2 \
    || die "the container tests failed (tests/Jtai.Strategy.Containers.Tests; TRX in $container_results)"
  log "container tests passed"
else
  log "container tests left out (JTAI_CONTAINER_TESTS=0)"
fi
# Leftovers of an interrupted run (same project) go first: a new volume is a new database.
compose down -v --remove-orphans >/dev/null 2>&1 || true
compose_started=1
log "docker-compose up -d (the migrate steps run first; up waits for them)"
compose up -d >&2

# Every container of the project (the default profile's: compose 1.29 lists the other profiles' services too):
# the migrate steps exited 0, everything else running and healthy.
containers() { docker ps -a --filter "label=com.docker.compose.project=$PROJECT" --format '{{.ID}} {{.Label "com.docker.compose.service"}}'; }
deadline=$((SECONDS + HEALTH_TIMEOUT))
while true; do
  waiting=() count=0
  while read -r id service; do
    count=$((count + 1))
    if [[ "$service" == *-migrate ]]; then
      state="$(docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' "$id")"
      [[ "$state" == "exited 0" ]] || { [[ "$state" == exited* ]] && die "$service: $state"; waiting+=("$service($state)"); }
    else
      state="$(docker inspect -f '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}' "$id")"
      [[ "$state" == "running healthy" ]] || waiting+=("$service($state)")
    fi
  done < <(containers)
  ((count >= 16 && ${#waiting[@]} == 0)) && break
  ((SECONDS < deadline)) || die "not healthy after $HEALTH_TIMEOUT s ($count containers): ${waiting[*]}"
  sleep 2
done
log "every service healthy, every migrate step exited 0"

# --- 3. a meeting convened gives an invitation e-mail at the sink --------------------------------------------------
export JTAI_OIDC_AUTHORITY="http://127.0.0.1:$JTAI_COMPOSE_OIDC_PORT/"
JTAI_OIDC_CLIENT_SECRET="$(cat "$ROOT/deploy/secrets/web-oidc-client-secret")"
export JTAI_OIDC_CLIENT_SECRET
admin="$("$ROOT/scripts/oidc-token.sh" admin)"
manager="$("$ROOT/scripts/oidc-token.sh" manager.easington)"
log "signed in at the provider's token endpoint (admin, manager.easington)"

directory="http://127.0.0.1:$JTAI_COMPOSE_DIRECTORY_PORT"
meetings="http://127.0.0.1:$JTAI_COMPOSE_MEETINGS_PORT"

# api METHOD URL TOKEN [JSON]: the response body; fails on any status but 2xx.
api() {
  local body
  body="$(curl -sS --max-time 30 --fail-with-body -X "$1" "$2" -H "Authorization: Bearer $3" \
    ${4:+-H 'Content-Type: application/json' --data "$4"})" || { printf '%s %s: %s\n' "$1" "$2" "$body" >&2; return 1; }
  printf '%s' "$body"
}
json() { python3 -c "import json,sys; d=json.load(sys.stdin); $1"; }

# An unauthenticated call is refused: the APIs really check the provider's tokens.
status="$(curl -s -o /dev/null -w '%{http_code}' "$directory/api/agencies")"
[[ "$status" == 401 ]] || die "GET /api/agencies without a token answered $status, not 401"

api POST "$meetings/api/teams" "$admin" '{"code":"FF-EASINGTON","name":"Families First Easington","gpPilot":false}' >/dev/null
api POST "$meetings/api/teams/FF-EASINGTON/bridges" "$admin" \
  '{"label":"Bridge 1","dialInNumber":"0191 555 0001","conferenceCode":"4400001"}' >/dev/null
log "team FF-EASINGTON registered with its bridge"

# The agencies the rules suggest for these facts, once the directory's (seeded) agencies have reached the replica.
facts='{"ageBand":"FiveToTen"}'
agencies=""
for ((i = 0; i < 60; i++)); do
  agencies="$(api POST "$meetings/api/meetings/suggestions" "$manager" "$facts" \
    | json 'print(" ".join(sorted({s["agencyCode"] for s in d})))')" || true
  (($(wc -w <<<"$agencies") >= 3)) && break
  sleep 1
done
(($(wc -w <<<"$agencies") >= 3)) || die "the suggestions never named three agencies (got: '$agencies')"
declare -A spoc_email
for agency in $agencies; do
  spoc_email[$agency]="compose-check.$(tr 'A-Z' 'a-z' <<<"$agency")@spoc.example"
  api POST "$directory/api/agencies/$agency/spocs" "$admin" \
    "{\"fullName\":\"Check $agency\",\"secureEmail\":\"${spoc_email[$agency]}\",\"rank\":0}" >/dev/null
done
log "a SPOC for each suggested agency: $agencies"

# Convene (again while the new SPOCs are still on their way to the meetings service's replica).
case_reference="LL-COMPOSE-$(date +%s)"
invited=""
for ((i = 0; i < 60; i++)); do
  body="$(python3 - "$case_reference-$i" "$facts" <<'PY'
import datetime, json, sys
now = datetime.datetime.now(datetime.timezone.utc)
iso = lambda t: t.strftime("%Y-%m-%dT%H:%M:%SZ")
print(json.dumps({
    "caseReference": sys.argv[1], "concernCategory": "DomesticAbuse",
    "incidentAt": iso(now - datetime.timedelta(hours=5)), "decisionAt": iso(now - datetime.timedelta(minutes=30)),
    "thresholdReason": "RepeatIncidentsCumulativeRisk", "thresholdReasonText": "Third call-out in four weeks (compose check).",
    "scheduledStart": iso((now + datetime.timedelta(hours=3)).replace(minute=0, second=0)), "lengthMinutes": 60,
    "caseFacts": json.loads(sys.argv[2])}))
PY
)"
  response="$(api POST "$meetings/api/meetings" "$manager" "$body")" || die "convening failed"
  # Invited: the agencies whose invitation names the SPOC registered above.
  invited="$(json 'print(" ".join(sorted({i["agencyCode"] for i in d["invitations"] if i.get("recipientName", "").startswith("Check ")})))' <<<"$response")"
  if [[ "$invited" == "$agencies" ]]; then break; fi
  sleep 1
done
[[ "$invited" == "$agencies" ]] || die "no convene invited the SPOC of every suggested agency ($agencies): $response"
# The e-mails name the meeting by its reference (never the case's).
reference="$(json 'print(d["reference"])' <<<"$response")"
log "meeting $reference convened: invitations to the SPOCs of $invited"

# Every SPOC's invitation is a message in the sink's Maildir, addressed to them and naming the meeting (bodies decoded).
mail="$(mktemp -d)"
deadline=$((SECONDS + MAIL_TIMEOUT))
missing="$agencies"
while true; do
  rm -rf "$mail/new"
  docker cp "$(compose ps -q smtp-sink):/var/mail/sink/new" "$mail/new" 2>/dev/null || mkdir -p "$mail/new"
  missing=""
  for agency in $agencies; do
    python3 - "$mail/new" "${spoc_email[$agency]}" "$reference" <<'PY' || missing+="$agency "
import email, email.policy, pathlib, sys
folder, address, reference = sys.argv[1:]
for path in pathlib.Path(folder).iterdir():
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    if address not in str(message.get("To", "")):
        continue
    texts = [part.get_content() for part in message.walk() if part.get_content_maintype() == "text"]
    if reference in str(message.get("Subject", "")) and any(reference in text for text in texts):
        sys.exit(0)
sys.exit(1)
PY
  done
  [[ -z "$missing" ]] && break
  ((SECONDS < deadline)) || { ls -l "$mail/new" >&2; die "no invitation e-mail naming $reference at the SMTP sink after $MAIL_TIMEOUT s for: $missing"; }
  sleep 2
done
rm -rf "$mail"
log "an invitation e-mail naming $reference to each SPOC ($(for a in $agencies; do printf '%s ' "${spoc_email[$a]}"; done)) at the SMTP sink"

elapsed=$((SECONDS - started))
((elapsed <= BUDGET)) || die "took $elapsed s, over the budget of $BUDGET s"
