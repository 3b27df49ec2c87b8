# kconform: the two commands of the README are `make demo` and `make test`.
SWIFT ?= swift
RELEASE_BIN := .build/release/kconform
PYTHON_VENV ?= .venv-corpus
KERAS2_VENV ?= .venv-keras2
ASSETS_VENV ?= .venv-corpus-assets

.PHONY: deps build release demo test test-swift test-python test-keras2 keras2-corpus conform conform-kit corpus zoo zoo-apps attacks security bench bench-conformance clean

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product kconform

## Runs kconform check and inspect over the shipped corpus and checks that every verdict is the expected one,
## then the golden corpus and the conformance properties over 100 generated models.
demo: release
	@scripts/demo.sh $(RELEASE_BIN)

## The golden corpus and the conformance properties over CONFORM_MODELS generated models (Reports/conformance.md).
CONFORM_MODELS ?= 1000
CONFORM_SEED ?= 1
conform: release
	$(RELEASE_BIN) conform --corpus Corpus/golden --generated $(CONFORM_MODELS) --seed $(CONFORM_SEED) --report Reports

## Issue 4 both ways against real Keras 3.15.1, at larger counts than make test: kconform gen kits load and
## predict alike in Keras; kits of random models made by Keras (scripts/conformance/gen_keras_models.py) pass
## kconform conform --kit. Tests/python/README-kit.md.
GEN_COUNT ?= 500
KIT_COUNT ?= 200
KIT_MAX_LAYERS ?= 24
conform-kit: release
	python3 -m venv $(PYTHON_VENV)
	$(PYTHON_VENV)/bin/pip install -q -r Tests/python/requirements.txt
	KCONFORM=$(RELEASE_BIN) KERAS_BACKEND=jax KCONFORM_GEN_COUNT=$(GEN_COUNT) KCONFORM_GEN_MAX_LAYERS=$(KIT_MAX_LAYERS) \
	  KCONFORM_KIT_COUNT=$(KIT_COUNT) KCONFORM_KIT_MAX_LAYERS=$(KIT_MAX_LAYERS) \
	  $(PYTHON_VENV)/bin/python -m pytest -q Tests/python/test_conformance_kit.py Tests/python/test_keras_generated.py

## Runs every test: the Swift suites (debug build), then the Python tiers against real Keras 3 and tf-keras.
test: test-swift test-python test-keras2

test-swift: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

## Real Keras 3.15.1 (pinned, in a virtual environment) loads what kconform writes and predicts the same.
test-python: release
	python3 -m venv $(PYTHON_VENV)
	$(PYTHON_VENV)/bin/pip install -q -r Tests/python/requirements.txt
	KCONFORM=$(RELEASE_BIN) KERAS_BACKEND=jax $(PYTHON_VENV)/bin/python -m pytest -q Tests/python

## Keras 2: tf-keras 2.21 (pinned, its own environment, since it needs TensorFlow) loads what kconform writes
## with --flavor keras2 and --weights-only, and kconform reads what tf-keras wrote (Corpus/golden/keras2).
test-keras2: release
	python3 -m venv $(KERAS2_VENV)
	$(KERAS2_VENV)/bin/pip install -q -r scripts/corpus/requirements-keras2.txt
	KCONFORM=$(RELEASE_BIN) $(KERAS2_VENV)/bin/python -m pytest -q Tests/python/test_tf_keras.py Tests/python/test_conversion_matrix.py

## Regenerates Corpus/golden/keras2 with tf-keras 2.21, and what Keras 3.15.1 does with each file.
keras2-corpus:
	python3 -m venv $(KERAS2_VENV)
	$(KERAS2_VENV)/bin/pip install -q -r scripts/corpus/requirements-keras2.txt
	$(KERAS2_VENV)/bin/python scripts/corpus/make_keras2.py --keras3-python $(PYTHON_VENV)/bin/python

## Regenerates Corpus/golden with pinned real Keras (PyPI access; about a minute after installs).
## The lookup-layer models need TensorFlow, whose h5py pin differs, hence a second environment.
corpus:
	scripts/install-deps.sh
	command -v h5debug >/dev/null || apt-get install -y -qq hdf5-tools
	python3 -m venv $(PYTHON_VENV)
	$(PYTHON_VENV)/bin/pip install -q -r scripts/corpus/requirements.txt
	python3 -m venv $(ASSETS_VENV)
	$(ASSETS_VENV)/bin/pip install -q -r scripts/corpus/requirements-assets.txt
	KERAS_BACKEND=jax $(PYTHON_VENV)/bin/python scripts/corpus/make_golden.py --assets-python $(ASSETS_VENV)/bin/python
	KERAS_BACKEND=jax $(PYTHON_VENV)/bin/python scripts/corpus/verify_golden.py
	$(MAKE) zoo keras2-corpus

## Regenerates Corpus/golden/zoo (one tiny Keras model per layer family); `make corpus` runs it, since it
## rewrites Corpus/golden.
zoo:
	KERAS_BACKEND=jax $(PYTHON_VENV)/bin/python scripts/corpus/make_layer_zoo.py
	KERAS_BACKEND=jax $(PYTHON_VENV)/bin/python scripts/corpus/make_layer_zoo.py --verify

## keras.applications models into .build/zoo-apps (about 0.9 GB, about 6 min, not committed); `make test`
## then also compares their predictions with Keras's.
zoo-apps:
	KERAS_BACKEND=jax $(PYTHON_VENV)/bin/python scripts/corpus/make_app_zoo.py

## Regenerates the allow-list of Keras modelling objects and the attack corpus (Corpus/attacks).
attacks:
	KERAS_BACKEND=jax $(PYTHON_VENV)/bin/python scripts/attacks/make_allow_list.py
	KERAS_BACKEND=jax $(PYTHON_VENV)/bin/python scripts/attacks/make_attacks.py

## Reports/security.md: the attack corpus through kconform check, Keras load_model (no network) and modelscan.
security: release
	python3 -m venv .venv-scan && .venv-scan/bin/pip install -q "modelscan[tensorflow,h5py]==0.8.8"
	KERAS_BACKEND=jax $(PYTHON_VENV)/bin/python scripts/attacks/security_report.py --kconform $(RELEASE_BIN) --modelscan .venv-scan/bin/modelscan

## Check-versus-h5py-versus-Keras benchmark (see Benchmarks/README.md).
bench: release
	Benchmarks/run-check-benchmark.sh

## Generated-model round trips per second, kconform against Keras (Reports/benchmark-conformance.md).
bench-conformance: release
	Benchmarks/run-conformance-benchmark.sh

clean:
	rm -rf .build
