#!/usr/bin/env bash
# Shared by start.sh and test.sh: installs npm packages when the lockfile changed and builds
# every workspace. Both steps are skipped quickly when nothing changed.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1 NEXT_TELEMETRY_DISABLED=1

lock_hash=$(sha256sum package-lock.json | cut -c1-16)
stamp=node_modules/.ledgerline-installed
if [[ ! -f $stamp || $(cat "$stamp") != "$lock_hash" ]]; then
  echo "[bootstrap] installing npm packages" >&2
  # npm ci trips over this npm's lockfile handling of other platforms' optional binaries; install
  # from the lockfile without rewriting it instead
  npm install --no-audit --no-fund --no-save --loglevel=error >&2
  echo "$lock_hash" >"$stamp"
fi

echo "[bootstrap] building workspaces" >&2
npx turbo run build --output-logs=errors-only >&2
