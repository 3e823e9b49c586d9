# The one place the project's commands live. `make help` lists them.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
MODEL := models/nato-factcheck.tar.gz
NLP := build/spacy/en/meta.json
CHECKED := build/.knowledge-checked
KNOWLEDGE := $(wildcard data/knowledge/*.yml data/knowledge/myths/*.yml data/knowledge/i18n/*.yml responses/*.yml responses/i18n/*.yml bot/knowledge/*.py)
EXAMPLES := build/nlu/fact_questions.yml
RASA_DATA := --domain responses --data data/nlu build/nlu data/stories
export TF_CPP_MIN_LOG_LEVEL := 3
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export RASA_TELEMETRY_ENABLED := false

.PHONY: tune-language help setup browser services check lint nlp train validate run shell test myth-words tune evaluate weak-points practice-report bench desk-report desk-bench desk-screenshots clean

help: ## list the commands
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

setup: $(VENV)/.ready ## install Python 3.10 venv and pinned packages (once)

$(VENV)/.ready: requirements.txt scripts/setup.sh
	scripts/setup.sh
	touch $@

browser: ## install Debian's chromium for the browser tests (once; needs root or sudo)
	scripts/install-browser.sh

services: ## install Debian's PostgreSQL, Redis, nginx for the scale-out test (once; root or sudo)
	scripts/install-services.sh

check: setup ## validate the knowledge base and templates
	$(PY) -m bot check

lint: setup ## check the layering of bot/ (import-linter contracts in .importlinter)
	$(VENV)/bin/lint-imports

$(NLP): data/knowledge/entities.yml data/nlp/lemmas.yml bot/nlu/pipeline.py bot/nlu/lemmas.py $(wildcard data/knowledge/i18n/*.yml data/nlu/*/*.yml) | $(VENV)/.ready
	$(PY) -m bot build-nlp --out build/spacy
	rm -rf .rasa/cache  # rasa fingerprints the spaCy pipeline by its path only

nlp: $(NLP) ## build the rule-based spaCy pipelines, one per language

$(EXAMPLES): $(wildcard data/knowledge/i18n/*.yml) bot/nlu/examples.py | $(VENV)/.ready
	$(PY) -m bot build-examples --out $(EXAMPLES)

$(MODEL): $(NLP) $(EXAMPLES) config.yml bot/nlu/classifier.py bot/nlu/components.py bot/nlu/language.py $(wildcard data/nlu/*.yml data/nlu/*/*.yml data/stories/*.yml responses/*.yml)
	$(RASA) train $(RASA_DATA) --config config.yml --out models --fixed-model-name nato-factcheck

$(CHECKED): $(KNOWLEDGE) | $(VENV)/.ready
	$(PY) -m bot check
	@mkdir -p build && touch $@

train: $(CHECKED) $(MODEL) ## train the Rasa model when its data changed

validate: setup $(EXAMPLES) ## rasa data validate, warnings fail
	$(RASA) data validate $(RASA_DATA) --config config.yml --fail-on-warnings

run: train ## start the bot (custom actions inside): chat page, REST and socket.io on :5005
	scripts/run.sh

shell: train ## chat in the terminal
	scripts/run.sh shell

test: lint train browser services ## run the whole test suite (what CI runs)
	$(PY) -m pytest tests

myth-words: nlp ## learn each myth's evidence words from the intent examples -> data/knowledge/myth_words.yml
	$(PY) -m bot learn-myth-words --out data/knowledge/myth_words.yml

tune: nlp ## choose the answer thresholds by cross-validation on every language's training data -> docs/answer-tuning.md (about 10 min)
	$(PY) -m bot.answers.tune --report docs/answer-tuning.md

evaluate: train ## NLU and answer accuracy on the held-out sets -> docs/nlu-report.md
	$(PY) -m bot evaluate --model $(MODEL) --test-set tests/nlu/test_set.yml --report docs/nlu-report.md \
		--factual tests/nlu/factual_questions.yml --out-of-domain tests/nlu/out_of_domain.yml
	$(PY) -m bot evaluate-languages --model $(MODEL) --sets tests/nlu/languages --append docs/nlu-report.md

tune-language: setup ## choose the language identifier's thresholds by cross-validation -> docs/language-tuning.md
	$(PY) bench/language_cv.py --report docs/language-tuning.md

weak-points: train ## held-out weak-point questions (HELDOUT=file.yml) answered with their must_mention -> docs/weak-points.md
	@test -n "$(HELDOUT)" || (echo "usage: make weak-points HELDOUT=path/to/weak_points.yml" && exit 2)
	$(PY) -m bench.weak_points $(HELDOUT) $(MODEL) docs/weak-points.md

practice-report: nlp ## practice scoring: strong against weak answers per myth, in every language (docs/practice.md)
	$(PY) -m tests.practice.test_scorer
	$(PY) -m tests.practice.test_scorer_languages

bench: train ## benchmark against the stock rasa init bot, with scale-out -> docs/benchmarks.md (about 15 min)
	$(PY) bench/benchmark.py --scale-out

desk-report: setup ## the editor's desk as static HTML and CSV for the last 30 days -> build/desk-report/
	$(PY) -m bot desk report --since 30d --out build/desk-report

desk-bench: train ## desk: ingest 100,000 generated events, each page, bot latency while used -> docs/benchmarks.md (about 3 min)
	$(PY) bench/desk_bench.py --latency

desk-screenshots: train browser ## refresh docs/desk-*.png from the desk's browser test
	DESK_SCREENSHOTS=docs $(PY) -m pytest -q tests/desk/test_desk_browser.py

clean: ## remove build outputs (model, pipeline, caches, databases)
	rm -rf models build .rasa rasa.db rasa.desk.db
