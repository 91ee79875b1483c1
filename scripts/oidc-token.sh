#!/usr/bin/env bash
# Prints an access token of one of the development OIDC provider's example users (deploy/DevIdentity), for curl
# against the services that scripts/run.sh starts (they accept the provider's tokens through Auth:Authority).
# Example: TOKEN=$(scripts/oidc-token.sh manager.easington)
# Users: admin, manager.easington, manager.derwentside, spoc.police, spoc.health, spoc.csc, masdg (password dev-password).
# JTAI_OIDC_AUTHORITY and JTAI_OIDC_CLIENT_SECRET point it at another provider of the same kind (docker-compose.yml's:
# scripts/compose-check.sh gives its published address and the web client's secret from deploy/secrets/).
set -euo pipefail
user="${1:?usage: scripts/oidc-token.sh USER [PASSWORD]}"
password="${2:-dev-password}"
authority="${JTAI_OIDC_AUTHORITY:-http://127.0.0.1:${JTAI_OIDC_PORT:-27443}/}"
response="$(curl -sS --fail-with-body -X POST "${authority%/}/connect/token" \
  -d grant_type=password -d client_id=jtai-web --data-urlencode "client_secret=${JTAI_OIDC_CLIENT_SECRET:-DEVELOPMENT-ONLY-jtai-web-client-secret}" \
  --data-urlencode "username=$user" --data-urlencode "password=$password" \
  --data-urlencode "scope=openid profile email roles jtai-api")" || { printf '%s\n' "$response" >&2; exit 1; }
python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])' <<<"$response"
