#!/usr/bin/env bash
# Private PostgreSQL, Redis and (optionally) nginx on one machine, for the scale-out test
# (tests/server/test_scale_out.py) and for trying the production configuration (docs/deploy.md).
# Everything lives in DIR and listens on 127.0.0.1 only; the system's own clusters and
# services are never touched. Started by root, the servers run as the user `postgres`
# (PostgreSQL refuses to run as root). Needs the Debian packages of install-services.sh.
#
#   PG_PORT=.. REDIS_PORT=.. DB_PASSWORD=.. REDIS_PASSWORD=.. [NGINX_CONF=file] \
#     scripts/services.sh start DIR    # database "rasa" owned by role "rasa" (DB_PASSWORD)
#   scripts/services.sh stop DIR
set -euo pipefail
cmd=${1:?usage: services.sh start|stop DIR}
dir=${2:?usage: services.sh start|stop DIR}
bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
if [ "$(id -u)" -eq 0 ]; then
  as_owner() { runuser -u postgres -- "$@"; }
else
  as_owner() { "$@"; }
fi

start() {
  : "${PG_PORT:?}" "${REDIS_PORT:?}" "${DB_PASSWORD:?}" "${REDIS_PASSWORD:?}"
  mkdir -p "$dir"
  [ "$(id -u)" -ne 0 ] || chown postgres: "$dir"
  chmod 700 "$dir"
  cd "$dir"

  # PostgreSQL: its own cluster; the superuser only over the private socket, passwords over TCP
  as_owner "$bindir/initdb" -D "$dir/pg" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
    -E UTF8 --no-locale >"$dir/initdb.log"
  as_owner "$bindir/pg_ctl" -D "$dir/pg" -l "$dir/postgres.log" -w \
    -o "-p $PG_PORT -k $dir -c listen_addresses=127.0.0.1" start >/dev/null
  as_owner "$bindir/psql" -q -h "$dir" -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 \
    -v pw="$DB_PASSWORD" <<'SQL'
CREATE ROLE rasa LOGIN PASSWORD :'pw';
CREATE DATABASE rasa OWNER rasa;
SQL

  # Redis: no persistence (locks only), a password, the config file readable by its owner only
  (umask 077; as_owner tee "$dir/redis.conf" >/dev/null <<CONF
bind 127.0.0.1
port $REDIS_PORT
requirepass $REDIS_PASSWORD
save ""
appendonly no
daemonize yes
dir $dir
pidfile $dir/redis.pid
logfile $dir/redis.log
CONF
  )
  as_owner /usr/bin/redis-server "$dir/redis.conf"
  for _ in $(seq 100); do
    if REDISCLI_AUTH="$REDIS_PASSWORD" redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; then
      break
    fi
    sleep 0.2
  done
  REDISCLI_AUTH="$REDIS_PASSWORD" redis-cli -p "$REDIS_PORT" ping | grep -q PONG

  # nginx (optional): a complete configuration file without `pid` (set here), run from DIR/nginx
  if [ -n "${NGINX_CONF:-}" ]; then
    as_owner mkdir -p "$dir/nginx/tmp"
    as_owner tee "$dir/nginx/nginx.conf" <"$NGINX_CONF" >/dev/null  # read here, written as the owner
    as_owner /usr/sbin/nginx -p "$dir/nginx/" -c "$dir/nginx/nginx.conf" -e "$dir/nginx/error.log" \
      -g "pid $dir/nginx/nginx.pid;"
  fi
  echo "services started in $dir: PostgreSQL :$PG_PORT, Redis :$REDIS_PORT${NGINX_CONF:+, nginx}"
}

stop_pid() {  # stop_pid FILE SIGNAL: signal the process and wait until it has gone
  [ -f "$1" ] || return 0
  local pid
  pid=$(cat "$1")
  kill "-$2" "$pid" 2>/dev/null || return 0
  for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  kill -KILL "$pid" 2>/dev/null || true
}

stop() {
  [ -d "$dir" ] || return 0
  cd "$dir"
  stop_pid "$dir/nginx/nginx.pid" QUIT
  stop_pid "$dir/redis.pid" TERM
  if [ -f "$dir/pg/postmaster.pid" ]; then
    as_owner "$bindir/pg_ctl" -D "$dir/pg" -m fast -w stop >/dev/null || true
  fi
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: services.sh start|stop DIR" >&2; exit 2 ;;
esac
