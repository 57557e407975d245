#!/usr/bin/env bash
# `npm start`: installs what is missing, starts the local Kafka, FerretDB and Redis (reusing any
# already running), builds, and runs every service until Ctrl-C; then stops what it started.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# Node.js 24 LTS for everything below (installed from the npm registry when the machine has older)
source scripts/use-node.sh
mkdir -p .run
started=.run/infra-started-by-start.txt

cleanup() {
  echo "[start] stopping infrastructure started by this run" >&2
  bash scripts/infra/down.sh --from "$started" >&2 || true
}
trap cleanup EXIT

bash scripts/bootstrap.sh
eval "$(bash scripts/infra/up.sh "$started")"
export MONGO_URL KAFKA_BROKERS REDIS_URL
# platform.cjs stops the services on SIGINT/SIGTERM; the trap above then stops the servers
trap 'kill -TERM "$platform_pid" 2>/dev/null || true' INT TERM
node scripts/platform.cjs &
platform_pid=$!
wait "$platform_pid" || wait "$platform_pid" || true
