# The project's commands. README.md documents them; .ci/run calls `make test`.
SHELL := /bin/bash
PY := .venv/bin/python
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 3
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: setup run test bench lock demo retention cluster

setup:            ## create .venv (Python 3.10) and install the project; fast when nothing changed
	@scripts/setup.sh

run: setup        ## start the assistant
	@scripts/run.sh

test: setup       ## every test
	@scripts/test.sh

bench: setup      ## benchmarks; prints figures
	@$(PY) -m bench.bench_assess
	@$(PY) -m bench.bench_cds
	@$(PY) -m bench.bench_model_load
	@$(PY) -m bench.bench_rest
	@$(PY) -m bench.bench_train
	@$(PY) -m bench.bench_load
	@$(PY) -m bench.bench_scale
	@$(PY) -m bench.bench_lock

retention: setup  ## remove conversations and audit rows older than DAYS days: make retention DAYS=90
	@test -n "$(DAYS)" || { echo "usage: make retention DAYS=N" >&2; exit 2; }
	@$(PY) -m bot.retention --days "$(DAYS)"

cluster: setup    ## several Rasa and action servers on shared stores (TRACKER_DB_URL, REDIS_URL; see README)
	@scripts/cluster.sh

demo: setup       ## one assessment through the decision module
	@$(PY) -m knowledge demo

lock: setup       ## refresh requirements.lock from the installed venv
	@{ echo "# Exact versions of every package the project installs (pip freeze of a fresh Python 3.10 venv)."; \
	   echo "# Regenerate with: make lock"; $(PY) -m pip freeze --exclude-editable; } > requirements.lock
