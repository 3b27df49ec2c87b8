/// The safety rules: what a config may name, and what kconform refuses to vouch for.
///
/// Each rule generalises over a threat class of docs/THREATS.md: references are resolved against
/// the allow-list generated from real Keras (``KerasAllowList``) plus the user's registrations, and
/// every JSON value at every depth is looked at. Code or file access is an error; a questionable but
/// harmless construct is a warning.
extension Rule {
    /// Python bytecode in the config: `__lambda__`, a Keras 2 `function_type: "lambda"`, a Keras 2 list-form
    /// Lambda function, or a bare `{"value": [code, defaults, closure]}` activation.
    public static let lambdaCode = Rule(
        id: "KC-SAFE-001", name: "lambdaCode", severity: .error, source: .safety,
        rationale: "Marshalled Python bytecode runs when loaded with safe_mode=False, and always in tf.keras < 2.13 and in Keras 3.0-3.11.2 legacy .h5 (CVE-2024-3660, CVE-2025-9905; THREATS.md A1-A3).")
    /// A class or function reference outside Keras that the user has not registered.
    public static let unknownObject = Rule(
        id: "KC-SAFE-002", name: "unknownObject", severity: .error, source: .safety,
        rationale: "A module, class or function outside the Keras allow-list resolves to whatever the loading process has registered or imports (CVE-2025-1550, THREATS.md A4); register your own objects with --allow.")
    /// A `keras.*` class or function that is not a modelling object.
    public static let nonModellingKerasObject = Rule(
        id: "KC-SAFE-003", name: "nonModellingKerasObject", severity: .error, source: .safety,
        rationale: "Exported Keras functions that are not tensor math (get_file, enable_unsafe_deserialization, load_model, higher-order ops) run at load with arguments from the file; Keras denies only 26 of them (CVE-2025-8747, CVE-2025-9906, THREATS.md A5).")
    /// A built-in Keras object carrying a `registered_name` of its own.
    public static let foreignRegisteredName = Rule(
        id: "KC-SAFE-004", name: "foreignRegisteredName", severity: .error, source: .safety,
        rationale: "Keras looks registered_name up among registered objects first, so a built-in class name can be redirected to any registered class; built-ins carry null or their own name (FORMAT.md 8.2, THREATS.md A4).")
    /// A lookup or text-vectorization layer whose vocabulary is a path.
    public static let vocabularyFile = Rule(
        id: "KC-SAFE-005", name: "vocabularyFile", severity: .error, source: .safety,
        rationale: "A string vocabulary is opened with tf.io.gfile, reading local or remote files named by the config (CVE-2025-12058, THREATS.md A6).")
    /// A layer that loads another model: TFSMLayer, TorchModuleWrapper.
    public static let externalModelLayer = Rule(
        id: "KC-SAFE-006", name: "externalModelLayer", severity: .error, source: .safety,
        rationale: "TFSMLayer loads a SavedModel directory named by the config; TorchModuleWrapper unpickles torch.save bytes (CVE-2026-1462, CVE-2025-49655, THREATS.md A7).")
    /// A layer class of another framework that runs that framework's ops (tf.keras `TFOpLambda`).
    public static let foreignFrameworkLayer = Rule(
        id: "KC-SAFE-007", name: "foreignFrameworkLayer", severity: .error, source: .safety,
        rationale: "tf.keras op layers name a TensorFlow function (io.write_file, ...) that runs on call (THREATS.md A8).")
    /// A Lambda layer whose function is allow-listed or registered.
    public static let lambdaLayer = Rule(
        id: "KC-SAFE-008", name: "lambdaLayer", severity: .warning, source: .safety,
        rationale: "The function is known modelling math or your own registered code, so loading is safe; Lambda layers still tie a model to Python callables and are not portable (THREATS.md A1).")
    /// A JaxLayer or FlaxLayer: functions of another framework, each checked like any reference.
    public static let foreignCodeLayer = Rule(
        id: "KC-SAFE-009", name: "foreignCodeLayer", severity: .warning, source: .safety,
        rationale: "JaxLayer and FlaxLayer call functions and modules named in their config; each is resolved against the allow-list like any other reference (THREATS.md A2).")
    /// A JSON object with a repeated key.
    public static let duplicateJSONKey = Rule(
        id: "KC-SAFE-010", name: "duplicateJSONKey", severity: .warning, source: .safety,
        rationale: "Python's json keeps the last value of a repeated key, as kconform does; a scanner that keeps the first sees another config than Keras loads. Keras never writes one.")
    /// Deflated members declare more bytes than kconform inflates for one file.
    public static let inflateBudget = Rule(
        id: "KC-SAFE-011", name: "inflateBudget", severity: .error, source: .safety,
        rationale: "Deflated members are inflated to be checked; ReadLimits.maxInflatedBytes keeps that within kconform's promise of input size plus 256 MB and 2 s per 100 MB, below the zip reader's 4 GiB and 100x. Keras writes stored members, which cost nothing to read (THREATS.md C1, C2).")

    /// Every safety rule, in id order.
    public static let safetyRules: [Rule] = [
        lambdaCode, unknownObject, nonModellingKerasObject, foreignRegisteredName, vocabularyFile,
        externalModelLayer, foreignFrameworkLayer, lambdaLayer, foreignCodeLayer, duplicateJSONKey, inflateBudget,
    ]

    /// The threat class each safety rule answers.
    static let safetyThreats: [String: ThreatClass] = [
        lambdaCode.id: .a1, unknownObject.id: .a4, nonModellingKerasObject.id: .a5, foreignRegisteredName.id: .a4,
        vocabularyFile.id: .a6, externalModelLayer.id: .a7, foreignFrameworkLayer.id: .a8, lambdaLayer.id: .a1,
        foreignCodeLayer.id: .a2, duplicateJSONKey.id: .c4, inflateBudget.id: .c1,
    ]
}
