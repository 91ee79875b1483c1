#!/usr/bin/env bash
# scripts/test.sh - runs every test of the solution against the private infrastructure.
#
# Usage: scripts/test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Meetings]
#
#   1. scripts/infra.sh up, and `infra.sh down` at the end whatever happens (and apt's docker-compose when missing,
#      for the compose file's offline checks)
#      (set JTAI_KEEP_INFRA=1 to leave the servers running for the next run);
#   2. exports the variables of docs/conventions.md (eval "$(scripts/infra.sh env)"), and installs kubectl from
#      apt when missing (the deployment tests render deploy/k8s with it);
#   3. dotnet test <solution> -c Release, one TRX file per test assembly in .local/test-results
#      (emptied first);
#   4. then the longer failover suite, tests/Jtai.Strategy.Cluster.Tests (about 5 minutes, plus 2-3 to start its
#      servers): `scripts/infra.sh up --cluster` (three RabbitMQ nodes, PostgreSQL with a synchronous standby), its
#      env, dotnet test of that project alone (JTAI_CLUSTER_SUITE=1 makes it a test project; the solution's run
#      leaves it out), `infra.sh down`. Part of the default run; JTAI_CLUSTER_SUITE=0 leaves it out (README,
#      "Failover on a cluster");
#   5. sums the <Counters> of every TRX file and prints, as the very last line,
#        N passed, N failed            (followed by ", N skipped" when tests were skipped)
#      and exits non-zero when dotnet test failed, a test failed, or no test executed.
#
# A test host that hangs is killed after JTAI_TEST_HANG_TIMEOUT (default 20m; 0 disables).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT"
INFRA="$ROOT/scripts/infra.sh"
RESULTS="$ROOT/.local/test-results"

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { printf '[test] %s\n' "$*" >&2; }

teardown_done=0
teardown() {
  if ((teardown_done)); then return 0; fi
  teardown_done=1
  if [[ "${JTAI_KEEP_INFRA:-0}" == 1 ]]; then
    log "JTAI_KEEP_INFRA=1: infrastructure left running (scripts/infra.sh down stops it)"
  else
    "$INFRA" down || log "warning: scripts/infra.sh down failed"
  fi
}
trap teardown EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

solution=""
for candidate in Jtai.Strategy.sln Jtai.Strategy.slnx; do
  if [[ -f "$candidate" ]]; then solution="$candidate"; break; fi
done
[[ -n "$solution" ]] || { log "no Jtai.Strategy.sln(x) in $ROOT"; echo "0 passed, 0 failed"; exit 1; }

"$INFRA" up
eval "$("$INFRA" env)"
# The compose file's offline checks (tests/Jtai.Strategy.Platform.Tests/ComposeFileTests.cs) run apt's docker-compose.
if ! command -v docker-compose >/dev/null; then
  log "apt-get install docker-compose (for the compose file's checks)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends docker-compose >/dev/null 2>&1 \
    || { apt-get update >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends docker-compose >/dev/null; } \
    || log "warning: docker-compose could not be installed: the compose file's checks will fail"
fi

# The deployment tests render deploy/k8s with `kubectl kustomize` (offline; no cluster): kubectl from apt when missing.
if ! command -v kubectl >/dev/null 2>&1; then
  log "installing kubectl (apt)"
  apt=(env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -q)
  { "${apt[@]}" update && { "${apt[@]}" install -y kubectl || "${apt[@]}" install -y kubernetes-client; }; } >"$ROOT/.local/apt-kubectl.log" 2>&1 ||
    log "warning: kubectl could not be installed (.local/apt-kubectl.log): the deployment tests will say so"
fi

rm -rf "$RESULTS"
mkdir -p "$RESULTS"

args=(test "$solution" -c Release
  --logger trx --logger "console;verbosity=normal"
  --results-directory "$RESULTS")
hang="${JTAI_TEST_HANG_TIMEOUT:-20m}"
if [[ -n "$hang" && "$hang" != 0 ]]; then
  args+=(--blame-hang-timeout "$hang" --blame-hang-dump-type none)
fi
args+=("$@")

log "dotnet ${args[*]}"
dotnet_rc=0
# The console output is also kept, so a non-zero exit with no failed test can be explained below.
DOTNET_LOG="$ROOT/.local/dotnet-test.log"
set +o pipefail
dotnet "${args[@]}" </dev/null 2>&1 | tee "$DOTNET_LOG"
dotnet_rc=${PIPESTATUS[0]}
set -o pipefail

teardown

