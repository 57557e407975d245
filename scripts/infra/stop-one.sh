#!/usr/bin/env bash
# Stops ONE server (kafka|mongo|redis) started by these scripts, keeping its data.
set -euo pipefail
[[ $# -eq 1 ]] || { echo "usage: stop-one.sh kafka|mongo|redis" >&2; exit 1; }
exec "$(dirname "${BASH_SOURCE[0]}")/down.sh" "$1"
