#!/usr/bin/env bash
# Run every test of the project. Exit non-zero on any failure, and when no test ran at all.
set -uo pipefail
cd "$(dirname "$0")/.."
# a whole run starts training at once (scripts/train.sh: only when the model's inputs changed), so that lint,
# collection and the tests that need no model run meanwhile; the tests that need it wait for it (one lock)
if [ "$#" -eq 0 ]; then
  mkdir -p .rasa
  setsid scripts/train.sh >.rasa/train-background.out 2>&1 &
  training=$!
  trap 'kill -- -"$training" 2>/dev/null || true' EXIT
fi
# lint and format first (ruff, configured in pyproject.toml): seconds, and a failure says where
.venv/bin/ruff check . || exit 1
.venv/bin/ruff format --check . || { echo "test: run '.venv/bin/ruff format .' to format" >&2; exit 1; }
.venv/bin/python -m pytest --durations=15 "$@"  # the slowest tests, printed: the 20-minute budget
rc=$?
if [ "$rc" -eq 5 ]; then
  echo "test: pytest collected no tests" >&2
  exit 1
fi
exit "$rc"
