#!/usr/bin/env bash
# The production smoke test (make test runs it): the deploy/ configuration for real —
# gunicorn with DEBUG off and HTTPS on behind a proxy, a Celery worker and beat, collected
# static files — on a fresh PostgreSQL database and Redis (scripts/services.sh start first).
# tests/smoke/ then logs in, loads the dashboard, exports through a job and checks the
# headers; everything started here is stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${SMOKE_PORT:-8765}
work=$(mktemp -d)
pids=()
stop() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  su postgres -c "psql -q -c 'DROP DATABASE IF EXISTS partybuild_smoke WITH (FORCE)'" || true
  rm -rf "$work"
}
trap stop EXIT

su postgres -c "psql -q -v ON_ERROR_STOP=1" <<'SQL'
DROP DATABASE IF EXISTS partybuild_smoke WITH (FORCE);
CREATE DATABASE partybuild_smoke OWNER partybuild;
SQL

# Production settings: only what the README's production section sets, and a small demo.
unset DJANGO_SETTINGS_MODULE DEBUG
export SECRET_KEY=smoke-test-key-$RANDOM$RANDOM$RANDOM ALLOWED_HOSTS=127.0.0.1 HTTPS=1
export DATABASE_URL=postgres://partybuild:partybuild@127.0.0.1:5432/partybuild_smoke
export REDIS_URL=redis://127.0.0.1:6379/2 MEDIA_ROOT=$work/media STATIC_ROOT=$work/static
# Every export becomes a job, to be taken by the worker.
export ROSTER_EXPORT_INLINE_LIMIT=1 GUNICORN_BIND=127.0.0.1:$PORT GUNICORN_WORKERS=2
export GUNICORN_ACCESS_LOG=$work/access.log
redis-cli -n 2 flushdb >/dev/null

PY=.venv/bin/python
$PY manage.py migrate --noinput -v0
$PY manage.py collectstatic --noinput -v0
$PY manage.py seed_demo --members 300 --branches 20 >/dev/null

.venv/bin/gunicorn -c deploy/gunicorn.conf.py 2>"$work/gunicorn.log" & pids+=($!)
.venv/bin/celery -A partybuild worker --loglevel=warning -n smoke@%h >"$work/worker.log" 2>&1 & pids+=($!)
.venv/bin/celery -A partybuild beat --loglevel=warning -s "$work/beat-schedule" \
  --pidfile "$work/beat.pid" >"$work/beat.log" 2>&1 & pids+=($!)

for _ in $(seq 100); do
  curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" && break
  sleep 0.3
done
if ! SMOKE_URL=http://127.0.0.1:$PORT SMOKE_BEAT_PID="$work/beat.pid" \
    DJANGO_SETTINGS_MODULE=partybuild.test_settings \
    .venv/bin/pytest -m smoke -q -p no:logging tests/smoke; then
  tail -n 30 "$work"/gunicorn.log "$work"/worker.log "$work"/beat.log >&2
  exit 1
fi