# --- the failover suite, on its own cluster --------------------------------------------------------
cluster_suite="${JTAI_CLUSTER_SUITE:-1}"
if [[ "$cluster_suite" == 1 ]]; then
  teardown_done=0
  # The cluster takes the single servers' ports: they go first, even when asked to stay.
  [[ "${JTAI_KEEP_INFRA:-0}" == 1 ]] && "$INFRA" down
  # The main suite's settings name the single servers; left set, `env` would pass them through as a real server's.
  # shellcheck disable=SC2046 # one variable name per word
  unset $("$INFRA" env | sed -n 's/^export \([A-Za-z_][A-Za-z_0-9]*\)=.*/\1/p')
  log "the failover suite: scripts/infra.sh up --cluster"
  if "$INFRA" up --cluster; then
    eval "$("$INFRA" env)"
    cluster_args=(test tests/Jtai.Strategy.Cluster.Tests/Jtai.Strategy.Cluster.Tests.csproj -c Release
      --logger trx --logger "console;verbosity=detailed" --results-directory "$RESULTS")
    [[ -n "$hang" && "$hang" != 0 ]] && cluster_args+=(--blame-hang-timeout "$hang" --blame-hang-dump-type none)
    log "JTAI_CLUSTER_SUITE=1 dotnet ${cluster_args[*]}"
    set +o pipefail
    JTAI_CLUSTER_SUITE=1 dotnet "${cluster_args[@]}" </dev/null 2>&1 | tee -a "$DOTNET_LOG"
    cluster_rc=${PIPESTATUS[0]}
    set -o pipefail
    ((cluster_rc == 0)) || dotnet_rc=$cluster_rc
  else
    log "scripts/infra.sh up --cluster failed: the failover suite did not run"
    dotnet_rc=1
  fi
  teardown
else
  log "the failover suite (tests/Jtai.Strategy.Cluster.Tests) left out (JTAI_CLUSTER_SUITE=$cluster_suite)"
fi

# --- summary over every TRX file -----------------------------------------------------------------
# <Counters total="3" executed="2" passed="1" failed="1" error="0" timeout="0" aborted="0" ...
#           notExecuted="0" .../>  (xunit: a skipped test is in total, not in executed)
counter() { # attribute counters-element
  local v
  v="$(sed -n "s/.*[[:space:]]$1=\"\([0-9]*\)\".*/\1/p" <<<"$2")"
  printf '%s' "${v:-0}"
}

passed=0 failed=0 skipped=0 executed=0 files=0
shopt -s nullglob globstar
for trx in "$RESULTS"/**/*.trx; do
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1 || true)"
  if [[ -z "$counters" ]]; then
    log "warning: no <Counters> in $trx"
    continue
  fi
  files=$((files + 1))
  p="$(counter passed "$counters")"
  f=$(($(counter failed "$counters") + $(counter error "$counters") + $(counter timeout "$counters") + $(counter aborted "$counters")))
  e="$(counter executed "$counters")"
  ((e > 0)) || e=$((p + f))
  # xunit's skipped tests are not "executed"; some adapters count them as notExecuted instead.
  s=$(($(counter total "$counters") - e))
  ((s >= 0)) || s=0
  n="$(counter notExecuted "$counters")"
  ((n <= s)) || s=$n
  passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s)) executed=$((executed + e))
  assembly="$(grep -o 'storage="[^"]*"' "$trx" | head -n 1 | sed 's/storage="\(.*\)"/\1/' || true)"
  log "$(basename "${assembly:-$trx}"): $p passed, $f failed, $s skipped"
  # A test host that crashed or was aborted after its last test leaves passing counters but
  # another outcome, with the reason in its RunInfos.
  outcome="$(grep -o '<ResultSummary outcome="[A-Za-z]*"' "$trx" | head -n 1 | sed 's/.*outcome="\(.*\)"/\1/' || true)"
  if [[ -n "$outcome" && "$outcome" != Completed ]]; then
    log "$(basename "$trx"): run outcome $outcome"
    grep -o '<Text>[^<]*</Text>' "$trx" | head -n 20 | sed 's/<[^>]*>//g; s/^/[test]   /' >&2 || true
  fi
done

# Each failed test's name and the first line of its message, kept for .ci/run to print last (CI shows the output's tail).
FAILURES="$ROOT/.local/test-failures.txt"
: >"$FAILURES"
for trx in "$RESULTS"/**/*.trx; do
  awk '/<UnitTestResult / && /outcome="Failed"/ { match($0, /testName="[^"]*"/); name = substr($0, RSTART + 10, RLENGTH - 11); want = 1; next }
       want && /<Message>/ { sub(/.*<Message>/, ""); sub(/<\/Message>.*/, ""); print name " :: " substr($0, 1, 300); want = 0 }
       want && /<\/UnitTestResult>/ { print name; want = 0 }' "$trx" >>"$FAILURES" || true
done

rc=0
if ((dotnet_rc != 0)); then
  log "dotnet test exited with $dotnet_rc"; rc=1
  # Name what made it fail: build errors, aborted or crashed test hosts, failed runs.
  grep -nE ': error |Test Run (Failed|Aborted)|[Aa]borted|crashed|exited with error|Catastrophic|\[FATAL|\[FAIL\]|Cleanup Failure' "$DOTNET_LOG" \
    | grep -v 'Passed ' | tail -n 40 | sed 's/^/[test]   /' >&2 || true
fi
if ((failed > 0)); then log "$failed test(s) failed"; rc=1; fi
if ((executed == 0)); then log "no test executed ($files TRX file(s) in $RESULTS)"; rc=1; fi
log "results: $RESULTS"

summary="$passed passed, $failed failed"
((skipped > 0)) && summary+=", $skipped skipped"
echo "$summary"
exit "$rc"
