#!/usr/bin/env bash
# Several Rasa servers and action servers on one machine, sharing a PostgreSQL tracker store and a
# Redis lock store (for tests and small deployments; put a load balancer in front, see README).
#   TRACKER_DB_URL  (required) e.g. postgresql://rasa:secret@127.0.0.1:5432/rasa
#   REDIS_URL       (required) e.g. redis://127.0.0.1:6379/1
#   RASA_PORTS      Rasa servers, one per port (default "5005 5006")
#   ACTIONS_PORTS   action servers, one per port (default "5055 5056"); Rasa server i uses action
#                   server i mod M (behind a load balancer, set ACTIONS_URL to its address instead)
#   CLUSTER_DIR     logs and pid files (default .rasa/cluster)
#   AUDIT_DB, AUDIT_SALT as for make run (the action servers share the SQLite audit file)
# Ctrl-C stops them all.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${TRACKER_DB_URL:?several instances need a shared tracker store: set TRACKER_DB_URL (PostgreSQL)}"
: "${REDIS_URL:?several instances need a shared lock store: set REDIS_URL}"
export RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=3 PYTHONWARNINGS="${PYTHONWARNINGS:-ignore}"
read -r -a rasa_ports <<< "${RASA_PORTS:-5005 5006}"
read -r -a actions_ports <<< "${ACTIONS_PORTS:-5055 5056}"
dir=${CLUSTER_DIR:-.rasa/cluster}
mkdir -p "$dir"
export TRACKER_DB=${TRACKER_DB:-$PWD/.rasa/tracker.db}  # endpoints.yml names it; TRACKER_DB_URL wins
export AUDIT_DB=${AUDIT_DB:-$PWD/.rasa/audit.db}
model=${MODEL:-$(scripts/train.sh)}

NAME=cluster
# shellcheck source=scripts/servers.sh
source scripts/servers.sh

for port in "${actions_ports[@]}"; do
  .venv/bin/rasa run actions --actions actions --port "$port" >"$dir/actions-$port.log" 2>&1 &
  pids+=($!); echo $! > "$dir/actions-$port.pid"
done
i=0
for port in "${rasa_ports[@]}"; do
  actions=${ACTIONS_URL:-http://127.0.0.1:${actions_ports[$((i % ${#actions_ports[@]}))]}/webhook}
  ACTIONS_URL=$actions MODEL=$model RASA_PORT=$port scripts/serve_rasa.sh >"$dir/rasa-$port.log" 2>&1 &
  pids+=($!); echo $! > "$dir/rasa-$port.pid"; rm -f "$dir/rasa-$port.gone"
  i=$((i + 1))
done

echo "cluster: starting ${#rasa_ports[@]} Rasa server(s) (ports ${rasa_ports[*]}) and ${#actions_ports[@]} action server(s) (ports ${actions_ports[*]})…"
for _ in $(seq 1 300); do
  up=0
  for port in "${rasa_ports[@]}"; do curl -fs "http://127.0.0.1:$port/" >/dev/null 2>&1 && up=$((up + 1)); done
  for port in "${actions_ports[@]}"; do curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && up=$((up + 1)); done
  if [ "$up" -eq $(( ${#rasa_ports[@]} + ${#actions_ports[@]} )) ]; then
    echo "cluster: ready. REST: http://localhost:<port>/webhooks/rest/webhook on ports ${rasa_ports[*]}; logs in $dir/"
    # one server stopping leaves the others serving (the shared stores keep every conversation);
    # the cluster ends when no Rasa server is left, or on Ctrl-C
    while :; do
      wait -n "${pids[@]}" 2>/dev/null || true
      alive=0
      for port in "${rasa_ports[@]}"; do
        if kill -0 "$(cat "$dir/rasa-$port.pid")" 2>/dev/null; then alive=$((alive + 1))
        elif [ ! -e "$dir/rasa-$port.gone" ]; then
          echo "cluster: the Rasa server on port $port stopped; the others go on" >&2; touch "$dir/rasa-$port.gone"
        fi
      done
      [ "$alive" -gt 0 ] || { echo "cluster: no Rasa server left" >&2; exit 1; }
      sleep 1
    done
  fi
  for p in "${pids[@]}"; do
    kill -0 "$p" 2>/dev/null || { echo "cluster: a server failed to start; see $dir/" >&2; exit 1; }
  done
  sleep 1
done
echo "cluster: servers did not come up in 300 s; see $dir/" >&2
exit 1
