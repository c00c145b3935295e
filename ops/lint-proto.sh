#!/usr/bin/env bash
# Lints the gRPC contract (ledger-grpc-api/src/main/proto) with `buf lint`, using the rules in
# ledger-grpc-api/buf.yaml. Fails on any finding.
#
#   ops/lint-proto.sh
#
# Uses buf 1.75.0 from the npm registry (@bufbuild/buf ships the binary). A buf of that exact
# version on PATH, or one named by $BUF, is used as is; otherwise it is installed into a throwaway
# npm prefix that is removed on exit (nothing is written into the work tree).
set -euo pipefail

BUF_VERSION=1.75.0
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

buf_version_of() { "$1" --version 2>/dev/null | tr -d '[:space:]v' || true; }

buf="${BUF:-}"
if [ -z "$buf" ] && command -v buf >/dev/null 2>&1 && [ "$(buf_version_of buf)" = "$BUF_VERSION" ]; then
  buf=buf
fi

if [ -z "$buf" ]; then
  command -v npm >/dev/null 2>&1 || { echo "lint-proto: npm is required to install buf" >&2; exit 1; }
  prefix=$(mktemp -d "${TMPDIR:-/tmp}/buf.XXXXXX")
  trap 'rm -rf "$prefix"' EXIT
  echo "lint-proto: installing @bufbuild/buf@${BUF_VERSION} into a temporary prefix"
  # As in validate-compose.sh: trust the system CA bundle too, bounded retries, an overall time-out.
  if [ -z "${NODE_EXTRA_CA_CERTS:-}" ] && [ -r /etc/ssl/certs/ca-certificates.crt ]; then
    export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
  fi
  timeout 300 npm install --prefix "$prefix" --no-save --no-package-lock --no-audit --no-fund \
    --loglevel=error --fetch-retries=2 --fetch-timeout=60000 --fetch-retry-maxtimeout=20000 \
    "@bufbuild/buf@${BUF_VERSION}" </dev/null \
    || { echo "lint-proto: could not install @bufbuild/buf@${BUF_VERSION} from npm" >&2; exit 1; }
  buf="$prefix/node_modules/.bin/buf"
fi

echo "lint-proto: buf $(buf_version_of "$buf") lint ledger-grpc-api"
cd "$root"
"$buf" lint ledger-grpc-api </dev/null
echo "lint-proto: OK"
