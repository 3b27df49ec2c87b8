#!/usr/bin/env python3
"""Config-envelope mutations of golden .keras archives, and the two verdicts compared on each: whether
Keras 3.15.1's `keras.saving.load_model(path, safe_mode=True)` raises, and whether
`kconform check --load` refuses (exit status 1).

    KERAS_BACKEND=jax python scripts/conformance/keras_refusals.py [--kinds 1,2] [FILE.keras ...]

prints one line per mutation and its two verdicts. Library (used by Tests/python/test_keras_refusals.py):

    mutations(config) -> [Mutation]     every mutation that applies to one config.json (deterministic)
    write_mutated(src, dst, config)     the archive `src` with config.json replaced, other members byte-identical
    keras_verdict(path) -> Verdict      what load_model(path, safe_mode=True) did
    kconform_verdict(path) -> Verdict   what `kconform check --load --format json path` did

A mutation touches ONE envelope, chosen deterministically: the top-level model envelope; the first layer
envelope (in depth-first order) that is not an InputLayer; the first initializer/regularizer/constraint
envelope inside a layer config; the dtype policy envelope of that first layer; or, for a field-specific
mutation, the first layer config (depth-first) that has the field. Its id is `op@json-pointer`, e.g.
`remove_module@/config/layers/1`; the root envelope's pointer is written `root`.
"""
import copy
import dataclasses
import json
import os
import pathlib
import subprocess
import sys
import time
import zipfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "Corpus" / "golden"
KCONFORM = os.environ.get("KCONFORM", str(ROOT / ".build" / "release" / "kconform"))
MESSAGE_LIMIT = 240

KINDS = {
    1: "remove module",
    2: "retarget module",
    3: "registered_name",
    4: "class_name",
    5: "constructor arguments",
    6: "function/object names",
    7: "structure",
}
NESTED_MODULES = ("keras.initializers", "keras.regularizers", "keras.constraints")


@dataclasses.dataclass
class Mutation:
    id: str          # op@pointer, stable across runs
    kind: int        # 1..7, as KINDS
    op: str          # e.g. remove_module
    role: str        # model, layer, nested, dtype, field, compile, graph
    pointer: str     # JSON pointer of the envelope or value changed ("" is the root)
    apply: object    # config -> None, mutates a deep copy in place

    def mutated(self, config):
        config = copy.deepcopy(config)
        self.apply(config)
        return config


@dataclasses.dataclass
class Verdict:
    refused: bool | None       # None: neither (kconform exit 2, or a crash)
    detail: str                # exception / rule ids and first message / "loaded" / "accepted"
    rules: tuple = ()


# ---------------------------------------------------------------------------------------------------------
# JSON pointers

def _escape(token):
    return str(token).replace("~", "~0").replace("/", "~1")


def _join(pointer, token):
    return f"{pointer}/{_escape(token)}"


def resolve(config, pointer):
    node = config
    for token in pointer.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node


def _label(pointer):
    return pointer or "root"


# ---------------------------------------------------------------------------------------------------------
# finding envelopes

def is_envelope(node):
    return isinstance(node, dict) and "class_name" in node and "config" in node


def _walk(node, pointer=""):
    """Depth-first (key order) over every value: (pointer, node)."""
    yield pointer, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, _join(pointer, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, _join(pointer, index))


def layer_envelopes(config):
    """Every layer envelope (an element of some `layers` list), depth-first: (pointer, envelope)."""
    for pointer, node in _walk(config):
        parent, _, _ = pointer.rpartition("/")
        if is_envelope(node) and parent.endswith("/layers") and isinstance(resolve(config, parent), list):
            yield pointer, node


def first_layer(config):
    for pointer, node in layer_envelopes(config):
        if node["class_name"] != "InputLayer":
            return pointer, node
    return None


def first_nested(config):
    """The first initializer/regularizer/constraint envelope inside a layer config."""
    for layer_pointer, layer in layer_envelopes(config):
        for key, value in layer["config"].items():
            if is_envelope(value) and value.get("module") in NESTED_MODULES:
                return _join(_join(layer_pointer, "config"), key), value
    return None


