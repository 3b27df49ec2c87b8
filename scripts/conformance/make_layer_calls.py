#!/usr/bin/env python3
"""Write Sources/KerasReference/Generated/KerasCallFacts.swift: what Keras 3.15.1's `Layer.__call__` needs to
know of each public layer class to move masks as Keras does, and every `keras.ops` operation class a
Functional config can hold.

Per layer class of `keras.layers` (every public class that subclasses `keras.Layer`):
- the parameter names of its `call` signature, in order (`Layer.__call__` binds the recorded node's
  arguments to them; `mask` and `<argument>_mask` parameters receive the inputs' Keras masks);
- `supports_masking` on an instance (after its constructor), which decides whether `_set_mask_metadata`
  runs after the call (`compute_mask`), or the mask is dropped;
- the class that defines its `compute_mask` (`Layer` when it is the default, which returns the previous
  mask).
Instances are made with the constructor arguments of `CONSTRUCTORS` (or none); a class whose constructor
cannot run without more is read from its source: `supports_masking` from `self.supports_masking = True` in
the `__init__` of the class or a base, or an overridden `compute_mask` (`Layer.__init__`'s rule). The
`source` column says which.

Per operation class: every subclass of `keras.src.ops.operation.Operation` defined in a `keras.src.ops`
module, by module and class name; a Functional config records such a node with `module` set to that
module (`keras.src.ops.numpy`, ...).

Producer: the pinned environment of scripts/corpus/requirements.txt (keras 3.15.1, jax 0.10.2), backend jax.
Usage:    KERAS_BACKEND=jax .venv-corpus/bin/python scripts/conformance/make_layer_calls.py [--out FILE] [--check]
"""

import argparse
import ast
import importlib
import inspect
import os
import pkgutil
import re
import sys
import textwrap

os.environ["KERAS_BACKEND"] = "jax"
os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
from keras.src.layers.layer import Layer  # noqa: E402
from keras.src.ops.operation import Operation  # noqa: E402

L = keras.layers

# Constructor arguments for classes that need some; every other class is built with none.
CONSTRUCTORS = {
    "Activation": lambda: L.Activation("relu"),
    "AdaptiveAveragePooling1D": lambda: L.AdaptiveAveragePooling1D(2),
    "AdaptiveAveragePooling2D": lambda: L.AdaptiveAveragePooling2D(2),
    "AdaptiveAveragePooling3D": lambda: L.AdaptiveAveragePooling3D(2),
    "AdaptiveMaxPooling1D": lambda: L.AdaptiveMaxPooling1D(2),
    "AdaptiveMaxPooling2D": lambda: L.AdaptiveMaxPooling2D(2),
    "AdaptiveMaxPooling3D": lambda: L.AdaptiveMaxPooling3D(2),
    "AdditiveAttention": lambda: L.AdditiveAttention(),
    "AlphaDropout": lambda: L.AlphaDropout(0.1),
    "AveragePooling1D": lambda: L.AveragePooling1D(2),
    "AveragePooling2D": lambda: L.AveragePooling2D(2),
    "AveragePooling3D": lambda: L.AveragePooling3D(2),
    "Bidirectional": lambda: L.Bidirectional(L.LSTM(1)),
    "CategoryEncoding": lambda: L.CategoryEncoding(2),
    "CenterCrop": lambda: L.CenterCrop(2, 2),
    "Conv1D": lambda: L.Conv1D(1, 1),
    "Conv1DTranspose": lambda: L.Conv1DTranspose(1, 1),
    "Conv2D": lambda: L.Conv2D(1, 1),
    "Conv2DTranspose": lambda: L.Conv2DTranspose(1, 1),
    "Conv3D": lambda: L.Conv3D(1, 1),
    "Conv3DTranspose": lambda: L.Conv3DTranspose(1, 1),
    "ConvLSTM1D": lambda: L.ConvLSTM1D(1, 1),
    "ConvLSTM2D": lambda: L.ConvLSTM2D(1, 1),
    "ConvLSTM3D": lambda: L.ConvLSTM3D(1, 1),
    "Dense": lambda: L.Dense(1),
    "DepthwiseConv1D": lambda: L.DepthwiseConv1D(1),
    "DepthwiseConv2D": lambda: L.DepthwiseConv2D(1),
    "Discretization": lambda: L.Discretization(bin_boundaries=[0.0]),
    "Dot": lambda: L.Dot(axes=1),
    "Dropout": lambda: L.Dropout(0.5),
    "EinsumDense": lambda: L.EinsumDense("ab,bc->ac", output_shape=1),
    "Embedding": lambda: L.Embedding(1, 1),
    "GaussianDropout": lambda: L.GaussianDropout(0.1),
    "GaussianNoise": lambda: L.GaussianNoise(0.1),
    "GroupNormalization": lambda: L.GroupNormalization(groups=1),
    "GroupQueryAttention": lambda: L.GroupQueryAttention(2, 2, 1),
    "GRU": lambda: L.GRU(1),
    "GRUCell": lambda: L.GRUCell(1),
    "HashedCrossing": lambda: L.HashedCrossing(2),
    "Hashing": lambda: L.Hashing(2),
    "Lambda": lambda: L.Lambda(keras.activations.relu),
    "LSTM": lambda: L.LSTM(1),
    "LSTMCell": lambda: L.LSTMCell(1),
    "MaxNumBoundingBoxes": lambda: L.MaxNumBoundingBoxes(1),
    "MaxPooling1D": lambda: L.MaxPooling1D(),
    "MultiHeadAttention": lambda: L.MultiHeadAttention(1, 1),
    "Permute": lambda: L.Permute((1,)),
    "RandomCrop": lambda: L.RandomCrop(2, 2),
    "RandomRotation": lambda: L.RandomRotation(0.1),
    "RandomTranslation": lambda: L.RandomTranslation(0.1, 0.1),
    "RandomZoom": lambda: L.RandomZoom(0.1),
    "RepeatVector": lambda: L.RepeatVector(2),
    "Rescaling": lambda: L.Rescaling(1.0),
    "Reshape": lambda: L.Reshape((1,)),
    "Resizing": lambda: L.Resizing(2, 2),
    "ReversibleEmbedding": lambda: L.ReversibleEmbedding(2, 2),
    "RNN": lambda: L.RNN(L.SimpleRNNCell(1)),
    "SeparableConv1D": lambda: L.SeparableConv1D(1, 1),
    "SeparableConv2D": lambda: L.SeparableConv2D(1, 1),
    "SimpleRNN": lambda: L.SimpleRNN(1),
    "SimpleRNNCell": lambda: L.SimpleRNNCell(1),
    "SpatialDropout1D": lambda: L.SpatialDropout1D(0.5),
    "SpatialDropout2D": lambda: L.SpatialDropout2D(0.5),
    "SpatialDropout3D": lambda: L.SpatialDropout3D(0.5),
    "SpectralNormalization": lambda: L.SpectralNormalization(L.Dense(1)),
    "StackedRNNCells": lambda: L.StackedRNNCells([L.SimpleRNNCell(1)]),
    "TimeDistributed": lambda: L.TimeDistributed(L.Dense(1)),
    "TorchModuleWrapper": None,  # needs torch
}


