# altspec: every target bootstraps .venv from python3 and requirements.lock by itself.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
READY  := $(VENV)/.ready
ALTSPEC := $(BIN)/altspec

.PHONY: test vectors build lint docs serve bench fuzz clean lock

$(READY): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("altspec needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(READY)

## build: compile specs/ into altspec/minimal.py and altspec/mainnet.py (cached)
build: $(READY)
	$(ALTSPEC) build

## vectors: build the spec and write tests/vectors/ (the main job)
vectors: build
	$(ALTSPEC) vectors

## test: unit, spec, property and docs tests, lint, and the vector reproducibility check
test: build
	$(BIN)/python -m pytest
	$(MAKE) --no-print-directory lint
	$(ALTSPEC) check-vectors

## lint: ruff and mypy --strict over altspec/ (compiled modules reported at Markdown lines)
lint: build
	$(ALTSPEC) lint

## docs: build the site with mkdocs --strict into site/
docs: build
	$(BIN)/mkdocs build --strict --quiet

## serve: serve the site at http://127.0.0.1:8000 while editing
serve: build
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

## bench: compile, cached rebuild, vector generation and BLS verify timings
bench: build
	$(BIN)/python -m altspec.bench

## fuzz: a long hypothesis campaign over the state machines (FUZZ_EXAMPLES=N)
fuzz: build
	ALTSPEC_FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-5000} $(BIN)/python -m pytest tests/properties -q -s

## lock: re-pin requirements.lock from pyproject.toml (needs pip-tools in the venv)
lock: $(READY)
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --extra dev --strip-extras --no-header --annotation-style=line \
		--no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) site build .mypy_cache .ruff_cache .pytest_cache .hypothesis .bench \
		altspec/minimal.py altspec/mainnet.py altspec/*.linemap.json tests/vectors.tmp*
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
