#!/usr/bin/env bash
# The production smoke test (make test runs it): the deploy/ configuration for real —
# nginx (deploy/nginx, TLS with a throwaway certificate, X-Accel-Redirect), gunicorn
# (deploy/gunicorn.conf.py) with DEBUG off, a Celery worker and beat, collected static
# files — on a fresh PostgreSQL database and Redis (scripts/services.sh start first).
# tests/smoke/ then logs in, loads the dashboard, exports through a job, downloads it through
# nginx and checks the headers; everything started here is stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${SMOKE_PORT:-8765} HTTP_PORT=${SMOKE_HTTP_PORT:-8780} HTTPS_PORT=${SMOKE_HTTPS_PORT:-8743}
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
export GUNICORN_ACCESS_LOG=$work/access.log FILE_ACCEL_PREFIX=/protected-media/
redis-cli -n 2 flushdb >/dev/null

PY=.venv/bin/python
$PY manage.py migrate --noinput -v0
$PY manage.py collectstatic --noinput -v0
$PY manage.py seed_demo --members 300 --branches 20 >/dev/null

.venv/bin/gunicorn -c deploy/gunicorn.conf.py 2>"$work/gunicorn.log" & pids+=($!)
.venv/bin/celery -A partybuild worker --loglevel=warning -n smoke@%h >"$work/worker.log" 2>&1 & pids+=($!)
.venv/bin/celery -A partybuild beat --loglevel=warning -s "$work/beat-schedule" \
  --pidfile "$work/beat.pid" >"$work/beat.log" 2>&1 & pids+=($!)

# nginx with the deploy site, its addresses, paths and certificate those of this run. The
# proxy passes the Host with its port ($http_host): the site's $host drops a non-default one.
mkdir -p "$work/tls" "$work/media"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 \
  -keyout "$work/tls/privkey.pem" -out "$work/tls/fullchain.pem" 2>/dev/null
sed -e "s|server 127.0.0.1:8000;|server 127.0.0.1:$PORT;|" \
    -e "s|listen 80;|listen 127.0.0.1:$HTTP_PORT;|" \
    -e "s|listen 443 ssl http2;|listen 127.0.0.1:$HTTPS_PORT ssl http2;|" \
    -e "s|server_name party.example.gov.cn;|server_name 127.0.0.1;|" \
    -e "s|/etc/partybuild/tls/|$work/tls/|; s|/srv/partybuild/|$work/|" \
    -e "s|proxy_set_header Host \$host;|proxy_set_header Host \$http_host;|" \
    deploy/nginx/partybuild.conf >"$work/site.conf"
cat >"$work/nginx.conf" <<NGINX
user root;
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 64; }
http {
    include /etc/nginx/mime.types;
    access_log $work/nginx-access.log;
    client_body_temp_path $work/nginx-body;
    proxy_temp_path $work/nginx-proxy;
    fastcgi_temp_path $work/nginx-fastcgi;
    uwsgi_temp_path $work/nginx-uwsgi;
    scgi_temp_path $work/nginx-scgi;
    include $work/site.conf;
}
NGINX
nginx -t -q -c "$work/nginx.conf"
nginx -c "$work/nginx.conf" -g "daemon off;" & pids+=($!)

for _ in $(seq 100); do
  curl -sf -o /dev/null "http://127.0.0.1:$HTTP_PORT/healthz" && break
  sleep 0.3
done
if ! SMOKE_URL=https://127.0.0.1:$HTTPS_PORT SMOKE_PLAIN_URL=http://127.0.0.1:$HTTP_PORT \
    SMOKE_BEAT_PID="$work/beat.pid" \
    DJANGO_SETTINGS_MODULE=partybuild.test_settings \
    .venv/bin/pytest -m smoke -q -p no:logging tests/smoke; then
  tail -n 30 "$work"/gunicorn.log "$work"/worker.log "$work"/beat.log "$work"/nginx-error.log >&2
  exit 1
fi
