#!/usr/bin/env bash
# Train the Rasa model only when its inputs changed. The model is named by the hash of everything
# that goes into it, so an unchanged project reuses models/<hash>.tar.gz at once.
set -euo pipefail
cd "$(dirname "$0")/.."
export RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=3 PYTHONWARNINGS="${PYTHONWARNINGS:-ignore}"

# the built domain and form rules (from domain.yml, actions/forms.py, knowledge/faq.py), always current
.venv/bin/python -m bot.build_domain .build >/dev/null
# everything the model is built from (not the actions or channels, which the model does not contain)
inputs="config.yml .build/domain/domain.yml .build/data/forms.yml bot/custom/components.py bot/extraction.py bot/reading.py
        $(find bot/data bot/patterns -type f | sort)"
hash=$( { cat $inputs; grep -E '^(rasa|rasa-sdk|spacy|tensorflow)==' requirements.lock; } | sha256sum | cut -c1-16)
model="models/model-$hash.tar.gz"
if [ -f "$model" ]; then
  echo "train: model up to date ($model)" >&2
else
  echo "train: training $model (data changed or no model yet)" >&2
  start=$(date +%s)
  .venv/bin/python -m bot.custom train --config config.yml --domain .build/domain --data bot/data .build/data \
      --out models --fixed-model-name "model-$hash" --quiet >&2
  echo "$(( $(date +%s) - start ))" > "models/model-$hash.seconds"
  echo "train: done in $(( $(date +%s) - start )) s" >&2
fi
echo "$model"
