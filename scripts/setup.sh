#!/usr/bin/env bash
# Create .venv with a suitable Python and install the pinned requirements, once.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=.venv/.requirements-installed
if [ -f "$stamp" ] && [ "$stamp" -nt requirements.txt ] && .venv/bin/python -c 'import django' 2>/dev/null; then
  exit 0
fi
if [ ! -x .venv/bin/python ]; then
  python=$(scripts/find-python.sh)
  echo "Creating .venv with $python ($("$python" --version))"
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -r requirements.txt
touch "$stamp"
