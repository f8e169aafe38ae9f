#!/usr/bin/env bash
# Start the assistant: train when needed, then the action server, the Rasa server (REST, web chat,
# socket.io) and the CDS Hooks service (cds/), with conversations in SQLite, supervised: a server that
# exits is started again (harness/supervise.py). Ctrl-C stops them all, with status 0.
#   RASA_PORT (default 5005)   ACTIONS_PORT (default 5055)   CDS_PORT (default 5070)
#   Every server listens on 127.0.0.1 (this machine only). RASA_HOST=0.0.0.0 opens the chat (REST, web
#   chat, Slack) to the network: only behind a reverse proxy with TLS and sign-on (README, "Deployment").
#   The action server answers only the Rasa server: ACTIONS_SECRET, or the secret generated on first run
#   in ACTIONS_SECRET_FILE (default .rasa/actions.secret, mode 0600, ignored by git; actions/secret.py)
#   TRACKER_DB (default .rasa/tracker.db)
#   AUDIT_DB (default .rasa/audit.db)   AUDIT_SALT (default: a random salt kept beside AUDIT_DB)
#   LOG_DIR (default logs/): rasa-<port>.log, actions-<port>.log, cds-<port>.log, supervisord-<port>.log
#   CDS Hooks settings (JWT keys, chat URL): see README, "In the EHR"
#   Slack, the HTTP API and web chat origins: see scripts/serve_rasa.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=3 PYTHONWARNINGS="${PYTHONWARNINGS:-ignore}"
export RASA_PORT=${RASA_PORT:-5005} ACTIONS_PORT=${ACTIONS_PORT:-5055}
mkdir -p .rasa
export TRACKER_DB=${TRACKER_DB:-$PWD/.rasa/tracker.db}
export AUDIT_DB=${AUDIT_DB:-$PWD/.rasa/audit.db}
export ACTIONS_SECRET_FILE=${ACTIONS_SECRET_FILE:-$PWD/.rasa/actions.secret}

MODEL=${MODEL:-$(scripts/train.sh)}
export MODEL
if [ -n "${SLACK_BOT_TOKEN:-}" ] && [ -n "${SLACK_SIGNING_SECRET:-}" ]; then
  echo "run: Slack channel enabled (events URL: /webhooks/slack/webhook)"
fi
exec .venv/bin/python -m harness.supervise run
