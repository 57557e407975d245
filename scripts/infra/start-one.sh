#!/usr/bin/env bash
# Starts ONE server (kafka|mongo|redis) with its existing data and waits until it is ready;
# does nothing if it already answers. Tests use it with stop-one.sh to simulate an outage.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $# -eq 1 ]] || die "usage: start-one.sh kafka|mongo|redis"
check_name "$1"
"$INFRA_SCRIPTS/install.sh" "$1"
take_run_lock
begin_start "$1"
wait_ready "$1" "$LAUNCHED"
log "$1: ready on 127.0.0.1:$(port_of "$1")"