def layer_classes():
    result = {}
    for name in dir(L):
        value = getattr(L, name)
        if inspect.isclass(value) and issubclass(value, Layer) and name[0].isupper():
            result[name] = value
    return dict(sorted(result.items()))


def call_parameters(cls):
    return [p.name for p in inspect.signature(cls.call).parameters.values() if p.name != "self"]


def compute_mask_owner(cls):
    for base in cls.__mro__:
        if "compute_mask" in base.__dict__:
            return base.__name__
    return "Layer"


def sets_supports_masking(cls):
    """`self.supports_masking = True` in the `__init__` of `cls` or a base below `Layer`."""
    for base in cls.__mro__:
        if base is Layer:
            return False
        if "__init__" not in base.__dict__:
            continue
        try:
            tree = ast.parse(textwrap.dedent(inspect.getsource(base.__init__)))
        except (OSError, TypeError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Attribute) and target.attr in ("supports_masking", "_supports_masking"):
                        return isinstance(node.value, ast.Constant) and node.value.value is True
    return False


def constructor_arguments(cls):
    """The keyword arguments `cls(...)` accepts: its `__init__`'s named parameters and, while an `__init__`
    passes `**kwargs` on to its base, the base's (down to `Layer.__init__`, which takes `input_dim` and
    `input_shape` and raises on anything else). `open` is true when some `__init__` swallows `**kwargs`
    without passing them to `Layer` (then Keras accepts any argument)."""
    accepted = []
    for base in cls.__mro__:
        if "__init__" not in base.__dict__:
            continue
        parameters = inspect.signature(base.__init__).parameters.values()
        # Arguments an `__init__` takes out of `**kwargs` itself (`kwargs.pop("rms_scaling", False)`).
        try:
            body = textwrap.dedent(inspect.getsource(base.__init__))
        except (OSError, TypeError):
            body = ""
        for match in re.finditer(r"kwargs\.(?:pop|get)\(\s*[\"']([A-Za-z_][A-Za-z0-9_]*)[\"']", body):
            if match.group(1) not in accepted:
                accepted.append(match.group(1))
        for parameter in parameters:
            if parameter.name != "self" and parameter.kind in (parameter.POSITIONAL_OR_KEYWORD, parameter.KEYWORD_ONLY) and parameter.name not in accepted:
                accepted.append(parameter.name)
        if base is Layer:
            accepted += [name for name in ("input_dim", "input_shape") if name not in accepted]
            return accepted, False
        if not any(parameter.kind == parameter.VAR_KEYWORD for parameter in parameters):
            return accepted, False
        source = textwrap.dedent(inspect.getsource(base.__init__))
        if "**kwargs" not in source.split(":", 1)[1] if ":" in source else True:
            return accepted, True
    return accepted, True


