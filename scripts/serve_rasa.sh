#!/usr/bin/env bash
# Start one Rasa server in the foreground (run.sh and the tests start it through this script).
#   MODEL (required)  RASA_PORT (default 5005)  ENDPOINTS (default endpoints.yml)
#   RASA_HOST (default 127.0.0.1: this machine only): the address to listen on. 0.0.0.0 opens the chat to
#   the network; serve it that way only behind a reverse proxy with TLS and sign-on (README, "Deployment").
#   ACTIONS_SECRET: sent with every action call (endpoints.yml); when unset, the secret file that the
#   action server reads too (actions/secret.py, ACTIONS_SECRET_FILE, default .rasa/actions.secret).
#   Slack: enabled only when SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are set (never in the repo).
#   HTTP API (conversations, model, …): off unless RASA_ENABLE_API=true, and then only with
#   RASA_API_TOKEN (clients send ?token=…) or RASA_JWT_SECRET (clients send a Bearer JWT;
#   RASA_JWT_METHOD, default HS256). Without either, the server refuses to start.
#   WEBCHAT_ORIGINS: origins allowed to open the web chat socket besides the widget's own.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${MODEL:?MODEL must name a trained model}"
export RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=3 PYTHONWARNINGS="${PYTHONWARNINGS:-ignore}"

host=${RASA_HOST:-127.0.0.1}
credentials=credentials.yml
if [ -n "${SLACK_BOT_TOKEN:-}" ] && [ -n "${SLACK_SIGNING_SECRET:-}" ]; then
  mkdir -p .build
  credentials=.build/credentials-${RASA_PORT:-5005}.yml  # one per port: several servers may run
  { cat credentials.yml; printf '\nbot.custom.channels.Slack:\n'; } > "$credentials"
  echo "serve: Slack channel enabled (events URL: /webhooks/slack/webhook)" >&2
fi

args=(run --model "$MODEL" --interface "$host" --port "${RASA_PORT:-5005}" --credentials "$credentials"
      --endpoints "${ENDPOINTS:-endpoints.yml}")
case "${RASA_ENABLE_API:-false}" in
  true)
    if [ -n "${RASA_API_TOKEN:-}" ]; then
      args+=(--enable-api --auth-token "$RASA_API_TOKEN")
    elif [ -n "${RASA_JWT_SECRET:-}" ]; then
      args+=(--enable-api --jwt-secret "$RASA_JWT_SECRET" --jwt-method "${RASA_JWT_METHOD:-HS256}")
    else
      echo "serve: RASA_ENABLE_API=true needs RASA_API_TOKEN or RASA_JWT_SECRET; refusing to start an open API" >&2
      exit 2
    fi
    echo "serve: HTTP API enabled (authenticated)" >&2 ;;
  false) ;;
  *) echo "serve: RASA_ENABLE_API must be true or false" >&2; exit 2 ;;
esac
ACTIONS_SECRET=$(.venv/bin/python -m actions.secret) || exit 2  # its message says why
export ACTIONS_SECRET
case "$host" in
  127.*|localhost|::1) echo "serve: Rasa server listening on $host:${RASA_PORT:-5005} (this machine only; RASA_HOST opens it)" >&2 ;;
  *) echo "serve: Rasa server listening on $host:${RASA_PORT:-5005} (RASA_HOST: reachable from the network; serve it behind a reverse proxy with TLS)" >&2 ;;
esac
exec .venv/bin/python -m bot.custom "${args[@]}"  # checks the Rasa version, applies bot/custom fixes
