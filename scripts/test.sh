#!/usr/bin/env bash
# The whole test suite from a fresh machine: installs the package and its test tools,
# Chromium for browser tests, fetches Neo4j (Maven) on first use, then runs pytest
# (unit + integration + browser). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install -q --disable-pip-version-check -e ".[dev]"
if ! command -v chromium >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || echo "warning: chromium not installed" >&2
fi
python3 -m ruff check linker tests bench
python3 -m pytest "$@"
