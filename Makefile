# kconform: the two commands of the README are `make demo` and `make test`.
SWIFT ?= swift
RELEASE_BIN := .build/release/kconform
PYTHON_VENV ?= .venv-corpus

.PHONY: deps build release demo test corpus bench clean

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product kconform

## Runs kconform check and inspect over the shipped corpus and checks that every verdict is the expected one.
demo: release
	@scripts/demo.sh $(RELEASE_BIN)

## Runs every test (debug build, Swift Testing).
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

## Regenerates Corpus/golden with pinned real Keras (needs network access to PyPI).
corpus:
	python3 -m venv $(PYTHON_VENV)
	$(PYTHON_VENV)/bin/pip install -q -r scripts/corpus/requirements.txt
	KERAS_BACKEND=jax $(PYTHON_VENV)/bin/python scripts/corpus/make_golden.py

## Check-versus-h5py-versus-Keras benchmark (see Benchmarks/README.md).
bench: release
	Benchmarks/run-check-benchmark.sh

clean:
	rm -rf .build
