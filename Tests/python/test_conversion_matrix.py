"""The whole conversion matrix of `kconform convert` over the golden corpus, every output checked in its
target's Keras.

Rows (sources: every golden model with inputs and outputs): the .keras archives of Corpus/golden and
Corpus/golden/zoo; the golden model folders (folder_model/, folder_assets/) and one folder per golden .keras
archive made by `kconform convert X.keras DIR/` (but deep300; every golden and zoo archive with
KCONFORM_MATRIX_FOLDERS=all); the legacy .h5 full models Keras 3 wrote (Corpus/golden/*.h5); the legacy
.h5 full models tf-keras 2.21 wrote (Corpus/golden/keras2).

Columns (targets): .keras; a folder (OUT/); legacy .h5 (--flavor keras3, the default); legacy .h5 --flavor keras2;
.weights.h5; Keras 2 weights-only .h5 (--flavor keras2 --weights-only); sharded weights (OUT.weights.json
--max-shard-size SIZE, the size twice the largest variable, so most models shard; while the binary's
`convert --help` has no --max-shard-size the column is a strict xfail, "convert cannot write sharded weights yet").

Checks: Keras 3.15.1 (JAX) loads the Keras 3 targets with load_model(path, safe_mode=True) and predicts the
golden outputs; it loads .weights.h5 and sharded weights into the source's architecture (the source loaded by
Keras, else kconform's own .keras conversion) with every float weight scrambled first, and predicts the golden
outputs. tf-keras 2.21 loads the keras2-flavour full models with tf_keras.models.load_model(path, compile=False)
and the Keras 2 weights-only files into a tf-keras architecture (the tf-keras source itself, else kconform's
--flavor keras2 conversion), and predicts the golden outputs (for tf-keras sources, those tf-keras recorded).
Tolerances are those of test_keras_loads_kconform_output.py (Keras 3 sources) and test_tf_keras.py (tf-keras
sources). A KC-REF-012 refusal (exit status 1 or 2) passes only where conversion_refused.txt lists
(source, target); any other refusal, load failure or prediction difference fails, but for the skips and strict
xfails the other tiers have: lookup layers in the Keras 3 environment (no TensorFlow), Keras's own failing legacy
.h5 round trip of a Keras 3 source (skip) or defect (known_failures.txt, strict xfail), and TensorFlow's documented
divergence from the JAX golden outputs (test_tf_keras.py's TENSORFLOW_DIVERGES: predict must raise).

The file runs in both environments and checks the half that belongs to it: in the Keras 3 environment of
`make test-python` (tf_keras not importable) the Keras 3 columns, in the tf-keras environment of `make test-keras2`
(scripts/corpus/requirements-keras2.txt) the keras2 columns; the other half is skipped with its reason. The last
test prints the matrix of the half that ran and writes it to Reports/conversion-matrix.md (each environment
replaces its own section; the combined table merges both).
"""
import errno
import functools
import html
import importlib.util
import json
import os
import pathlib
import re
import shutil
import subprocess
import tempfile
import time

import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "Corpus" / "golden"
KERAS2 = GOLDEN / "keras2"
KCONFORM = os.environ.get("KCONFORM", str(ROOT / ".build" / "release" / "kconform"))
REPORT = ROOT / "Reports" / "conversion-matrix.md"
HERE = pathlib.Path(__file__).resolve().parent

TF_KERAS_ENV = importlib.util.find_spec("tf_keras") is not None
ENV = "tf-keras" if TF_KERAS_ENV else "keras3"
if TF_KERAS_ENV:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
    import tf_keras  # noqa: E402
else:
    os.environ.setdefault("KERAS_BACKEND", "jax")
    import keras  # noqa: E402

# ----------------------------------------------------------------------------------------------
# The matrix


class Target:
    def __init__(self, key, title, env, out, args=()):
        self.key, self.title, self.env, self.out, self.args = key, title, env, out, list(args)


