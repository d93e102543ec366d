#!/usr/bin/env bash
# The main job from a fresh machine: install linker, generate a demo world, link it, cluster
# it, group campaigns, attribute them and write every output (embedded store, no server).
# Extra arguments go to `linker demo` (e.g. --accounts 100000).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
echo "installing linker and its dependencies (pip install -e .; about a minute the first time) ..." >&2
if [ -t 2 ]; then
  # on a terminal: pip's own progress (one line per package, download bars)
  python3 -m pip install --disable-pip-version-check --progress-bar on -e . \
    | grep --line-buffered -E '^(Collecting|Downloading|Installing|Successfully)' >&2 || true
  python3 -c 'import linker' 2>/dev/null || { echo "error: pip install -e . failed" >&2; exit 1; }
else
  python3 -m pip install -q --disable-pip-version-check -e .
fi
echo "installed in $((SECONDS - start)) s" >&2
exec python3 -m linker demo "$@"
