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
MODEL=${MODEL:-$(scripts/train.sh)}
export MODEL
exec .venv/bin/python -m harness.supervise cluster