TARGETS = [
    Target("keras", ".keras", "keras3", "out.keras"),
    Target("folder", "folder/", "keras3", "out_folder/"),
    Target("h5", ".h5 (keras3)", "keras3", "out.h5"),
    Target("h5-keras2", ".h5 --flavor keras2", "tf-keras", "out_keras2.h5", ["--flavor", "keras2"]),
    Target("weights-h5", ".weights.h5", "keras3", "out.weights.h5"),
    Target("h5-keras2-weights", ".h5 --flavor keras2 --weights-only", "tf-keras", "out_keras2_weights.h5",
           ["--flavor", "keras2", "--weights-only"]),
    Target("sharded", ".weights.json --max-shard-size", "keras3", "out.weights.json"),
]
TARGET = {target.key: target for target in TARGETS}
SHARDED_NOT_IMPLEMENTED = "convert cannot write sharded weights yet"
# The folder (kconform) row, where it is cheap: by default one folder per golden archive but deep300 (Keras takes
# about 12 s to load it, since a Sequential rebuilds itself after each of its 300 layers: 50 s for its row);
# KCONFORM_MATRIX_FOLDERS=all makes one per golden and zoo archive (about 2 min more), =none drops the row.
FOLDERS = os.environ.get("KCONFORM_MATRIX_FOLDERS", "golden")
assert FOLDERS in ("golden", "all", "none"), f"KCONFORM_MATRIX_FOLDERS={FOLDERS!r}: golden, all or none"
EXPENSIVE_FOLDERS = {"deep300.keras"}


class Source:
    """One row: `id` names it in test ids and conversion_refused.txt; `path` is what kconform reads (None for a
    folder kconform makes from `archive` first); `folder`/`facts` find the golden inputs and outputs."""

    def __init__(self, id, kind, model, folder, facts, path=None, archive=None):
        self.id, self.kind, self.model, self.folder, self.facts = id, kind, model, folder, facts
        self.path, self.archive = path, archive

    @property
    def keras2(self):
        return self.kind == "h5 (tf-keras)"


KINDS = [".keras", "folder (golden)", "folder (kconform)", "h5 (Keras 3)", "h5 (tf-keras)"]


def manifest(folder):
    return json.loads((folder / "MANIFEST.json").read_text(encoding="utf-8"))["models"]


def sources():
    golden, zoo = manifest(GOLDEN), manifest(GOLDEN / "zoo")
    rows, archives = [], []
    for prefix, folder, models in (("", GOLDEN, golden), ("zoo/", GOLDEN / "zoo", zoo)):
        for name, facts in sorted(models.items()):
            if not facts.get("inputs") or not facts.get("outputs"):
                continue
            for file in facts["files"]:
                model = prefix + name
                if file.endswith(".keras"):
                    rows.append(Source(prefix + file, ".keras", model, folder, facts, path=folder / file))
                    archives.append(rows[-1])
                elif file.endswith("/"):
                    rows.append(Source(prefix + file, "folder (golden)", model, folder, facts, path=folder / file))
                elif file.endswith(".h5") and not file.endswith(".weights.h5"):
                    rows.append(Source(prefix + file, "h5 (Keras 3)", model, folder, facts, path=folder / file))
    for archive in archives:
        if FOLDERS == "none" or FOLDERS == "golden" and (archive.id.startswith("zoo/") or archive.id in EXPENSIVE_FOLDERS):
            continue
        rows.append(Source("folder-of:" + archive.id, "folder (kconform)", archive.model, archive.folder, archive.facts,
                           archive=archive))
    for name, facts in sorted(manifest(KERAS2).items()):
        rows.append(Source("keras2/" + facts["files"][0], "h5 (tf-keras)", "keras2/" + name, KERAS2, facts,
                           path=KERAS2 / facts["files"][0]))
    return sorted(rows, key=lambda s: (KINDS.index(s.kind), s.id))


SOURCES = sources()

# (source id, target key) -> why kconform refuses it (KC-REF-012).
REFUSED = {}
for _line in (HERE / "conversion_refused.txt").read_text(encoding="utf-8").splitlines():
    if _line.strip() and not _line.startswith("#"):
        _source, _target, _reason = _line.split("\t", 2)
        assert _target in TARGET, f"conversion_refused.txt: unknown target {_target!r}"
        REFUSED[(_source, _target)] = _reason