def first_nested_of(config, module):
    for layer_pointer, layer in layer_envelopes(config):
        for key, value in layer["config"].items():
            if is_envelope(value) and value.get("module") == module:
                return _join(_join(layer_pointer, "config"), key), value
    return None


def first_dtype(config):
    found = first_layer(config)
    if found and is_envelope(found[1]["config"].get("dtype")):
        return _join(_join(found[0], "config"), "dtype"), found[1]["config"]["dtype"]
    return None


def first_layer_with(config, field, predicate=lambda value: True, class_names=None):
    """The first layer config (depth-first) that has `field` (and, if given, is one of class_names)."""
    for pointer, layer in layer_envelopes(config):
        inner = layer["config"]
        if class_names and layer["class_name"] not in class_names:
            continue
        if isinstance(inner, dict) and field in inner and predicate(inner[field]):
            return _join(pointer, "config"), inner
    return None


# ---------------------------------------------------------------------------------------------------------
# Keras's own module for a class (kind 2, "private path")

def private_module(module, class_name):
    """`type(obj).__module__` of the Keras class `module.class_name` (e.g. keras.src.layers.core.dense for
    keras.layers>Dense), or None when it cannot be found or already is that path."""
    import importlib

    try:
        obj = getattr(importlib.import_module(module), class_name)
    except (ImportError, AttributeError, TypeError, ValueError):
        return None
    found = getattr(obj, "__module__", None)
    return found if found and found != module else None


# ---------------------------------------------------------------------------------------------------------
# the mutations

def _set(pointer, key, value):
    def apply(config):
        resolve(config, pointer)[key] = value
    return apply


def _delete(pointer, key):
    def apply(config):
        del resolve(config, pointer)[key]
    return apply


def _misspell(name):
    """Dense -> Dnse: drop the second character (or append one to a one-letter name)."""
    return name[0] + name[2:] if len(name) > 2 else name + "x"


def _histories(node, pointer):
    for sub_pointer, sub in _walk(node, pointer):
        if isinstance(sub, dict) and sub.get("class_name") == "__keras_tensor__":
            history = sub.get("config", {}).get("keras_history")
            if isinstance(history, list) and history and isinstance(history[0], str):
                yield _join(_join(sub_pointer, "config"), "keras_history"), history


def _node_name_pointer(value, pointer):
    """Pointer of the layer name in input_layers/output_layers: a flat [name, i, j] or [[name, i, j], ...]."""
    if isinstance(value, list) and value and isinstance(value[0], str):
        return _join(pointer, 0)
    if isinstance(value, list) and value and isinstance(value[0], list) and value[0]:
        return _join(_join(pointer, 0), 0)
    if isinstance(value, dict) and value:
        key = next(iter(value))
        return _node_name_pointer(value[key], _join(pointer, key))
    return None


def _set_at(pointer, value):
    parent, _, token = pointer.rpartition("/")
    token = token.replace("~1", "/").replace("~0", "~")

    def apply(config):
        node = resolve(config, parent)
        node[int(token) if isinstance(node, list) else token] = value
    return apply


