#!/usr/bin/env bash
# Several Rasa servers and action servers on one machine, sharing a PostgreSQL tracker store and a
# Redis lock store (for tests and small deployments; put a load balancer in front, see README),
# supervised as make run is (harness/supervise.py): a server that exits is started again.
#   TRACKER_DB_URL  (required) e.g. postgresql://rasa:secret@127.0.0.1:5432/rasa
#   REDIS_URL       (required) e.g. redis://127.0.0.1:6379/1
#   RASA_PORTS      Rasa servers, one per port (default "5005 5006")
#   ACTIONS_PORTS   action servers, one per port (default "5055 5056"); Rasa server i uses action
#                   server i mod M (behind a load balancer, set ACTIONS_URL to its address instead)
#   CLUSTER_DIR     logs, supervisord's configuration and log (default .rasa/cluster)
#   AUDIT_DB, AUDIT_SALT as for make run (the action servers share the SQLite audit file)
#   RASA_HOST       as for make run (default 127.0.0.1; the load balancer's address to the servers)
#   ACTIONS_SECRET  the secret every Rasa server sends and every action server checks: the same on every
#                   machine of the deployment. Unset: the file generated on first run (ACTIONS_SECRET_FILE,
#                   default .rasa/actions.secret), which serves the servers of this machine only
#   ACTIONS_HOST    the action servers' address (default 127.0.0.1); 0.0.0.0 only for Rasa servers on other
#                   machines, with ACTIONS_SECRET set and TLS between them (see README)
# Ctrl-C stops them all, with status 0.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${TRACKER_DB_URL:?several instances need a shared tracker store: set TRACKER_DB_URL (PostgreSQL)}"
: "${REDIS_URL:?several instances need a shared lock store: set REDIS_URL}"
export RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=3 PYTHONWARNINGS="${PYTHONWARNINGS:-ignore}"
export CLUSTER_DIR=${CLUSTER_DIR:-.rasa/cluster}
mkdir -p "$CLUSTER_DIR"
export TRACKER_DB=${TRACKER_DB:-$PWD/.rasa/tracker.db}  # endpoints.yml names it; TRACKER_DB_URL wins
export AUDIT_DB=${AUDIT_DB:-$PWD/.rasa/audit.db}
export ACTIONS_SECRET_FILE=${ACTIONS_SECRET_FILE:-$PWD/.rasa/actions.secret}
if [ -z "${ACTIONS_SECRET:-}" ] && [ -n "${ACTIONS_HOST:-}" ]; then
  case "$ACTIONS_HOST" in
    127.*|localhost|::1) ;;
    *) echo "cluster: ACTIONS_HOST=$ACTIONS_HOST without ACTIONS_SECRET: the Rasa servers of other machines" \
            "do not have this machine's generated secret; set the same ACTIONS_SECRET everywhere" >&2
       exit 2 ;;
  esac
fi
MODEL=${MODEL:-$(scripts/train.sh)}
export MODEL
exec .venv/bin/python -m harness.supervise cluster