# Keras defects of its own legacy .h5 reader (test_keras_loads_kconform_output.py's strict xfails).
KNOWN_FAILURES = dict(
    line.split("\t", 1) for line in (HERE / "known_failures.txt").read_text(encoding="utf-8").splitlines()
    if line and not line.startswith("#")
)

# (source id, target key) -> (status, detail), filled by the cells, read by the last test.
RESULTS = {}

# ----------------------------------------------------------------------------------------------
# kconform, run once per (source, target)

class _Work:
    """The temporary directory of every conversion, made on first use and removed by teardown_module."""

    path = None

    def __truediv__(self, name):
        if self.path is None:
            self.path = pathlib.Path(tempfile.mkdtemp(prefix="kconform-matrix-"))
        return self.path / name


WORK = _Work()


def binary_stamp():
    try:
        stat = os.stat(KCONFORM)
    except OSError as error:
        return f"{KCONFORM}: {error.strerror}"
    return f"{KCONFORM} (modified {time.strftime('%Y-%m-%d %H:%M:%S', time.localtime(stat.st_mtime))}, {stat.st_size} bytes)"


BINARY_AT_START = binary_stamp()


def run_kconform(*args):
    """The binary may be replaced while this runs: "Text file busy" or a missing binary waits 30 s and retries."""
    for attempt in range(10):
        try:
            result = subprocess.run([KCONFORM, *map(str, args)], capture_output=True, text=True)
        except OSError as error:
            if error.errno in (errno.ETXTBSY, errno.ENOENT) and attempt < 9:
                time.sleep(30)
                continue
            raise
        if "Text file busy" in result.stderr and attempt < 9:
            time.sleep(30)
            continue
        return result


def convert_help():
    result = run_kconform("convert", "--help")
    return result.stdout + result.stderr


# Whether this binary's convert writes sharded weights; without it the sharded column is a strict xfail.
SHARDED_IMPLEMENTED = "--max-shard-size" in convert_help()


def slug(text):
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text)


@functools.lru_cache(maxsize=None)
def kconform_folder(source_id):
    """The folder `kconform convert X.keras DIR/` makes of an archive (the input of a folder (kconform) row)."""
    source = SOURCE[source_id]
    out = WORK / "folders" / slug(source.archive.id).replace(".", "_")  # a folder may not end in .keras
    out.parent.mkdir(parents=True, exist_ok=True)
    result = run_kconform("convert", source.archive.path, f"{out}/")
    if result.returncode != 0:
        raise AssertionError(f"kconform convert {source.archive.id} DIR/ (making the source folder) failed: "
                             f"{result.stderr.strip()}")
    return out


def source_path(source):
    return source.path if source.path is not None else kconform_folder(source.id)


@functools.lru_cache(maxsize=None)
def convert(source_id, target_key, extra=()):
    """(CompletedProcess, output path) of converting the source to the target, once per pair."""
    source, target = SOURCE[source_id], TARGET[target_key]
    directory = WORK / slug(source_id)
    directory.mkdir(parents=True, exist_ok=True)
    out = directory / target.out
    out_arg = f"{out}/" if target.out.endswith("/") else str(out)
    result = run_kconform("convert", source_path(source), out_arg, *target.args, *extra)
    return result, out


def refusal(result):
    return result.returncode in (1, 2) and "KC-REF-012" in result.stderr


def converted(source, target_key, extra=()):
    """The converted file, or None for a refusal conversion_refused.txt lists; otherwise the cell fails."""
    result, out = convert(source.id, target_key, extra)
    listed = (source.id, target_key) in REFUSED
    if refusal(result):
        if listed:
            return None
        raise AssertionError(f"refused, and (source, target) is not in conversion_refused.txt: {result.stderr.strip()}")
    if listed:
        raise AssertionError(f"converts now (exit {result.returncode}): remove {source.id}\t{target_key} from "
                             "conversion_refused.txt")
    if result.returncode != 0:
        raise AssertionError(f"convert failed (exit {result.returncode}): {result.stderr.strip()}")
    return out


