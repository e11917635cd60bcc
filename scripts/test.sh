#!/usr/bin/env bash
# The whole truth: install what is missing, lint, run the suite on SQLite and, side by side,
# on PostgreSQL with a real Redis broker, Celery workers and a streaming read replica; then
# the production smoke test and the browser tests; stop what was started.
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

trap 'scripts/services.sh stop' EXIT
scripts/services.sh start
scripts/services.sh replica
mkdir -p run
PG=postgres://partybuild:partybuild@127.0.0.1

# The two suites use a core each: SQLite in memory (then the production smoke test, which
# starts gunicorn, a worker and beat on a database of its own), and PostgreSQL.
echo "== SQLite (tasks in-process), then the production smoke test; PostgreSQL + Redis +"
echo "   Celery workers + read replica, at the same time"
(
  env -u DATABASE_URL -u REDIS_URL .venv/bin/pytest -m "not worker and not browser" -q \
    -p no:logging --basetemp=run/tmp-sqlite && scripts/smoke.sh
) >run/test-sqlite.log 2>&1 &
sqlite_and_smoke=$!
DATABASE_URL=$PG:5432/partybuild REDIS_URL=redis://127.0.0.1:6379/1 \
  DATABASE_REPLICA_URL=$PG:5433/partybuild \
  .venv/bin/pytest -m "not browser" -q -p no:logging --basetemp=run/tmp-postgres >run/test-postgres.log 2>&1 &
postgres=$!
failed=0
wait $sqlite_and_smoke || failed=1
echo "-- SQLite and smoke"; cat run/test-sqlite.log
wait $postgres || failed=1
echo "-- PostgreSQL"; cat run/test-postgres.log
[ $failed = 0 ] || { echo "FAILED" >&2; exit 1; }

echo "== browser (Chromium)"
DATABASE_URL=$PG:5432/partybuild REDIS_URL=redis://127.0.0.1:6379/1 \
  .venv/bin/pytest -m browser -q -p no:logging --screenshot only-on-failure --output test-results

echo "== all passed in $(( $(date +%s) - started )) s"
