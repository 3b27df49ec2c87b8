#!/usr/bin/env python3
"""Writes Sources/KerasFormat/Safety/KerasAllowList.swift: the modelling objects of real Keras.

Run with the pinned Keras (3.15.1, JAX backend):
    KERAS_BACKEND=jax /work/venv/bin/python scripts/attacks/make_allow_list.py

The list mirrors how Keras resolves a reference while loading (keras/src/saving/serialization_lib.py,
`_retrieve_class_or_fn`), restricted to objects that are modelling math:

* classes: an exported name is looked up in the export table (canonical names only); any other
  `keras.*` module is imported and must hold a KerasSaveable subclass under that name. A class is
  allowed when it is exported in a modelling namespace (layers, initializers, regularizers,
  constraints, losses, metrics, optimizers, schedules, dtype policies, quantizers, models) or is a
  non-exported KerasSaveable class of `keras.src` (Functional, op classes), minus the layers that load
  other models (TFSMLayer, TorchModuleWrapper), which are listed separately with their tag.
* functions with module `keras.*`: canonical export names only; allowed in the math namespaces
  (activations, losses, metrics, ops, quantizers, random, layer merge functions), minus
  get/serialize/deserialize, `Input`, and every op that takes a Python callable (it would call
  functions taken from the file: loops, conditionals, maps).
* functions with module `builtins`: the name is searched in the BUILTIN_MODULES namespaces; allowed
  when every namespace that has the name has an allowed function under it.
"""
import importlib
import inspect
import os
import pkgutil
import sys
import types
import warnings

os.environ.setdefault("KERAS_BACKEND", "jax")
warnings.simplefilter("ignore")

import keras  # noqa: E402
from keras.src import api_export  # noqa: E402
from keras.src.saving import serialization_lib  # noqa: E402
from keras.src.saving.keras_saveable import KerasSaveable  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUTPUT = os.path.join(REPO, "Sources", "KerasFormat", "Safety", "KerasAllowList.swift")

CLASS_NAMESPACES = {
    "keras", "keras.layers", "keras._legacy.layers", "keras.initializers", "keras.regularizers",
    "keras.constraints", "keras.losses", "keras.metrics", "keras.optimizers", "keras.optimizers.schedules",
    "keras.dtype_policies", "keras.quantizers", "keras.random", "keras.models", "keras.distillation",
}
EXTRA_CLASSES = {"keras.utils.FeatureSpace"}
FUNCTION_NAMESPACES = {
    "keras.activations", "keras.losses", "keras.metrics", "keras.ops", "keras.ops.image",
    "keras.ops.nn", "keras.ops.numpy", "keras.ops.linalg", "keras.ops.math", "keras.ops.core",
    "keras.quantizers", "keras.random", "keras.layers",
}
NOT_MATH = {"get", "serialize", "deserialize", "Input"}
CALLABLE_PARAMETERS = {"f", "fn", "fun", "func", "function", "pyfunc", "body", "body_fun", "cond",
                       "true_fn", "false_fn", "branches", "loop_fn", "callback"}


def tags_of(cls):
    from keras.src.layers.core.lambda_layer import Lambda
    from keras.src.layers.preprocessing.index_lookup import IndexLookup
    from keras.src.layers.preprocessing.text_vectorization import TextVectorization
    from keras.src.export.tfsm_layer import TFSMLayer
    from keras.src.utils.torch_utils import TorchModuleWrapper
    from keras.src.utils.jax_layer import JaxLayer
    tags = []
    if issubclass(cls, Lambda):
        tags.append("lambda")
    if issubclass(cls, (IndexLookup, TextVectorization)):
        tags.append("vocabulary")
    if issubclass(cls, (TFSMLayer, TorchModuleWrapper)):
        tags.append("external-model")
    if issubclass(cls, JaxLayer):
        tags.append("foreign-code")
    return tags


def import_keras_modules():
    import keras.src
    skipped = ("_test", ".backend.tensorflow", ".backend.torch", ".backend.openvino", ".backend.numpy",
               ".backend.mlx", "benchmarks", ".testing")
    for info in pkgutil.walk_packages(keras.src.__path__, "keras.src."):
        if any(part in info.name for part in skipped):
            continue
        try:
            importlib.import_module(info.name)
        except Exception:
            pass
    return {name: module for name, module in list(sys.modules.items())
            if module is not None and (name == "keras" or name.startswith("keras."))}


def canonical_names():
    by_object = {}
    for name, obj in api_export.REGISTERED_NAMES_TO_OBJS.items():
        by_object.setdefault(id(obj), []).append(name)
    return by_object


def takes_callable(fn):
    try:
        parameters = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return True
    return any(p in CALLABLE_PARAMETERS for p in parameters)


