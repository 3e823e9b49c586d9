#!/usr/bin/env bash
# Start the action server and the Rasa server (REST + socket.io) and stop both on Ctrl-C.
#   scripts/run.sh         serve on http://localhost:${RASA_PORT:-5005}
#   scripts/run.sh shell   chat in the terminal instead
set -euo pipefail
cd "$(dirname "$0")/.."
export TF_CPP_MIN_LOG_LEVEL=3 SQLALCHEMY_SILENCE_UBER_WARNING=1 RASA_TELEMETRY_ENABLED=false
RASA_PORT=${RASA_PORT:-5005}
ACTIONS_PORT=${ACTIONS_PORT:-5055}
CORS=${CORS_ORIGINS:-http://localhost:$RASA_PORT}
pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -INT "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "stopped."
}
trap stop INT TERM EXIT

.venv/bin/rasa run actions --port "$ACTIONS_PORT" --actions actions &
pids+=($!)

if [ "${1:-}" = "shell" ]; then
  .venv/bin/rasa shell --model models/nato-factcheck.tar.gz --endpoints endpoints.yml
  exit 0
fi

echo "Starting the bot on http://localhost:$RASA_PORT/ (REST: POST /webhooks/rest/webhook). Ctrl-C stops it."
.venv/bin/rasa run --model models/nato-factcheck.tar.gz --endpoints endpoints.yml \
  --credentials credentials.yml --port "$RASA_PORT" --cors "$CORS" &
pids+=($!)
wait -n "${pids[@]}"
