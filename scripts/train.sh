#!/usr/bin/env bash
# Train the Rasa model only when its inputs changed. The model is named by the hash of everything
# that goes into it, so an unchanged project reuses models/<hash>.tar.gz at once.
set -euo pipefail
cd "$(dirname "$0")/.."
# one training at a time: a second call waits, then finds the model the first one trained
mkdir -p .rasa
exec 9>.rasa/train.lock
flock 9
export RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=3 PYTHONWARNINGS="${PYTHONWARNINGS:-ignore}"

# the built domain and form rules (from domain.yml, dialogue/forms.py, knowledge/faq.py), always current
.venv/bin/python -m bot.build_domain .build >/dev/null
# everything the model is built from (not the actions or channels, which the model does not contain):
# the training data, and the code of the custom NLU components whose output is learnt (the tokenizer's
# words and the router's vocabulary come from the lexicon); the value extractor and its patterns run
# when a message is read and are not part of the trained weights
code="bot/custom/components.py knowledge/lexicon.py"
inputs="config.yml .build/domain/domain.yml .build/data/forms.yml $code $(find bot/data -type f | sort)"
hash=$( { cat $inputs; grep -E '^(rasa|rasa-sdk|spacy|tensorflow)==' requirements.lock; } | sha256sum | cut -c1-16)
# Rasa reuses cached components whose configuration and data did not change, but it does not see a
# change in our components' code: a cache per version of that code keeps a local model the same as one
# trained from nothing (as on a fresh clone)
code_hash=$(cat $code | sha256sum | cut -c1-16)
export RASA_CACHE_DIRECTORY=".rasa/cache/$code_hash"
find .rasa/cache -mindepth 1 -maxdepth 1 -type d ! -name "$code_hash" -exec rm -rf {} + 2>/dev/null || true
model="models/model-$hash.tar.gz"
if [ -f "$model" ]; then
  echo "train: model up to date ($model)" >&2
else
  last=$(ls -t models/*.seconds 2>/dev/null | head -1 || true)
  echo "train: training $model (data changed or no model yet)${last:+; the last training took $(cat "$last") s}" >&2
  start=$(date +%s)
  mkdir -p .rasa
  log=.rasa/train.log
  .venv/bin/python -m bot.custom train --config config.yml --domain .build/domain --data bot/data .build/data \
      --out models --fixed-model-name "model-$hash" >"$log" 2>&1 &
  pid=$!
  # progress instead of minutes of silence: the stage Rasa is in (its log) every 10 s
  while kill -0 "$pid" 2>/dev/null; do
    sleep 10
    kill -0 "$pid" 2>/dev/null || break
    stage=$(grep -aoE "Starting to train component '[A-Za-z_]+'|Epochs:[^|]*" "$log" | tail -1 | sed "s/Starting to train component /component /" || true)
    echo "train: $(( $(date +%s) - start )) s${stage:+ · $stage}" >&2
  done
  if ! wait "$pid"; then
    tail -40 "$log" >&2
    echo "train: FAILED (full log: $log)" >&2
    exit 1
  fi
  echo "$(( $(date +%s) - start ))" > "models/model-$hash.seconds"
  echo "train: done in $(( $(date +%s) - start )) s" >&2
fi
echo "$model"
