#!/usr/bin/env bash
# The main job from a fresh machine: install linker, generate a demo world, link it, cluster
# it, group campaigns, attribute them and write every output (embedded store, no server).
# Extra arguments go to `linker demo` (e.g. --accounts 100000).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install -q --disable-pip-version-check -e .
exec python3 -m linker demo "$@"
