#!/usr/bin/env bash
# Run every test of the project. Exit non-zero on any failure, and when no test ran at all.
set -uo pipefail
cd "$(dirname "$0")/.."
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
