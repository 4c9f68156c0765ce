# Quick start: `make demo` then `make test`. Both create .venv on first use; `make lint` before a commit.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint check-model bench bench-batch bench-batch-pdf bench-scale bench-dask clean venv

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	@for f in sample_contracts/*.txt sample_contracts/*.md sample_contracts/*.docx sample_contracts/*.pdf; do \
	  case "$$f" in */README.md) continue;; esac; \
	  [ -e "$$f" ] || continue; \
	  echo; echo "=== $$f"; \
	  $(BIN)/castguard scan "$$f" || exit $$?; \
	done

lint: $(STAMP)  # ruff (pyproject [tool.ruff]) and mypy (pyproject [tool.mypy]): a few seconds once mypy's cache is warm
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy src/castguard

test: $(STAMP)  # two workers (pytest-xdist): the suite is half waiting on LibreOffice, Chromium and subprocesses
	$(BIN)/python -m pytest -q -n 2

check-model: $(STAMP)  # about 3 minutes: rebuild the model from data/clauses.jsonl, compare byte for byte
	@tmp=$$(mktemp -d) && $(BIN)/castguard train --out "$$tmp" && \
	  cmp models/clauses-v1.json "$$tmp/clauses-v1.json" && cmp models/clauses-v1.npz "$$tmp/clauses-v1.npz" && \
	  echo "check-model: the shipped model is exactly what the data and the code give" && rm -rf "$$tmp"

bench: $(STAMP)
	$(BIN)/python benchmarks/accuracy.py
	$(BIN)/python benchmarks/ingest.py
	$(BIN)/python benchmarks/scan_startup.py

bench-batch: $(STAMP)  # about 7 minutes on 2 cores: 500 files x 2 runs, 120 PDFs x 2 runs, then 100 and 1,000
	$(BIN)/python benchmarks/batch.py

bench-batch-pdf: $(STAMP)  # about 1 minute: the PDF set alone (1 and 2 jobs against pdftotext and raw pypdfium2)
	$(BIN)/python benchmarks/batch.py --pdf-only

bench-scale: $(STAMP)  # 10,000 files (mixed formats, 2% broken), --jobs 2: about 25 min on 2 idle cores (0.25 CPU s/file; 57 min on the shared machine); FILES=1000: about 4 min
	$(BIN)/python benchmarks/scale.py --files $(or $(FILES),10000)

bench-dask: $(STAMP)  # about 3 minutes on 2 idle cores: the same 500 files locally and on a Dask scheduler + 2 workers, compared
	$(BIN)/python benchmarks/dask_identity.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