def layer_facts():
    facts = []
    for name, cls in layer_classes().items():
        owner = compute_mask_owner(cls)
        constructor = CONSTRUCTORS.get(name, cls)
        supports, source = None, "instance"
        if constructor is not None:
            try:
                supports = bool(constructor().supports_masking)
            except Exception:  # constructors that need more than the table gives: read the source
                supports = None
        if supports is None:
            supports, source = (owner != "Layer") or sets_supports_masking(cls), "source"
        arguments, open_keywords = constructor_arguments(cls)
        facts.append((name, call_parameters(cls), supports, owner, source, arguments, open_keywords, cls.__module__))
    return facts


def operation_facts():
    import keras.src.ops as ops_package

    found = {}
    for module_info in pkgutil.iter_modules(ops_package.__path__):
        if module_info.name.endswith("_test"):
            continue
        module_name = f"keras.src.ops.{module_info.name}"
        module = importlib.import_module(module_name)
        for name, value in vars(module).items():
            if inspect.isclass(value) and issubclass(value, Operation) and value.__module__ == module_name and value is not Operation:
                found[(module_name, name)] = value
    return sorted(found)


def resolvable_modules():
    """Per layer or model class: the modules `_retrieve_class_or_fn` resolves it from, checked the way it
    checks: `module.name` registered as a public API name, or the class found by `vars(import(module))`.
    Candidates: every prefix of the registered API names, `keras.models`, and each class's own module
    with its parent packages."""
    from keras.src import api_export

    classes = dict(layer_classes())
    classes.update({"Sequential": keras.Sequential, "Model": keras.Model, "Functional": keras.src.models.functional.Functional})
    candidates = {name.rsplit(".", 1)[0] for name in api_export.REGISTERED_NAMES_TO_OBJS} | {"keras.models"}
    for cls in classes.values():
        parts = cls.__module__.split(".")
        candidates |= {".".join(parts[:i]) for i in range(1, len(parts) + 1)}
    result = {}
    for name, cls in sorted(classes.items()):
        modules = []
        for module_name in sorted(candidates):
            if api_export.get_symbol_from_name(f"{module_name}.{name}") is cls:
                modules.append(module_name)
                continue
            try:
                module = importlib.import_module(module_name)
            except Exception:
                continue
            if vars(module).get(name) is cls:
                modules.append(module_name)
        result[name] = modules
    return result


def namespace_facts():
    result = []
    for key in ("activations", "initializers", "regularizers", "constraints", "losses", "metrics", "optimizers"):
        module = importlib.import_module(f"keras.src.{key}")
        result.append((key, sorted(module.ALL_OBJECTS_DICT)))
    return result


def object_arguments():
    """Constructor parameters of every class in the initializer, regularizer and constraint namespaces
    (`from_config` calls `cls(**config)`, so any other key is a TypeError), keyed `namespace.Class`."""
    result = {}
    for key in ("initializers", "regularizers", "constraints"):
        module = importlib.import_module(f"keras.src.{key}")
        for name, value in sorted(module.ALL_OBJECTS_DICT.items()):
            if inspect.isclass(value):
                parameters = inspect.signature(value.__init__).parameters.values()
                if any(p.kind == p.VAR_KEYWORD for p in parameters):
                    continue
                result[f"{key}.{name}"] = [p.name for p in parameters if p.name != "self"]
    return result


def operation_arguments():
    """Constructor parameters of every operation class (`Operation.from_config` calls `cls(**config)`)."""
    result = {}
    for module_name, name in operation_facts():
        cls = getattr(importlib.import_module(module_name), name)
        parameters = inspect.signature(cls.__init__).parameters.values()
        if any(p.kind == p.VAR_KEYWORD for p in parameters):
            continue
        result[name] = [p.name for p in parameters if p.name != "self"]
    return result