# ----------------------------------------------------------------------------------------------
# Golden inputs, outputs and tolerances


def as_list(value):
    return list(value) if isinstance(value, (list, tuple)) else [value]


def io_arrays(source):
    inputs = [np.load(source.folder / path) for path in source.facts["inputs"]]
    outputs = [np.load(source.folder / path) for path in as_list(source.facts["outputs"])]
    return inputs, outputs


@functools.lru_cache(maxsize=None)
def low_precision_epsilon(model):
    """test_keras_loads_kconform_output.tolerance: float16/bfloat16 policies count in their dtype's epsilon."""
    if model.startswith("keras2/"):
        return 0.0
    folder = GOLDEN / "zoo" if model.startswith("zoo/") else GOLDEN
    facts = manifest(folder)[model.removeprefix("zoo/")]
    config = b"".join((folder / file).read_bytes() for file in facts["files"] if file.endswith(".keras"))
    return 2.0**-7 if b"bfloat16" in config else 2.0**-10 if b"float16" in config else 0.0


def assert_predicts(source, predicted):
    """|ours - ref| <= atol + rtol |ref| per output: rtol 1e-4 (1e-3 for deep300, 4 epsilon for low-precision
    policies), atol 1e-5 * max(1, max|ref|); NaN where the reference has NaN."""
    _, expected = io_arrays(source)
    predicted = as_list(predicted)
    assert len(predicted) == len(expected), f"{len(predicted)} outputs, expected {len(expected)}"
    for index, (ours, ref) in enumerate(zip(predicted, expected)):
        ours, ref = np.asarray(ours, dtype=np.float32), np.asarray(ref).astype(np.float32)
        assert ours.shape == ref.shape, f"output {index}: shape {ours.shape}, expected {ref.shape}"
        finite = ref[np.isfinite(ref)]
        rtol = max(1e-3 if source.model == "deep300" else 1e-4, 4 * low_precision_epsilon(source.model))
        atol = 1e-5 * max(1.0, float(np.max(np.abs(finite))) if finite.size else 1.0)
        both_nan = np.isnan(ours) & np.isnan(ref)
        with np.errstate(invalid="ignore"):
            difference = np.where(both_nan, 0.0, np.abs(ours.astype(np.float64) - ref))
            off = ~both_nan & ~(difference <= atol + rtol * np.abs(ref))
        if off.any():
            raise AssertionError(f"output {index}: {int(off.sum())}/{off.size} elements differ, max |diff| "
                                 f"{float(np.nanmax(np.where(np.isnan(difference), np.inf, difference))):.6g} "
                                 f"(allowed {atol:.3g} + {rtol:g}|ref|)")


def first_lines(error, count=3, width=400):
    text = f"{type(error).__name__}: {error}".strip()
    return " / ".join(line.strip() for line in text.splitlines()[:count] if line.strip())[:width]


# ----------------------------------------------------------------------------------------------
# Keras 3


def keras_predict(model, inputs):
    model.jit_compile = False  # eager ops are cached across models: the whole matrix, not one XLA compile per model
    return model.predict(inputs if len(inputs) > 1 else inputs[0], verbose=0)


def needs_tensorflow(source):
    """Keras's lookup layers need TensorFlow even on the JAX backend; the pinned oracle environment has none."""
    path = source.archive.path if source.archive else source.path
    files = [path / "config.json"] if path.is_dir() else [path]
    return any(name in f.read_bytes() for f in files for name in (b"IntegerLookup", b"StringLookup", b"TextVectorization"))


@functools.lru_cache(maxsize=None)
def keras_legacy_round_trip_error(source_id):
    """None when Keras itself saves the source as a legacy .h5 and loads it back; otherwise its error."""
    source = SOURCE[source_id]
    with tempfile.TemporaryDirectory() as directory:
        try:
            path = pathlib.Path(directory) / "keras_legacy.h5"
            keras.saving.load_model(source_path(source), compile=False).save(path)
            keras.saving.load_model(path, compile=False)
        except Exception as error:  # noqa: BLE001 - any failure of Keras's own round trip
            return first_lines(error, 1, 200)
    return None