def mutations(config):
    """Every mutation of kinds 1-7 that applies to this config.json, in a fixed order."""
    out = []

    def add(kind, op, role, pointer, apply):
        out.append(Mutation(f"{op}@{_label(pointer)}", kind, op, role, pointer, apply))

    envelopes = [("model", "", config)]
    for role, found in (("layer", first_layer(config)), ("nested", first_nested(config)), ("dtype", first_dtype(config))):
        if found:
            envelopes.append((role, found[0], found[1]))

    # 1. remove module
    for role, pointer, env in envelopes:
        if "module" in env:
            add(1, "remove_module", role, pointer, _delete(pointer, "module"))

    # 2. retarget module: Keras's private path, a wrong Keras module, a non-Keras module
    for role, pointer, env in envelopes:
        if role == "dtype":
            continue
        module = env.get("module")
        private = private_module(module, env["class_name"]) if isinstance(module, str) else None
        if private:
            add(2, "private_module", role, pointer, _set(pointer, "module", private))
        wrong = "keras.optimizers" if role in ("model", "layer") else "keras.layers"
        add(2, "wrong_keras_module", role, pointer, _set(pointer, "module", wrong))
        add(2, "foreign_module", role, pointer, _set(pointer, "module", "my_package.layers"))

    # 3. registered_name
    for role, pointer, env in envelopes:
        if role == "dtype":
            continue
        add(3, "registered_name_custom", role, pointer, _set(pointer, "registered_name", "Custom>" + env["class_name"]))
        add(3, "registered_name_class", role, pointer, _set(pointer, "registered_name", env["class_name"]))
        if env.get("registered_name", "absent") is not None:
            add(3, "registered_name_null", role, pointer, _set(pointer, "registered_name", None))
        if "registered_name" in env:
            add(3, "registered_name_remove", role, pointer, _delete(pointer, "registered_name"))

    # 4. class_name
    for role, pointer, env in envelopes:
        if role == "dtype":
            continue
        name = env["class_name"]
        add(4, "class_name_misspelt", role, pointer, _set(pointer, "class_name", _misspell(name)))
        if name.lower() != name:
            add(4, "class_name_lower", role, pointer, _set(pointer, "class_name", name.lower()))

    # 5. constructor arguments
    found = first_layer(config)
    if found:
        inner = _join(found[0], "config")
        add(5, "unknown_arg", "layer", inner, _set(inner, "unitz", 3))
    found = first_nested(config)
    if found:
        inner = _join(found[0], "config")
        add(5, "unknown_arg", "nested", inner, _set(inner, "unitz", 3))
    for field in ("units", "filters"):
        found = first_layer_with(config, field)
        if found:
            add(5, f"remove_{field}", "field", found[0], _delete(found[0], field))
    retypes = [
        ("units", "units_string", "3", None),
        ("units", "units_zero", 0, None),
        ("units", "units_negative", -1, None),
        ("rate", "rate_above_one", 1.5, ("Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D")),
        ("use_bias", "use_bias_string", "yes", None),
        ("padding", "padding_unknown", "sideways", None),
        ("data_format", "data_format_unknown", "channels_middle", None),
        ("activation", "activation_int", 3, None),
    ]
    for field, op, value, classes in retypes:
        found = first_layer_with(config, field, class_names=classes)
        if found:
            add(5, op, "field", _join(found[0], field), _set(found[0], field, value))

    # 6. names of functions and objects
    found = first_layer_with(config, "activation")
    if found:
        pointer = _join(found[0], "activation")
        add(6, "activation_unknown_string", "field", pointer, _set(found[0], "activation", "reluu"))
        add(6, "activation_unknown_function", "field", pointer, _set(found[0], "activation", {
            "module": "builtins", "class_name": "function", "config": "reluu", "registered_name": "function"}))
        add(6, "activation_unknown_class", "field", pointer, _set(found[0], "activation", {
            "module": "keras.activations", "class_name": "reluu", "config": {}, "registered_name": None}))
    found = first_nested_of(config, "keras.initializers")
    if found:
        add(6, "initializer_unknown_class", "nested", found[0], _set(found[0], "class_name", "NoSuchInitializer"))
        parent, _, key = found[0].rpartition("/")
        add(6, "initializer_unknown_string", "field", found[0], _set(parent, key, "no_such_initializer"))
    for field, module, op, cls in (
        ("kernel_regularizer", "keras.regularizers", "regularizer", "NoSuchRegularizer"),
        ("kernel_constraint", "keras.constraints", "constraint", "NoSuchConstraint"),
    ):
        found = first_layer_with(config, field)
        if found:
            pointer = _join(found[0], field)
            add(6, f"{op}_unknown_class", "field", pointer, _set(found[0], field, {
                "module": module, "class_name": cls, "config": {}, "registered_name": None}))
            add(6, f"{op}_unknown_string", "field", pointer, _set(found[0], field, f"no_such_{op}"))
    compile_config = config.get("compile_config")
    if isinstance(compile_config, dict):
        if "loss" in compile_config:
            add(6, "loss_unknown", "compile", "/compile_config/loss", _set("/compile_config", "loss", "no_such_loss"))
        if "metrics" in compile_config:
            add(6, "metric_unknown", "compile", "/compile_config/metrics",
                _set("/compile_config", "metrics", ["no_such_metric"]))
        optimizer = compile_config.get("optimizer")
        if is_envelope(optimizer):
            add(6, "optimizer_unknown_class", "compile", "/compile_config/optimizer",
                _set("/compile_config/optimizer", "class_name", "NoSuchOptimizer"))
        if optimizer is not None:
            add(6, "optimizer_unknown_string", "compile", "/compile_config/optimizer",
                _set("/compile_config", "optimizer", "no_such_optimizer"))

    # 7. structure of a functional graph (the top-level model's)
    inner = config.get("config")
    if isinstance(inner, dict) and isinstance(inner.get("layers"), list):
        for index, layer in enumerate(inner["layers"]):
            histories = list(_histories(layer.get("inbound_nodes", []), f"/config/layers/{index}/inbound_nodes"))
            if histories:
                pointer = _join(histories[0][0], 0)
                add(7, "inbound_unknown_layer", "graph", pointer, _set_at(pointer, "no_such_layer"))
                break
        for field in ("output_layers", "input_layers"):
            if field in inner:
                pointer = _node_name_pointer(inner[field], f"/config/{field}")
                if pointer:
                    add(7, f"{field}_unknown_layer", "graph", pointer, _set_at(pointer, "no_such_layer"))
        if "input_layers" in inner:
            value = inner["input_layers"]
            truncated = [entry[:1] for entry in value] if value and isinstance(value[0], list) else value[:1]
            add(7, "input_layers_truncated", "graph", "/config/input_layers", _set("/config", "input_layers", truncated))
            add(7, "input_layers_not_list", "graph", "/config/input_layers", _set("/config", "input_layers", 3))
    return out