def swift_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render():
    layers = layer_facts()
    operations = operation_facts()
    layer_lines = []
    for name, parameters, supports, owner, source, arguments, open_keywords, module in layers:
        params = ", ".join(swift_string(p) for p in parameters)
        args = ", ".join(swift_string(a) for a in arguments)
        layer_lines.append(
            f"        {swift_string(name)}: LayerCallFacts(parameters: [{params}], supportsMasking: {str(supports).lower()}, "
            f"computeMaskOwner: {swift_string(owner)}, fromSource: {str(source == 'source').lower()}, "
            f"constructorArguments: [{args}], acceptsAnyArgument: {str(open_keywords).lower()}, module: {swift_string(module)}),"
        )
    op_lines = [f"        ({swift_string(module)}, {swift_string(name)})," for module, name in operations]
    module_lines = [f"        {swift_string(name)}: [{', '.join(swift_string(m) for m in modules)}]," for name, modules in resolvable_modules().items()]
    argument_lines = [f"        {swift_string(name)}: [{', '.join(swift_string(a) for a in args)}]," for name, args in object_arguments().items()]
    op_argument_lines = [f"        {swift_string(name)}: [{', '.join(swift_string(a) for a in args)}]," for name, args in sorted(operation_arguments().items())]
    namespace_lines = []
    for key, names in namespace_facts():
        namespace_lines.append(f"        {swift_string(key)}: [{', '.join(swift_string(n) for n in names)}],")
    return f'''// Generated by scripts/conformance/make_layer_calls.py from Keras {keras.__version__} (backend jax). Do not edit.
// Regenerate: KERAS_BACKEND=jax .venv-corpus/bin/python scripts/conformance/make_layer_calls.py

/// What `Layer.__call__` of Keras {keras.__version__} knows of a layer class: its `call` parameters, whether an
/// instance supports masking, and the class whose `compute_mask` it inherits.
struct LayerCallFacts: Sendable {{
    /// The parameter names of `call`, in order, without `self`.
    let parameters: [String]
    /// `supports_masking` after the constructor: the mask of the first argument goes through `compute_mask`
    /// onto the outputs; otherwise it is dropped.
    let supportsMasking: Bool
    /// The class defining `compute_mask` (`Layer`: the previous mask is passed on unchanged).
    let computeMaskOwner: String
    /// Whether `supportsMasking` was read from the class's source because its constructor needs arguments
    /// the generator does not give.
    let fromSource: Bool
    /// The keyword arguments the constructor accepts, down to `Layer.__init__` (which raises "Unrecognized
    /// keyword arguments" for any other), in declaration order.
    let constructorArguments: [String]
    /// Whether some `__init__` swallows `**kwargs` without passing them on, so any argument is accepted.
    let acceptsAnyArgument: Bool
    /// The module that defines the class (`keras.src.layers.core.dense`), which a config may name instead
    /// of the public `keras.layers`.
    let module: String
}}

enum KerasCallFacts {{
    /// The Keras release these facts were read from.
    static let kerasVersion = "{keras.__version__}"

    /// Every public class of `keras.layers` that subclasses `Layer`, by exported name.
    static let layers: [String: LayerCallFacts] = [
{chr(10).join(layer_lines)}
    ]

    /// Per layer or model class, the `module` values Keras resolves it from (a public API name, or the
    /// class found in that module); any other module is Keras's "Could not deserialize" error.
    static let resolvableModules: [String: Set<String>] = [
{chr(10).join(module_lines)}
    ]

    /// The constructor parameters of each initializer, regularizer and constraint class, keyed
    /// `initializers.GlorotUniform` (classes whose constructor takes `**kwargs` are left out).
    static let objectArguments: [String: [String]] = [
{chr(10).join(argument_lines)}
    ]

    /// The constructor parameters of each operation class (those taking `**kwargs` are left out).
    static let operationArguments: [String: [String]] = [
{chr(10).join(op_argument_lines)}
    ]

    /// The names `get` resolves in each namespace (`ALL_OBJECTS_DICT` of `keras.src.activations`,
    /// `initializers`, `regularizers`, `constraints`, `losses`, `metrics`, `optimizers`): a name outside
    /// these is refused by Keras ("Could not interpret ... identifier").
    static let namespaces: [String: Set<String>] = [
{chr(10).join(namespace_lines)}
    ]

    /// Every `Operation` subclass a `keras.src.ops` module defines, as (module, class name).
    static let operations: [(module: String, name: String)] = [
{chr(10).join(op_lines)}
    ]
}}
'''


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "..", "Sources", "KerasReference", "Generated", "KerasCallFacts.swift")
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=default)
    parser.add_argument("--check", action="store_true", help="fail when the committed file differs from what this writes")
    args = parser.parse_args()
    text = render()
    if args.check:
        with open(args.out, encoding="utf-8") as handle:
            if handle.read() != text:
                print(f"{args.out} differs from what {os.path.basename(__file__)} writes; regenerate it", file=sys.stderr)
                return 1
        print(f"{args.out} is up to date")
        return 0
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as handle:
        handle.write(text)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