@functools.lru_cache(maxsize=None)
def keras_architecture(source_id):
    """The source's model in Keras 3: the source loaded by Keras, else kconform's own .keras conversion."""
    source = SOURCE[source_id]
    try:
        return keras.saving.load_model(source_path(source), compile=False, safe_mode=True), "the source loaded by Keras"
    except Exception as error:  # noqa: BLE001
        source_error = first_lines(error, 1, 200)
    result, out = convert(source_id, "keras")
    if result.returncode != 0:
        raise AssertionError(f"no Keras architecture: Keras cannot load the source ({source_error}) and kconform's "
                             f".keras conversion failed: {result.stderr.strip()[:300]}")
    try:
        return keras.saving.load_model(out, compile=False, safe_mode=True), "kconform's .keras conversion"
    except Exception as error:  # noqa: BLE001
        raise AssertionError(f"no Keras architecture: Keras cannot load the source ({source_error}) nor kconform's "
                             f".keras conversion ({first_lines(error, 1, 200)})") from None


def dtype_name(variable):
    return str(keras.backend.standardize_dtype(variable.dtype))


def dtype_bytes(name):
    """Bytes per element as Keras's dtype_size counts them (bits / 8; a bool is 1/8)."""
    bits = re.search(r"\d+", name)
    return 1 / 8 if name == "bool" else int(bits.group()) / 8 if bits else 4


def scramble_keras(model):
    """Every float variable set to values far from its own, so that load_weights has to bring each back."""
    rng = np.random.default_rng(0)
    for variable in model.weights:
        if dtype_name(variable).startswith(("float", "bfloat")):
            values = (rng.standard_normal(tuple(variable.shape)) * 3 + 7).astype(np.float32)
            variable.assign(keras.ops.cast(values, variable.dtype))


def check_keras3_full(source, target_key):
    if needs_tensorflow(source):
        pytest.skip("Keras needs TensorFlow to load lookup layers; the pinned oracle environment has none")
    out = converted(source, target_key)
    if out is None:
        return "refused"
    inputs, _ = io_arrays(source)
    try:
        model = keras.saving.load_model(out, safe_mode=True)
        assert_predicts(source, keras_predict(model, inputs))
    except Exception:
        if target_key == "h5" and not source.keras2:
            keras_error = keras_legacy_round_trip_error(source.archive.id if source.archive else source.id)
            if keras_error:
                pytest.skip(f"Keras cannot round-trip this model through legacy .h5 itself: {keras_error}")
        raise
    return "pass"


def check_keras3_weights(source, target_key):
    if needs_tensorflow(source):
        pytest.skip("Keras needs TensorFlow to load lookup layers; the pinned oracle environment has none")
    extra = ()
    if target_key == "sharded":
        model, _ = keras_architecture(source.id)
        largest = max((int(np.prod(v.shape)) * dtype_bytes(dtype_name(v)) for v in model.weights), default=0)
        # A shard holds the largest variable (Keras refuses a variable larger than a shard), so most models shard.
        extra = ("--max-shard-size", repr(max(2 * largest, 1024) / 1024**3))
    out = converted(source, target_key, extra)
    if out is None:
        return "refused"
    model, how = keras_architecture(source.id)
    scramble_keras(model)
    inputs, _ = io_arrays(source)
    try:
        model.load_weights(out)
        assert_predicts(source, keras_predict(model, inputs))
    except Exception as error:
        raise AssertionError(f"into {how}: {first_lines(error, 4, 600)}") from None
    return "pass"


# ----------------------------------------------------------------------------------------------
# tf-keras


@functools.lru_cache(maxsize=None)
def tf_keras_full_model(source_id):
    """kconform's --flavor keras2 output loaded by tf-keras (cached for the weights-only cell)."""
    source = SOURCE[source_id]
    out = converted(source, "h5-keras2")
    if out is None:
        return None
    return tf_keras.models.load_model(out, compile=False)


