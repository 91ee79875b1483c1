#!/usr/bin/env bash
# jtai-health [PATH [PORT]] - the image's health probe: exits 0 when http://127.0.0.1:PORT/PATH (default health/ready
# on 8080) answers 200. bash's /dev/tcp, so the image needs neither curl nor wget.
set -euo pipefail
path="${1:-health/ready}"
port="${2:-8080}"
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'GET /%s HTTP/1.0\r\nHost: localhost\r\n\r\n' "$path" >&3
IFS= read -r status <&3
[[ "$status" == "HTTP/1.1 200"* || "$status" == "HTTP/1.0 200"* ]]
