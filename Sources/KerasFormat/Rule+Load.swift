/// The rules of `kconform check --load`: the model is loaded with the reference core (safe mode, config
/// then weights), every error `keras.saving.load_model` would raise becomes a finding, and a model whose
/// layers all have forward math is run once on zeros in a child process under memory and CPU limits.
///
/// `KC-REF-NNN` mirror the reference core's `ReferenceError` codes (domain `REF`, same numbers and names;
/// a test keeps them in step). They are errors: Keras refuses the file the same way.
extension Rule {
    /// The model was loaded.
    public static let modelLoaded = Rule(
        id: "KC-LOAD-001", name: "modelLoaded", severity: .info, source: .format,
        rationale: "check --load built the model from its config in safe mode and assigned every stored variable, as load_model does.")
    /// The load was not attempted because the checks found errors.
    public static let loadNotAttempted = Rule(
        id: "KC-LOAD-002", name: "loadNotAttempted", severity: .info, source: .format,
        rationale: "A file with error findings is not handed to the loader: the errors already say it must not be loaded.")
    /// The load was not attempted because its cost could not be bounded beforehand.
    public static let loadNotBounded = Rule(
        id: "KC-LOAD-003", name: "loadNotBounded", severity: .warning, source: .format,
        rationale: "Layers without build_config (legacy configs) are built by a zero-input run; kconform bounds that run beforehand for Sequential chains of simple layers (DeclaredVariables.dryRunClasses), runs any other in the limited child process of the zero-input predict, and with --predict-seconds 0 does not start one it cannot bound.")
    /// A registered custom class that the reference core cannot build.
    public static let customObjectNotLoaded = Rule(
        id: "KC-LOAD-004", name: "customObjectNotLoaded", severity: .warning, source: .format,
        rationale: "Classes registered with --allow are your code: Keras loads them with it, kconform cannot, so the load stops there without a verdict on the rest.")

    /// The zero-input predict ran and gave outputs of the shapes the message lists.
    public static let zeroInputPredicted = Rule(
        id: "KC-LOAD-005", name: "zeroInputPredicted", severity: .info, source: .format,
        rationale: "predict on zeros (batch 1, unknown dimensions 1) in a child process under the --predict-memory and --predict-seconds limits: the graph runs end to end.")
    /// The zero-input predict was not run: a layer has no forward math in kconform.
    public static let zeroInputPredictNotRun = Rule(
        id: "KC-LOAD-006", name: "zeroInputPredictNotRun", severity: .info, source: .format,
        rationale: "Layers without forward math load and re-save but cannot run (KC-REF-008); Keras may still run them.")
    /// The zero-input predict exceeded its memory or CPU limit, or its process ended abnormally.
    public static let zeroInputPredictLimit = Rule(
        id: "KC-LOAD-007", name: "zeroInputPredictLimit", severity: .warning, source: .format,
        rationale: "A model whose run on one zero sample needs more than the limits allows is costly for any loader that runs it; raise --predict-memory or --predict-seconds if it is expected.")

    private static func reference(_ number: Int, _ name: String, _ category: String, _ summary: String) -> Rule {
        Rule(id: "KC-REF-" + String(repeating: "0", count: max(0, 3 - String(number).count)) + String(number), name: name,
             severity: .error, source: .format, rationale: "\(category): \(summary) (load_model raises as well.)")
    }

    /// The reference core's load errors, by `ReferenceError.Code` number.
    public static let referenceRules: [Rule] = [
        reference(1, "invalidConfig", "malformed", "A config field is missing or has the wrong type."),
        reference(2, "unknownClass", "unsupported", "Could not locate the class: not built in and not a custom object."),
        reference(3, "unsafeLambda", "policyRejected", "Deserializing a Python lambda is refused in safe mode."),
        reference(4, "invalidGraph", "malformed", "The Functional graph has loops, disconnected nodes or unknown layers."),
        reference(5, "variableCountMismatch", "malformed", "The file holds a different number of variables than the layer has."),
        reference(6, "variableShapeMismatch", "malformed", "A stored variable has a different shape than the layer's."),
        reference(7, "loadFailed", "malformed", "A total of N objects could not be loaded."),
        reference(8, "notImplemented", "unsupported", "The layer loads and re-saves but has no forward math in kconform."),
        reference(9, "inputMismatch", "malformed", "predict needs one input per model input, with matching shapes."),
        reference(10, "unsupportedDType", "unsupported", "A variable dtype that cannot be converted."),
        reference(11, "notAModel", "malformed", "The file holds no model config."),
        reference(12, "saveFailed", "unsupported", "The output could not be written."),
    ]

    /// Every rule of `check --load`, in id order.
    public static let loadRules: [Rule] = [modelLoaded, loadNotAttempted, loadNotBounded, customObjectNotLoaded,
                                           zeroInputPredicted, zeroInputPredictNotRun, zeroInputPredictLimit] + referenceRules
}