@functools.lru_cache(maxsize=None)
def tf_keras_architecture(source_id):
    source = SOURCE[source_id]
    if source.keras2:
        return tf_keras.models.load_model(source.path, compile=False), "the tf-keras source"
    try:
        model = tf_keras_full_model(source_id)
    except Exception as error:  # noqa: BLE001
        raise AssertionError(f"no tf-keras architecture: kconform's --flavor keras2 full model fails: "
                             f"{first_lines(error, 1, 300)}") from None
    if model is None:
        raise AssertionError("no tf-keras architecture: the --flavor keras2 full model is refused (listed), but the "
                             "weights-only file converts")
    return model, "kconform's --flavor keras2 full model"


def tf_keras_predict(model, inputs):
    return model.predict(inputs if len(inputs) > 1 else inputs[0], verbose=0)


# Golden models whose outputs TensorFlow cannot compute as JAX does (the golden outputs are JAX's), as
# test_tf_keras.py has them: tf-keras's predict must raise where the reason says.
TENSORFLOW_DIVERGES = {
    "zoo/embedding_indices": ("indices", "tf.gather raises InvalidArgumentError on CPU for an index outside [0, input_dim) "
                                         "where JAX's take gives a NaN row (docs/DIVERGENCES.md, Keras backends)"),
}


def tf_keras_predicts(source, model):
    inputs, _ = io_arrays(source)
    if source.model in TENSORFLOW_DIVERGES:
        match, _ = TENSORFLOW_DIVERGES[source.model]
        with pytest.raises(Exception, match=match):
            tf_keras_predict(model, inputs)
        return "diverges"
    assert_predicts(source, tf_keras_predict(model, inputs))
    return "pass"


def check_keras2_full(source, target_key):
    if converted(source, target_key) is None:
        return "refused"
    return tf_keras_predicts(source, tf_keras_full_model(source.id))


def check_keras2_weights(source, target_key):
    out = converted(source, target_key)
    if out is None:
        return "refused"
    model, how = tf_keras_architecture(source.id)
    rng = np.random.default_rng(0)
    model.set_weights([(rng.standard_normal(w.shape) * 3 + 7).astype(w.dtype) for w in model.get_weights()])
    try:
        model.load_weights(out)
        return tf_keras_predicts(source, model)
    except Exception as error:
        raise AssertionError(f"into {how}: {first_lines(error, 4, 600)}") from None


CHECKS = {
    "keras": check_keras3_full, "folder": check_keras3_full, "h5": check_keras3_full,
    "weights-h5": check_keras3_weights, "sharded": check_keras3_weights,
    "h5-keras2": check_keras2_full, "h5-keras2-weights": check_keras2_weights,
}

# ----------------------------------------------------------------------------------------------
# The cells

SOURCE = {source.id: source for source in SOURCES}


# Cells kconform does not get right yet, each a strict xfail with its reason (a fix fails the test until the
# line goes): (source id as in the report, target key) -> reason.
CONVERSION_KNOWN_FAILURES = {
    ("keras2/sgd_momentum.h5", "h5"): "the tf-keras training_config (loss \"mse\", Custom>SGD) is copied into the Keras 3 .h5, "
                                      "which Keras 3 cannot compile ('keras.metrics.mse' is not a KerasSaveable subclass), "
                                      "as it cannot compile the source itself; the .keras conversion translates it",
}


def xfail_reason(source, target_key):
    """Why the cell is a strict xfail: the sharded column while `convert --help` has no --max-shard-size (a binary
    that gains it mid-run turns these into failures: run again), and Keras's own
    legacy .h5 defects (known_failures.txt) in the .h5 column of Keras 3 sources."""
    if target_key == "sharded" and not SHARDED_IMPLEMENTED:
        return SHARDED_NOT_IMPLEMENTED
    if target_key == "h5" and source.model in KNOWN_FAILURES and not source.keras2:
        return KNOWN_FAILURES[source.model]
    return CONVERSION_KNOWN_FAILURES.get((source.id, target_key))


def cells():
    for source in SOURCES:
        for target in TARGETS:
            reason = xfail_reason(source, target.key)
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            yield pytest.param(source.id, target.key, id=f"{source.id}->{target.key}", marks=marks)


