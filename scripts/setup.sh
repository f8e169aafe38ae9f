#!/usr/bin/env bash
# Create .venv with Python 3.10 and install the project with the exact versions of requirements.lock.
# Idempotent: when pyproject.toml and requirements.lock are unchanged since the last install it
# returns in well under a second.
set -euo pipefail
cd "$(dirname "$0")/.."

stamp=.venv/.setup-stamp
want=$(cat pyproject.toml requirements.lock web/package.json web/package-lock.json | sha256sum | cut -d' ' -f1)
if [ -x .venv/bin/python ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi

find_python() {
  for c in "${PYTHON310:-}" "$(command -v pyenv >/dev/null 2>&1 && pyenv root 2>/dev/null)/versions/$(cat .python-version 2>/dev/null)/bin/python" \
           "$(command -v python3.10 2>/dev/null || true)" "$HOME"/.pyenv/versions/3.10*/bin/python; do
    if [ -n "$c" ] && [ -x "$c" ] && "$c" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then
      echo "$c"; return 0
    fi
  done
  return 1
}

if [ ! -x .venv/bin/python ]; then
  py=$(find_python) || { echo "setup: Python 3.10 not found (Rasa 3.6 needs it). Install it with pyenv ('pyenv install 3.10') or set PYTHON310=/path/to/python3.10." >&2; exit 1; }
  echo "setup: creating .venv with $("$py" --version)"
  "$py" -m venv .venv
fi
echo "setup: installing the project into .venv (first run takes a few minutes)"
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -c requirements.lock -e ".[dev]"
echo "setup: installing the web widget's socket.io client (npm ci in web/)"
npm ci --prefix web --no-audit --no-fund --silent
echo "$want" > "$stamp"
echo "setup: done"
