#!/usr/bin/env bash
# Mints a development JWT (signed with the development key; accepted only outside Production).
# Example: TOKEN=$(scripts/dev-token.sh --role Administrator)
set -euo pipefail
cd "$(dirname "$0")/.."
exec dotnet run --project scripts/DevTokens/Jtai.Strategy.DevTokens.csproj -v quiet -- "$@"