@pytest.mark.parametrize("source_id,target_key", list(cells()))
def test_conversion_cell(source_id, target_key):
    source, target = SOURCE[source_id], TARGET[target_key]
    if target.env != ENV:
        where = ("the tf-keras environment (scripts/corpus/requirements-keras2.txt)" if target.env == "tf-keras"
                 else "the Keras 3 environment (Tests/python/requirements.txt, KERAS_BACKEND=jax)")
        pytest.skip(f"{target.title} is checked in {where}")
    status, detail = "fail", ""
    try:
        status = CHECKS[target_key](source, target_key)
        if xfail_reason(source, target_key):
            status, detail = "xpass", "passes although marked xfail(strict=True): remove the mark"
    except pytest.skip.Exception as skip:
        status, detail = "skip", str(skip)
        raise
    except BaseException as error:
        detail = str(error) if isinstance(error, AssertionError) else first_lines(error)
        if target_key == "sharded" and "OUT must end in" in detail:
            detail = "not implemented: " + next(line for line in detail.splitlines() if "OUT must end in" in line).strip()
        if xfail_reason(source, target_key):
            status = "xfail"
        raise
    finally:
        RESULTS[(source_id, target_key)] = (status, " / ".join(detail.strip().splitlines()[:3])[:500])


# ----------------------------------------------------------------------------------------------
# The matrix, printed and written to Reports/conversion-matrix.md


def counts(results):
    """{kind: {target: {"total", "passed", "refused", "skipped", "failed"}}} of one environment's results."""
    table = {}
    for (source_id, target_key), (status, _) in results.items():
        kind = SOURCE[source_id].kind if source_id in SOURCE else None
        if kind is None:
            continue
        cell = table.setdefault(kind, {}).setdefault(target_key, dict(total=0, passed=0, refused=0, skipped=0, failed=0,
                                                                        xfail=0, diverges=0))
        cell["total"] += 1
        cell["passed"] += status in ("pass", "refused", "diverges")
        cell["diverges"] += status == "diverges"
        cell["refused"] += status == "refused"
        cell["skipped"] += status == "skip"
        cell["failed"] += status in ("fail", "xpass")
        cell["xfail"] += status == "xfail"
    return table


def render(table, rows_total):
    header = "| source kind (rows) | " + " | ".join(f"`{t.title}`" for t in TARGETS) + " |"
    lines = [header, "|" + "---|" * (len(TARGETS) + 1)]
    for kind in KINDS:
        cells_text = []
        for target in TARGETS:
            cell = table.get(kind, {}).get(target.key)
            if cell is None:
                cells_text.append("— (other env)" if target.env != ENV or not table else "—")
                continue
            text = f"{cell['passed']}/{cell['total']}"
            extras = [f"{cell['failed']} FAILED"] if cell["failed"] else []
            extras += [f"{cell['refused']} refused"] if cell["refused"] else []
            extras += [f"{cell['diverges']} TensorFlow divergence"] if cell["diverges"] else []
            extras += [f"{cell['skipped']} skipped"] if cell["skipped"] else []
            extras += [f"{cell['xfail']} xfail"] if cell["xfail"] else []
            cells_text.append(text + (f" ({', '.join(extras)})" if extras else ""))
        lines.append(f"| {kind} ({rows_total.get(kind, 0)}) | " + " | ".join(cells_text) + " |")
    return "\n".join(lines)


