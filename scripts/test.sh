#!/usr/bin/env bash
# The README's test command: installs dependencies, starts the real services (Elasticsearch and an
# S3 API server on 127.0.0.1) unless they already run, runs `npm test`, and stops what it started.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund

started=no
if ! bash scripts/services.sh status 2>&1 | grep -q 'Elasticsearch: up' || ! bash scripts/services.sh status 2>&1 | grep -q 'S3 (moto): up'; then
  started=yes
fi
bash scripts/services.sh start
[ "$started" = yes ] && trap 'bash scripts/services.sh stop' EXIT

npm test
