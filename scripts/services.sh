#!/usr/bin/env bash
# Start or stop PostgreSQL, Redis and a PostgreSQL read replica on 127.0.0.1 for the tests.
#   scripts/services.sh start     -> starts what is not running, remembers what it started
#   scripts/services.sh replica   -> makes (once) and starts a streaming standby on port 5433
#   scripts/services.sh stop      -> stops only what this script started
set -euo pipefail
cd "$(dirname "$0")/.."
run=$PWD/run
mkdir -p "$run"
PG_VERSION=${PG_VERSION:-15}
REDIS_PORT=${REDIS_PORT:-6379}
# The read replica: a second cluster on this machine, a streaming standby of the first.
REPLICA_PORT=${REPLICA_PORT:-5433}
REPLICA_DATA=/var/lib/postgresql/$PG_VERSION/replica

start_postgres() {
  pg_lsclusters -h | grep -q "^$PG_VERSION *main" || pg_createcluster "$PG_VERSION" main >/dev/null
  if ! pg_lsclusters -h | grep -q "^$PG_VERSION *main.*online"; then
    pg_ctlcluster "$PG_VERSION" main start -- -o "-c listen_addresses=127.0.0.1"
    touch "$run/started-postgres"
  fi
  pg_isready -h 127.0.0.1 -t 30 >/dev/null
  su postgres -c "psql -q -v ON_ERROR_STOP=1" <<'SQL'
DO $$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname='partybuild')
  THEN CREATE ROLE partybuild LOGIN PASSWORD 'partybuild' CREATEDB; END IF; END$$;
SELECT 'CREATE DATABASE partybuild OWNER partybuild'
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname='partybuild')\gexec
SQL
}

start_redis() {
  if ! redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --save "" \
      --appendonly no --pidfile "$run/redis.pid" --logfile "$run/redis.log"
    touch "$run/started-redis"
    for _ in $(seq 50); do redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  fi
}

replica_online() { pg_lsclusters -h | grep -q "^$PG_VERSION *replica.*online"; }

# A streaming standby made with pg_basebackup from the running primary, once; then started.
# A standby left stopped while the primary wrote much (a benchmark dataset) may need WAL the
# primary has since recycled: it never catches up, so it is made again.
start_replica() {
  su postgres -c "psql -q -v ON_ERROR_STOP=1" <<'SQL'
DO $$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname='replicator')
  THEN CREATE ROLE replicator LOGIN REPLICATION PASSWORD 'replicator'; END IF; END$$;
SQL
  pg_lsclusters -h | grep -q "^$PG_VERSION *replica" || make_replica
  run_replica
  if ! replica_streaming; then
    echo "The replica cannot catch up with the primary: making it again." >&2
    pg_ctlcluster "$PG_VERSION" replica stop -m fast || true
    pg_dropcluster "$PG_VERSION" replica
    make_replica
    run_replica
    replica_streaming || { echo "The replica does not stream." >&2; exit 1; }
  fi
}

make_replica() {
  pg_createcluster "$PG_VERSION" replica -p "$REPLICA_PORT" >/dev/null
  rm -rf "$REPLICA_DATA"
  su postgres -c "PGPASSWORD=replicator pg_basebackup -h 127.0.0.1 -p 5432 -U replicator \
    -D $REPLICA_DATA -X stream -R -c fast"
}

run_replica() {
  if ! replica_online; then
    pg_ctlcluster "$PG_VERSION" replica start -- -o "-c listen_addresses=127.0.0.1"
    touch "$run/started-replica"
  fi
  pg_isready -h 127.0.0.1 -p "$REPLICA_PORT" -t 30 >/dev/null
}

# Whether the standby receives the primary's WAL (within 15 s of starting).
replica_streaming() {
  for _ in $(seq 30); do
    status=$(su postgres -c "psql -p $REPLICA_PORT -tAc \
      \"SELECT status FROM pg_stat_wal_receiver\"" 2>/dev/null || true)
    [ "$status" = streaming ] && return 0
    sleep 0.5
  done
  return 1
}

# For the fallback test: take the replica away and bring it back.
stop_replica() { pg_ctlcluster "$PG_VERSION" replica stop -m fast; }
resume_replica() {
  replica_online || pg_ctlcluster "$PG_VERSION" replica start -- -o "-c listen_addresses=127.0.0.1"
  pg_isready -h 127.0.0.1 -p "$REPLICA_PORT" -t 30 >/dev/null
}

stop_all() {
  if [ -f "$run/started-redis" ]; then
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
    rm -f "$run/started-redis"
  fi
  if [ -f "$run/started-replica" ]; then
    pg_ctlcluster "$PG_VERSION" replica stop -m fast || true
    rm -f "$run/started-replica"
  fi
  if [ -f "$run/started-postgres" ]; then
    pg_ctlcluster "$PG_VERSION" main stop -m fast || true
    rm -f "$run/started-postgres"
  fi
}

case "${1:-}" in
  start) start_postgres; start_redis ;;
  replica) start_replica ;;
  replica-stop) stop_replica ;;
  replica-resume) resume_replica ;;
  stop) stop_all ;;
  *) echo "usage: $0 start|replica|replica-stop|replica-resume|stop" >&2; exit 2 ;;
esac