def section(env, results):
    table = counts(results)
    rows_total = {kind: sum(1 for s in SOURCES if s.kind == kind) for kind in KINDS}
    failing = [(s, t, d) for (s, t), (status, d) in sorted(results.items(), key=lambda item: (
        KINDS.index(SOURCE[item[0][0]].kind) if item[0][0] in SOURCE else 0, item[0][0], item[0][1])) if status in ("fail", "xfail", "xpass")]
    skipped = [(s, t, d) for (s, t), (status, d) in sorted(results.items()) if status == "skip"]
    ran = sum(1 for status, _ in results.values())
    binary = BINARY_AT_START if binary_stamp() == BINARY_AT_START else (
        f"{BINARY_AT_START}, REPLACED during the run by {binary_stamp()}: cells may come from either binary, run again")
    sharded = ("convert --help has --max-shard-size" if SHARDED_IMPLEMENTED else
               f"convert --help has no --max-shard-size: the sharded column is a strict xfail ({SHARDED_NOT_IMPLEMENTED})")
    lines = [f"## {env} environment", "", f"Binary: {binary}; {sharded}.", "", f"{ran} cells checked here; cells: passed/total (passed includes KC-REF-012 "
             "refusals listed in Tests/python/conversion_refused.txt and TensorFlow's documented divergences, whose predict "
             "must raise; xfail: strict xfails, the sharded column until convert "
             "writes sharded weights and Keras's own legacy .h5 defects of known_failures.txt).", "", render(table, rows_total), ""]
    if failing:
        lines += [f"### Failing cells ({len(failing)}, strict xfails included)", "", "| source | target | outcome | error |",
                  "|---|---|---|---|"]
        lines += [f"| `{s}` | `{TARGET[t].title}` | {results[(s, t)][0]} | {html.escape(d, quote=False).replace('|', '&#124;')} |"
                  for s, t, d in failing]
        lines.append("")
    if skipped:
        lines += [f"### Skipped cells ({len(skipped)})", ""]
        lines += [f"- `{s}` → `{TARGET[t].title}`: {d}" for s, t, d in skipped]
        lines.append("")
    payload = {f"{s}\t{t}": list(v) for (s, t), v in results.items()}
    return "\n".join(lines), payload


def read_report():
    """{env: (markdown, payload)} of the sections Reports/conversion-matrix.md holds."""
    sections = {}
    if REPORT.exists():
        text = REPORT.read_text(encoding="utf-8")
        for match in re.finditer(r"<!-- section (\S+) -->\n(.*?)\n<!-- results (\S+) (.*?) -->\n<!-- /section \1 -->",
                                 text, re.S):
            sections[match.group(1)] = (match.group(2), json.loads(html.unescape(match.group(4))))
    return sections


def test_zz_conversion_matrix_summary(capsys):
    """Aggregates the cells above (run it with them: on its own it has nothing to report)."""
    results = {key: value for key, value in RESULTS.items() if TARGET[key[1]].env == ENV}
    if not results:
        pytest.skip("no cell of this environment ran in this session")
    markdown, payload = section(ENV, results)
    sections = read_report()
    sections[ENV] = (markdown, payload)
    merged = {}
    for _, (_, other) in sections.items():
        for key, value in other.items():
            source_id, target_key = key.split("\t")
            merged[(source_id, target_key)] = tuple(value)
    rows_total = {kind: sum(1 for s in SOURCES if s.kind == kind) for kind in KINDS}
    combined = render(counts(merged), rows_total)
    parts = ["# kconform convert: the conversion matrix", "",
             "Written by Tests/python/test_conversion_matrix.py (each environment rewrites its own section). Rows: "
             "source kinds (number of sources); columns: targets; cells: passed/total.", "",
             "## Combined", "", combined, ""]
    for env in ("keras3", "tf-keras"):
        if env in sections:
            body, data = sections[env]
            parts += [f"<!-- section {env} -->", body,
                      f"<!-- results {env} {html.escape(json.dumps(data, ensure_ascii=False), quote=False).replace('--', '&#45;&#45;')} -->",
                      f"<!-- /section {env} -->", ""]
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text("\n".join(parts), encoding="utf-8")
    with capsys.disabled():
        print(f"\n\nkconform convert conversion matrix ({ENV} environment; written to {REPORT.relative_to(ROOT)}):\n")
        print(render(counts(results), rows_total))
        failing = sum(status in ("fail", "xpass") for status, _ in results.values())
        xfails = sum(status == "xfail" for status, _ in results.values())
        print(f"\n{failing} failing cells and {xfails} strict xfails (details in {REPORT.relative_to(ROOT)})\n")


def teardown_module():
    if WORK.path is not None:
        shutil.rmtree(WORK.path, ignore_errors=True)
