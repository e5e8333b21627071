# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
INPUT  ?= seeds
DATA   ?= data

.PHONY: install run test eval bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/counterclaim run --input $(INPUT) --data $(DATA)

test: $(STAMP)
	$(BIN)/python -m pytest -q

eval: $(STAMP)
	$(BIN)/python -m flows.evaluate

# End to end against raw spaCy at 1x and 4x the shared bodies (BENCH_SCALES=1 for a quick run);
# incremental reruns; deduplication at 10k and 100k documents.
BENCH_SCALES ?= 1,4
bench: $(STAMP)
	BENCH_SCALES=$(BENCH_SCALES) $(BIN)/python -m flows.bench
	$(BIN)/python -m flows.bench_incremental
	$(BIN)/python -m flows.eval_dedup --skip-stories --large

clean:
	rm -rf $(DATA)/tables $(DATA)/staging $(DATA)/cache
