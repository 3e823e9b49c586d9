#!/usr/bin/env bash
# Start the Rasa server (REST + socket.io; custom actions run inside it) and stop it on Ctrl-C.
#   scripts/run.sh         serve on http://localhost:${RASA_PORT:-5005} (chat page at /)
#   scripts/run.sh shell   chat in the terminal instead
# ACTIONS_PORT: if set, custom actions run in a separate action server on that port instead.
# TRACKER_DB: the SQLite file for conversations (default rasa.db).
# CORS_ORIGINS: the other sites (origins, space- or comma-separated) allowed to embed the
# chat widget; the chat page's own origin is always allowed. docs/widget.md
# RASA_API_TOKEN: if set, Rasa's HTTP API (conversations, model) is enabled and requires
# this token; if unset, the API stays off. Keep it in the environment, never in the repo.
# DESK_TOKEN: if set, the editor's desk is served at /desk/ and requires this token
# (docs/desk.md); DESK_SECRET keys its pseudonyms. If unset, there is no /desk/.
# Chat platforms (Telegram, Slack, Messenger, SMS, WhatsApp, Teams) are on when their
# environment variables are set (docs/channels.md); their secrets go to build/credentials.yml.
set -euo pipefail
cd "$(dirname "$0")/.."
export TF_CPP_MIN_LOG_LEVEL=3 SQLALCHEMY_SILENCE_UBER_WARNING=1 RASA_TELEMETRY_ENABLED=false
RASA_PORT=${RASA_PORT:-5005}
ACTIONS_PORT=${ACTIONS_PORT:-}
CORS_ORIGINS=${CORS_ORIGINS:-http://localhost:$RASA_PORT}
export CORS_ORIGINS  # read by the widget's channel (bot/channels/web.py) for socket.io
read -ra cors <<< "${CORS_ORIGINS//,/ }"
# endpoints.yml has the defaults (actions in-process, SQLite rasa.db); other values get a copy
ENDPOINTS=endpoints.yml
if [ -n "$ACTIONS_PORT" ] || [ -n "${TRACKER_DB:-}" ]; then
  ENDPOINTS=build/endpoints.local.yml
  mkdir -p build
  actions="s#^  actions_module: actions#  url: \"http://localhost:$ACTIONS_PORT/webhook\"#"
  [ -n "$ACTIONS_PORT" ] || actions="s#^\$##"
  sed -e "$actions" -e "s#\"rasa.db\"#\"${TRACKER_DB:-rasa.db}\"#" endpoints.yml > "$ENDPOINTS"
fi
# credentials.yml (REST, widget) plus the platforms switched on in the environment
.venv/bin/python -m bot.channels.config --base credentials.yml --out build/credentials.yml
api=()
if [ -n "${RASA_API_TOKEN:-}" ]; then
  api=(--enable-api --auth-token "$RASA_API_TOKEN")
fi
pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -INT "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "stopped."
}
trap stop INT TERM EXIT

if [ -n "$ACTIONS_PORT" ]; then
  .venv/bin/python -m bot.server run actions --port "$ACTIONS_PORT" --actions actions &
  pids+=($!)
fi

if [ "${1:-}" = "shell" ]; then
  .venv/bin/python -m bot.server shell --model models/nato-factcheck.tar.gz --endpoints "$ENDPOINTS"
  exit 0
fi

echo "Starting the bot (ready in about 10 seconds). Ctrl-C stops it."
echo "  chat page:  http://localhost:$RASA_PORT/"
echo "  REST:       POST http://localhost:$RASA_PORT/webhooks/rest/webhook"
echo "  embedding:  docs/widget.md; other sites allowed: ${cors[*]}"
if [ -n "${DESK_TOKEN:-}" ]; then
  echo "  desk:       http://localhost:$RASA_PORT/desk/ (log in with DESK_TOKEN)"
fi
.venv/bin/python -m bot.server run --model models/nato-factcheck.tar.gz --endpoints "$ENDPOINTS" \
  --credentials build/credentials.yml --port "$RASA_PORT" --cors "${cors[@]}" "${api[@]}" &
pids+=($!)
wait -n "${pids[@]}"
