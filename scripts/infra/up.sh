#!/usr/bin/env bash
# Installs (cached) and starts Kafka, FerretDB and Redis, reusing any that already answer.
# Usage: up.sh [STARTED_FILE]
#   STARTED_FILE gets the names of the servers THIS call started, one a line, so the caller can
#   later run `down.sh --from STARTED_FILE` and stop only those.
# Prints `export ...` lines with the connection settings on stdout: eval "$(scripts/infra/up.sh)".
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

started_file=${1:-}
if [[ -n $started_file ]]; then
  mkdir -p "$(dirname "$started_file")"
  : >"$started_file"
fi

"$INFRA_SCRIPTS/install.sh"
take_run_lock

# Launch everything first, then wait: Kafka's JVM start is the slow part.
launched=()
for name in "${ALL_SERVERS[@]}"; do
  begin_start "$name"
  launched+=("$LAUNCHED")
  # Recorded before the wait so that a caller can still clean up after a failed start.
  [[ $LAUNCHED == yes && -n $started_file ]] && echo "$name" >>"$started_file"
done
for i in "${!ALL_SERVERS[@]}"; do
  wait_ready "${ALL_SERVERS[$i]}" "${launched[$i]}"
done
log "all servers ready"
exports
