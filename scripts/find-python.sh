#!/usr/bin/env bash
# Print the path of a Python >= 3.12 (Django 6 needs it), or explain and fail.
set -euo pipefail
candidates=(python3.13 python3.12 python3.14 python3)
for dir in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[2-9]*/bin /usr/local/bin /usr/bin; do
  for name in python3.13 python3.12 python3.14; do
    [ -x "$dir/$name" ] && candidates+=("$dir/$name")
  done
done
for candidate in "${candidates[@]}"; do
  if "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
    command -v "$candidate" 2>/dev/null || echo "$candidate"
    exit 0
  fi
done
echo "partybuild needs Python 3.12 or newer (Django 6). None was found." >&2
echo "Install one, for example: apt-get install python3.12 python3.12-venv, or pyenv install 3.12" >&2
exit 1
