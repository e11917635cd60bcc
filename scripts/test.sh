#!/usr/bin/env bash
# The whole truth: install what is missing, lint, run the suite on SQLite, then on PostgreSQL
# with a real Redis broker and Celery worker, and the browser tests; stop what was started.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)

scripts/system-packages.sh
scripts/setup.sh
PY=.venv/bin/python
# Management commands here run on the test settings (DEBUG off, a test key), as the suite does.
export DJANGO_SETTINGS_MODULE=partybuild.test_settings

echo "== lint"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
$PY manage.py compilemessages -l zh_Hans --ignore=.venv >/dev/null
$PY manage.py makemigrations --check --dry-run >/dev/null || {
  echo "Model changes without migrations: run manage.py makemigrations." >&2; exit 1; }

echo "== SQLite (tasks in-process)"
env -u DATABASE_URL -u REDIS_URL .venv/bin/pytest -m "not worker and not browser" -q -p no:logging

trap 'scripts/services.sh stop' EXIT
scripts/services.sh start
export DATABASE_URL=postgres://partybuild:partybuild@127.0.0.1:5432/partybuild
export REDIS_URL=redis://127.0.0.1:6379/1

echo "== PostgreSQL + Redis + Celery worker"
.venv/bin/pytest -m "not browser" -q -p no:logging

echo "== browser (Chromium)"
.venv/bin/pytest -m browser -q -p no:logging --screenshot only-on-failure --output test-results

echo "== all passed in $(( $(date +%s) - started )) s"
