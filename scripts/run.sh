#!/usr/bin/env bash
# Start the assistant. Until the Rasa assistant lands this runs the decision module's demo.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python -m knowledge demo