# ---------------------------------------------------------------------------------------------------------
# archives and verdicts

def read_config(path):
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("config.json"))


def write_mutated(src, dst, config):
    """`src` rewritten with config.json replaced by `config`; every other member byte-identical, all
    members stored (ZIP_STORED) in the original order, as Keras writes them."""
    with zipfile.ZipFile(src) as archive, zipfile.ZipFile(dst, "w", zipfile.ZIP_STORED) as out:
        for info in archive.infolist():
            data = json.dumps(config).encode("utf-8") if info.filename == "config.json" else archive.read(info)
            member = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            member.compress_type = zipfile.ZIP_STORED
            member.external_attr = info.external_attr
            out.writestr(member, data)


def _first_line(error):
    """The message's first line; when Keras wraps the cause ("... Exception encountered: CAUSE"), the
    cause's first line is appended as [cause: ...]."""
    text = str(error).strip()
    lines = [line for line in text.splitlines() if line.strip()]
    first = (lines[0] if lines else "")[:MESSAGE_LIMIT]
    if first.endswith(":") and len(lines) > 1:  # "A total of 1 objects could not be loaded. ...:" + the error
        first += " " + lines[1][:MESSAGE_LIMIT]
    marker = "Exception encountered:"
    if marker in text:
        cause = text.rsplit(marker, 1)[1].strip()
        first += f" [cause: {(cause.splitlines()[0] if cause else '')[:MESSAGE_LIMIT]}]"
    return first


def keras_verdict(path):
    import warnings

    import keras

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            keras.saving.load_model(path, safe_mode=True)
        except Exception as error:  # noqa: BLE001 - any refusal counts
            return Verdict(True, f"{type(error).__name__}: {_first_line(error)}")
    return Verdict(False, "loaded")


