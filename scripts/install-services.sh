#!/usr/bin/env bash
# Install Debian's PostgreSQL, Redis and nginx for the scale-out test (tests/server/test_scale_out.py).
# The test starts private instances of them (scripts/services.sh), on their own ports and
# data folders; it never uses or changes the system's own clusters or services.
# Idempotent: does nothing when all three are already installed.
set -euo pipefail
have_postgres() { compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; }
if have_postgres && [ -x /usr/bin/redis-server ] && [ -x /usr/sbin/nginx ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  sudo=sudo
else
  sudo=
fi
echo "==> installing Debian's postgresql, redis-server and nginx (scale-out test)"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends postgresql redis-server nginx >/dev/null
have_postgres && /usr/bin/redis-server --version && /usr/sbin/nginx -v
