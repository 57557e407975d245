#!/usr/bin/env bash
# Installs schemathesis (PyPI, pinned in requirements.txt) into a virtualenv under .infra/, once;
# prints the path of its `st` executable. Reinstalls only when requirements.txt changes.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
venv="$ROOT/.infra/fuzz-venv"
req="$ROOT/scripts/fuzz/requirements.txt"
stamp="$venv/.requirements-hash"
hash=$(sha256sum "$req" | cut -c1-16)
if [[ ! -x $venv/bin/st || ! -f $stamp || $(cat "$stamp") != "$hash" ]]; then
  echo "[fuzz] installing schemathesis into $venv" >&2
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req" >&2
  echo "$hash" >"$stamp"
fi
echo "$venv/bin/st"
