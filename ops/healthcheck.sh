#!/usr/bin/env bash
# Container health probe for the ledger service: GET /actuator/health on the local port and
# succeed only on HTTP 200 (Spring Boot answers 503 when a component is DOWN).
# Plain bash (/dev/tcp), because the runtime image is not guaranteed to ship curl or wget.
# Used by the Dockerfile's HEALTHCHECK and by docker-compose.yml.
set -euo pipefail

port="${LEDGER_HTTP_PORT:-8080}"
path="${1:-/actuator/health}"

exec 3<>"/dev/tcp/127.0.0.1/${port}"
printf 'GET %s HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$path" >&3
IFS= read -r -t 5 status_line <&3 || status_line=""
exec 3<&-

case "$status_line" in
  "HTTP/1."[01]" 200"*) exit 0 ;;
  *) echo "unhealthy: GET ${path} on port ${port} answered '${status_line%$'\r'}'" >&2; exit 1 ;;
esac