def kconform_start(path):
    """Start `kconform check --load --format json path`; finish with kconform_finish."""
    try:
        return path, subprocess.Popen([KCONFORM, "check", "--load", "--format", "json", str(path)],
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    except OSError:  # ETXTBSY or ENOENT while the binary is being rebuilt: kconform_finish retries
        return path, None


def kconform_finish(started, attempts=10):
    path, process = started
    for attempt in range(attempts):
        if process is None:
            process = kconform_start(path)[1]
            if process is None:
                if attempt + 1 == attempts:
                    raise RuntimeError(f"{KCONFORM} is not runnable (busy or missing) after {attempts} attempts")
                print(f"{KCONFORM} not runnable; retrying in 30 s", file=sys.stderr)
                time.sleep(30)
                continue
        stdout, stderr = process.communicate()
        busy = process.returncode not in (0, 1) and "Text file busy" in stderr
        if busy and attempt + 1 < attempts:
            time.sleep(30)
            process = None
            continue
        return _kconform_result(process.returncode, stdout, stderr)
    raise RuntimeError("unreachable")


def kconform_verdict(path):
    return kconform_finish(kconform_start(path))


def _kconform_result(status, stdout, stderr):
    errors = []
    try:
        report = json.loads(stdout)
        for file in report.get("files", []):
            errors += [f for f in file.get("findings", []) if f.get("severity") == "error"]
    except json.JSONDecodeError:
        report = None
    rules = tuple(dict.fromkeys(f["ruleId"] for f in errors))
    if status == 0:
        return Verdict(False, "accepted", rules)
    if status == 1:
        first = errors[0]["message"].splitlines()[0][:MESSAGE_LIMIT] if errors else ""
        return Verdict(True, f"exit 1 {','.join(rules)}: {first}", rules)
    return Verdict(None, f"exit {status}: {(stderr or stdout).strip().splitlines()[:1]}", rules)


# ---------------------------------------------------------------------------------------------------------
# one case, by name (picklable: what a worker process of the test runs)

_FILES = {}


def file_mutations(file):
    """(config, {mutation id: Mutation}) of a file relative to Corpus/golden, cached per process."""
    if file not in _FILES:
        config = read_config(GOLDEN / file)
        _FILES[file] = config, {mutation.id: mutation for mutation in mutations(config)}
    return _FILES[file]


def run_case(file, mutation_id):
    """(Keras's verdict, kconform's verdict) on `file` with that one mutation; kconform runs while Keras
    loads."""
    import tempfile

    config, by_id = file_mutations(file)
    with tempfile.TemporaryDirectory() as directory:
        path = pathlib.Path(directory) / pathlib.Path(file).name
        write_mutated(GOLDEN / file, path, by_id[mutation_id].mutated(config))
        started = kconform_start(path)
        try:
            keras_side = keras_verdict(path)
        finally:
            ours = kconform_finish(started)
    return keras_side, ours


def quiet_worker():
    """ProcessPoolExecutor initializer: the Keras backend, and no Keras/JAX chatter on the terminal."""
    os.environ.setdefault("KERAS_BACKEND", "jax")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)


# ---------------------------------------------------------------------------------------------------------

def golden_files():
    """Every .keras file in Corpus/golden and Corpus/golden/zoo, relative to Corpus/golden."""
    return sorted(str(p.relative_to(GOLDEN)) for d in (GOLDEN, GOLDEN / "zoo") for p in d.glob("*.keras"))


def needs_tensorflow(file):
    data = (GOLDEN / file).read_bytes()
    return any(name in data for name in (b"IntegerLookup", b"StringLookup", b"TextVectorization"))


def main(argv):
    import argparse

    os.environ.setdefault("KERAS_BACKEND", "jax")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", help="paths relative to Corpus/golden (default: all)")
    parser.add_argument("--kinds", default="1,2,3,4,5,6,7")
    args = parser.parse_args(argv)
    kinds = {int(k) for k in args.kinds.split(",")}
    for file in args.files or golden_files():
        if needs_tensorflow(file):
            continue
        for mutation in file_mutations(file)[1].values():
            if mutation.kind not in kinds:
                continue
            keras_side, ours = run_case(file, mutation.id)
            mark = "ok  " if keras_side.refused == ours.refused else "DIFF"
            print(f"{mark} {file}\t{mutation.id}\tkeras: {keras_side.detail}\tkconform: {ours.detail}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
