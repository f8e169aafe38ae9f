# Sourced by run.sh and cluster.sh: the servers they start in the background (add each pid to
# "pids") are stopped together on exit or Ctrl-C (status 0). Set NAME for the messages.
pids=()
cleanup() {
  trap - INT TERM EXIT
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "${NAME:-servers}: stopped"
}
trap 'cleanup; exit 0' INT TERM
trap cleanup EXIT
