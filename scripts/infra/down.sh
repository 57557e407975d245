#!/usr/bin/env bash
# Stops servers that these scripts started (by pid file), keeping their data.
# Usage: down.sh [kafka|mongo|redis ...]   (default: all three)
#        down.sh --from STARTED_FILE        (the names up.sh recorded)
# A server that answers on its port but was not started by these scripts is left alone.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

names=()
if [[ ${1:-} == --from ]]; then
  [[ -n ${2:-} ]] || die "usage: down.sh --from FILE"
  if [[ -f $2 ]]; then
    while read -r n; do [[ -n $n ]] && names+=("$n"); done <"$2"
  fi
  ((${#names[@]})) || { log "nothing listed in $2, nothing to stop"; exit 0; }
else
  names=("$@")
  ((${#names[@]})) || names=("${ALL_SERVERS[@]}")
fi
for n in "${names[@]}"; do check_name "$n"; done

take_run_lock
for n in "${names[@]}"; do stop_server "$n"; done
