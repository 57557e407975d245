#!/usr/bin/env bash
# Prints one line per server: name, address, state, and who started it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

for name in "${ALL_SERVERS[@]}"; do
  addr=127.0.0.1:$(port_of "$name")
  if pid=$(own_pid "$name"); then
    owner="pid $pid, started by these scripts"
  else
    owner="not started by these scripts"
  fi
  if is_ready "$name"; then
    state=ready
  elif port_open "$(port_of "$name")"; then
    state="port open, not answering"
  elif [[ $owner == pid* ]]; then
    state=starting
  else
    state=stopped
    owner=""
  fi
  printf '%-6s %-16s %s%s\n' "$name" "$addr" "$state" "${owner:+ ($owner)}"
done
echo "cache: $INFRA_DIR"
