import KerasJSON

/// How Keras 3 compiles the optimizer of a legacy `.h5` file's `training_config` (LSU:130-146):
/// `optimizers.deserialize` lower-cases a built-in class name and otherwise returns an unresolved name as
/// the string itself (OPT:57-77, SER:607-611); `_resolve_compile_arguments_compat` (LSU:235-246) then
/// replaces that string with `optimizers.get(optimizer_config["config"]["name"])`:
///
///     if isinstance(obj, str) and obj not in module.ALL_OBJECTS_DICT:
///         obj = module.get(obj_config["config"]["name"])
///
/// tf-keras writes its built-in optimizers as `Custom>Adam`, so every compiled Keras 2 file takes this
/// path: Keras 3 compiles a default-configured optimizer of that name, and its `optimizer_weights` fail to
/// load with a warning. Only this tf-keras spelling is treated here; any other unresolved class name is
/// left to the safety policy, since a custom object registered under it would be instantiated instead.
public enum LegacyTrainingConfig {
    /// The lower-cased names of `keras.optimizers.ALL_OBJECTS` (OPT:21-40).
    public static let kerasOptimizers: Set<String> = [
        "optimizer", "adam", "sgd", "rmsprop", "adadelta", "adamw", "adagrad", "adamax", "adafactor", "muon",
        "multioptimizer", "optimizermap", "nadam", "ftrl", "lion", "lossscaleoptimizer", "schedulefreeadamw",
    ]
    /// The package `register_keras_serializable` uses by default, under which tf-keras registers its optimizers.
    public static let tfKerasPackage = "Custom>"

    /// The findings about the optimizer, and `training` as the safety scan should see it: a tf-keras
    /// optimizer envelope is reduced to its plain `config` dict, since Keras never resolves its class.
    static func review(_ training: JSONValue, at location: Location) -> (findings: [Finding], scanned: JSONValue) {
        guard var object = training.objectValue, var optimizer = object["optimizer_config"]?.objectValue,
              let className = optimizer["class_name"]?.stringValue, className.hasPrefix(tfKerasPackage),
              !kerasOptimizers.contains(className.lowercased()),
              kerasOptimizers.contains(String(className.dropFirst(tfKerasPackage.count)).lowercased())
        else { return ([], training) }
        let pointer = "/optimizer_config/class_name"
        let name = optimizer["config"]?["name"]?.stringValue
        let finding: Finding
        if let name, kerasOptimizers.contains(name.lowercased()) {
            finding = Finding(.legacyOptimizerByName,
                              "\(className) is tf-keras's optimizer class; Keras 3 compiles optimizers.get(\"\(name)\") instead, a default-configured optimizer: the saved hyperparameters and optimizer_weights are not restored",
                              at: location.with(jsonPointer: pointer))
        } else {
            let shown = name.map { "\"\($0)\"" } ?? "no name"
            finding = Finding(.legacyOptimizerUnresolved,
                              "\(className) is tf-keras's optimizer class and its config has \(shown): Keras 3 load_model(compile=True) raises \"Could not interpret optimizer identifier\"; only compile=False loads",
                              at: location.with(jsonPointer: pointer))
        }
        optimizer.removeValue(forKey: "class_name")
        object["optimizer_config"] = .object(optimizer)
        return ([finding], .object(object))
    }
}
