#!/usr/bin/env bash
# Validates docker-compose.yml against the compose-spec schema and dclint's rules, without a
# Docker engine. Fails on any error; prints warnings.
#
#   ops/validate-compose.sh [FILE...]        (default: docker-compose.yml at the repo root)
#
# Uses `dclint` 3.1.0 from the npm registry. A dclint of that exact version on PATH, or one
# named by $DCLINT, is used as is; otherwise it is installed into a throwaway npm prefix
# that is removed on exit (nothing is written into the work tree).
set -euo pipefail

DCLINT_VERSION=3.1.0
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

if [ "$#" -eq 0 ]; then
  set -- "$root/docker-compose.yml"
fi

dclint_version_of() { "$1" --version 2>/dev/null | tr -d '[:space:]v' || true; }

dclint="${DCLINT:-}"
if [ -z "$dclint" ] && command -v dclint >/dev/null 2>&1 \
   && [ "$(dclint_version_of dclint)" = "$DCLINT_VERSION" ]; then
  dclint=dclint
fi

if [ -z "$dclint" ]; then
  command -v npm >/dev/null 2>&1 || { echo "validate-compose: npm is required to install dclint" >&2; exit 1; }
  # dclint 3.1.0 declares node >= 20.19.
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
    || { echo "validate-compose: dclint ${DCLINT_VERSION} needs Node.js >= 20.19, found $(node --version)" >&2; exit 1; }
  prefix=$(mktemp -d "${TMPDIR:-/tmp}/dclint.XXXXXX")
  trap 'rm -rf "$prefix"' EXIT
  echo "validate-compose: installing dclint@${DCLINT_VERSION} into a temporary prefix"
  # Trust the system CA bundle too (Node.js ships its own): where TLS goes through a proxy
  # with a local CA, npm otherwise retries SELF_SIGNED_CERT_IN_CHAIN for minutes.
  if [ -z "${NODE_EXTRA_CA_CERTS:-}" ] && [ -r /etc/ssl/certs/ca-certificates.crt ]; then
    export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
  fi
  # Bounded retries and an overall time-out: a registry that does not answer fails the
  # run instead of hanging it.
  timeout 300 npm install --prefix "$prefix" --no-save --no-package-lock --no-audit --no-fund \
    --loglevel=error --fetch-retries=2 --fetch-timeout=60000 --fetch-retry-maxtimeout=20000 \
    "dclint@${DCLINT_VERSION}" </dev/null \
    || { echo "validate-compose: could not install dclint@${DCLINT_VERSION} from npm" >&2; exit 1; }
  dclint="$prefix/node_modules/.bin/dclint"
fi

echo "validate-compose: dclint $(dclint_version_of "$dclint") on $*"
# --no-color keeps CI logs readable; dclint exits non-zero on any error (schema or rule).
"$dclint" --no-color "$@" </dev/null
echo "validate-compose: OK"
