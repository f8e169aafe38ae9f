#!/usr/bin/env bash
# Start the assistant: train when needed, then the action server and the Rasa server (REST and
# socket.io), with conversations in SQLite. Ctrl-C stops both.
#   RASA_PORT (default 5005)   ACTIONS_PORT (default 5055)   TRACKER_DB (default .rasa/tracker.db)
#   AUDIT_DB (default .rasa/audit.db)   AUDIT_SALT (default: a random salt kept beside AUDIT_DB)
#   Slack, the HTTP API and web chat origins: see scripts/serve_rasa.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=3 PYTHONWARNINGS="${PYTHONWARNINGS:-ignore}"
RASA_PORT=${RASA_PORT:-5005}
ACTIONS_PORT=${ACTIONS_PORT:-5055}
mkdir -p .rasa logs
export ACTIONS_URL=${ACTIONS_URL:-http://127.0.0.1:$ACTIONS_PORT/webhook}
export TRACKER_DB=${TRACKER_DB:-$PWD/.rasa/tracker.db}
export AUDIT_DB=${AUDIT_DB:-$PWD/.rasa/audit.db}

model=$(scripts/train.sh)
if [ -n "${SLACK_BOT_TOKEN:-}" ] && [ -n "${SLACK_SIGNING_SECRET:-}" ]; then
  echo "run: Slack channel enabled (events URL: /webhooks/slack/webhook)"
fi

NAME=run
# shellcheck source=scripts/servers.sh
source scripts/servers.sh

.venv/bin/rasa run actions --actions actions --port "$ACTIONS_PORT" >logs/actions.log 2>&1 &
pids+=($!)
MODEL=$model RASA_PORT=$RASA_PORT scripts/serve_rasa.sh >logs/rasa.log 2>&1 &
pids+=($!)

echo "run: starting the action server (port $ACTIONS_PORT) and the Rasa server (port $RASA_PORT)…"
for _ in $(seq 1 240); do
  if curl -fs "http://127.0.0.1:$RASA_PORT/" >/dev/null 2>&1 && \
     curl -fs "http://127.0.0.1:$ACTIONS_PORT/health" >/dev/null 2>&1; then
    cat <<MSG
run: ready.
  REST webhook:  POST http://localhost:$RASA_PORT/webhooks/rest/webhook   {"sender": "me", "message": "hello"}
  web chat:      http://localhost:$RASA_PORT/webhooks/webchat/ui/
  socket.io:     http://localhost:$RASA_PORT/socket.io
  logs:          logs/rasa.log, logs/actions.log
  Ctrl-C stops both servers.
MSG
    rc=0
    wait -n "${pids[@]}" || rc=$?
    case $rc in
      0|130|143) exit 0 ;;  # stopped (Ctrl-C reaches the servers too)
      *) echo "run: a server exited with status $rc; see logs/" >&2; exit 1 ;;
    esac
  fi
  for p in "${pids[@]}"; do
    kill -0 "$p" 2>/dev/null || { echo "run: a server failed to start; see logs/" >&2; tail -20 logs/rasa.log logs/actions.log >&2; exit 1; }
  done
  sleep 1
done
echo "run: servers did not come up in 240 s; see logs/" >&2
exit 1