def main():
    modules = import_keras_modules()
    exports = api_export.REGISTERED_NAMES_TO_OBJS

    classes = {}  # id -> (cls, canonical, allowed)
    for name, obj in exports.items():
        if not inspect.isclass(obj):
            continue
        namespace = name.rsplit(".", 1)[0]
        modelling = (namespace in CLASS_NAMESPACES or name in EXTRA_CLASSES) and hasattr(obj, "from_config")
        if modelling or tags_of(obj):
            tags = tags_of(obj)
            classes[id(obj)] = (obj, name, "external-model" not in tags)
    for module in modules.values():
        for obj in list(vars(module).values()):
            if (inspect.isclass(obj) and issubclass(obj, KerasSaveable) and id(obj) not in classes
                    and obj.__module__.startswith("keras.src.") and hasattr(obj, "from_config")
                    and api_export.get_name_from_symbol(obj) is None):
                tags = tags_of(obj)
                classes[id(obj)] = (obj, f"{obj.__module__}.{obj.__name__}", "external-model" not in tags)

    class_rows = {}
    for obj, canonical, allowed in classes.values():
        names = {n for n, o in exports.items() if o is obj}
        if issubclass(obj, KerasSaveable):
            for module_name, module in modules.items():
                for attribute, value in list(vars(module).items()):
                    if value is obj:
                        names.add(f"{module_name}.{attribute}")
        tags = tags_of(obj) or ["-"]
        for qualified in names:
            class_rows[qualified] = (canonical, ",".join(tags), allowed)

    functions, excluded = set(), {}
    for name, obj in exports.items():
        if inspect.isclass(obj) or not callable(obj):
            continue
        namespace, short = name.rsplit(".", 1)
        if namespace not in FUNCTION_NAMESPACES:
            continue
        if short in NOT_MATH:
            excluded[name] = "not tensor math"
        elif takes_callable(obj):
            excluded[name] = "calls a function taken from its arguments"
        elif name in serialization_lib.NON_MODELING_APIS:
            excluded[name] = "Keras NON_MODELING_APIS"
        else:
            functions.add(name)
    assert not functions & serialization_lib.NON_MODELING_APIS

    builtins = {}
    candidates = {}
    for module in serialization_lib.BUILTIN_MODULES:
        prefix = f"keras.{module}."
        for name, obj in exports.items():
            if name.startswith(prefix) and "." not in name[len(prefix):]:
                candidates.setdefault(name[len(prefix):], []).append(name)
    for short, names in candidates.items():
        callables = sorted(n for n in names if not inspect.isclass(exports[n]))
        if callables:
            builtins[short] = (callables[0], all(n in functions for n in names))

    lines = ["// Generated by scripts/attacks/make_allow_list.py from Keras %s (backend %s). Do not edit."
             % (keras.__version__, keras.backend.backend()),
             "// Regenerate: KERAS_BACKEND=jax /work/venv/bin/python scripts/attacks/make_allow_list.py",
             "",
             "/// The modelling objects of the Keras release named in ``kerasVersion``, as Keras resolves them while",
             "/// loading (serialization_lib `_retrieve_class_or_fn`). Parsed once by ``KerasObjectIndex``.",
             "enum KerasAllowList {",
             "    /// The Keras release the tables were generated from.",
             "    static let kerasVersion = \"%s\"" % keras.__version__,
             "",
             "    /// One class per line: `<module>.<ClassName> <canonical name> <tags> <allowed 1|0>`; tags are",
             "    /// `lambda`, `vocabulary`, `external-model`, `foreign-code`, or `-`.",
             "    static let classes = \"\"\""]
    for qualified in sorted(class_rows):
        canonical, tags, allowed = class_rows[qualified]
        lines.append(f"        {qualified} {canonical} {tags} {1 if allowed else 0}")
    lines += ["        \"\"\"", "",
              "    /// Functions referenced with a `keras.*` module: canonical export names, one per line.",
              "    static let functions = \"\"\""]
    lines += [f"        {name}" for name in sorted(functions)]
    lines += ["        \"\"\"", "",
              "    /// Function names referenced with module `builtins`, as Keras searches them in its built-in",
              "    /// namespaces: `<name> <first function found> <allowed 1|0>` (allowed when every hit is allowed).",
              "    static let builtinFunctions = \"\"\""]
    lines += [f"        {name} {canonical} {1 if ok else 0}" for name, (canonical, ok) in sorted(builtins.items())]
    lines += ["        \"\"\"", "",
              "    /// Exported functions of the math namespaces left out, with the reason: `<name> <reason>`.",
              "    static let excludedFunctions = \"\"\""]
    lines += [f"        {name} {reason}" for name, reason in sorted(excluded.items())]
    lines += ["        \"\"\"", "",
              "    /// Keras's own denylist (serialization_lib NON_MODELING_APIS), for messages.",
              "    static let nonModellingAPIs = \"\"\""]
    lines += [f"        {name}" for name in sorted(serialization_lib.NON_MODELING_APIS)]
    lines += ["        \"\"\"", "}", ""]
    with open(OUTPUT, "w") as out:
        out.write("\n".join(lines))
    print(f"{OUTPUT}: {len(class_rows)} class names of {len(classes)} classes, {len(functions)} functions, "
          f"{len(builtins)} builtins, {len(excluded)} excluded")


if __name__ == "__main__":
    main()
