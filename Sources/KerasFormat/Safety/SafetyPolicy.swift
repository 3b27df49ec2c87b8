import Foundation
import KerasJSON

/// Which classes and functions a Keras config may name: the modelling objects of real Keras
/// (``KerasAllowList``, generated from the release in ``kerasVersion``) plus the user's own registrations.
///
/// The policy mirrors how Keras resolves a reference while loading (FORMAT.md 8.2): registered objects
/// first, then `keras.*` names, then the `builtins` search of the built-in namespaces; what Keras would
/// find anywhere else (any other module, unregistered names) is refused, as are exported Keras objects
/// that are not modelling math. Nothing is ever imported or executed.
public struct SafetyPolicy: Sendable {
    /// The user's own objects, from `--allow` and allow files.
    public var registrations: [AllowRegistration]

    /// The policy with `registrations` on top of the Keras allow-list.
    public init(registrations: [AllowRegistration] = []) {
        self.registrations = registrations
    }

    /// The Keras release the allow-list was generated from.
    public static let kerasVersion = KerasAllowList.kerasVersion

    /// tf.keras layer classes that run TensorFlow ops named in their config (THREATS.md A8).
    public static let foreignFrameworkClasses: Set<String> = ["TFOpLambda", "SlicingOpLambda", "TensorFlowOpLayer", "KerasLayer"]

    /// Packages whose modules Keras imports while resolving a class (serialization_lib `_retrieve_class_or_fn`).
    public static let importedPackages: Set<String> = ["keras", "keras_hub", "keras_cv", "keras_nlp"]

    private var index: KerasObjectIndex { KerasObjectIndex.shared }

    // MARK: Verdicts

    /// The verdict on a class envelope (FORMAT.md 2.1, 8.2). `registeredName` is the `registered_name`
    /// field: nil when null, and the class name when the key is absent, as Keras defaults it.
    public func allowed(module: String?, className: String, registeredName: String?) -> SafetyVerdict {
        if let registration = registrations.first(where: { $0.matchesClass(module: module, className: className, registeredName: registeredName) }) {
            return .registered(registration)
        }
        guard let module else { return moduleLessClass(className, registeredName: registeredName) }
        let qualified = "\(module).\(className)"
        guard Self.isKerasModule(module) else {
            let package = module.split(separator: ".").first.map(String.init) ?? module
            let imported = Self.importedPackages.contains(package) ? ", which Keras imports" : ""
            let hint = registeredName.flatMap { $0.contains(">") ? $0 : nil } ?? "\(module)>\(className)"
            return .refused(.unknownObject, "\(qualified) is outside Keras \(Self.kerasVersion)\(imported); "
                + "Keras resolves it only to an object you registered" + Self.registrationHint(hint))
        }
        guard let entry = index.classes[qualified] else {
            let reason = index.nonModellingAPIs.contains(qualified) ? " (on Keras's own denylist)" : ""
            return .refused(.nonModellingKerasObject, "\(qualified) is not a modelling class of Keras \(Self.kerasVersion)\(reason)")
        }
        guard entry.allowed else {
            return .refused(.externalModelLayer, "\(qualified) resolves to \(entry.object.canonicalName), which loads another model")
        }
        if let registeredName, registeredName != className {
            return .refused(.foreignRegisteredName, "the built-in \(entry.object.canonicalName) carries registered_name \"\(registeredName)\", "
                + "which Keras looks up among registered objects first")
        }
        return .allowed(entry.object)
    }

    /// The verdict on a function envelope `{"module", "class_name": "function", "config": name, "registered_name"}`
    /// (FORMAT.md 2.1, 8.2), or a Keras 2 `function_type: "function"` reference.
    public func allowedFunction(module: String?, name: String, registeredName: String?) -> SafetyVerdict {
        if let registration = registrations.first(where: { $0.matchesFunction(module: module, name: name) }) {
            return .registered(registration)
        }
        let verdict: SafetyVerdict
        switch module {
        case "builtins"?:
            guard let builtin = index.builtinFunctions[name] else {
                return .refused(.unknownObject, "function \"\(name)\" is none of Keras's built-in functions; Keras finds it only among "
                    + "objects you registered" + Self.registrationHint(name))
            }
            verdict = builtin.allowed
                ? .allowed(KerasObject(canonicalName: builtin.canonical, isFunction: true))
                : .refused(.nonModellingKerasObject, "function \"\(name)\" resolves to \(builtin.canonical), which is not tensor math")
        case let module? where Self.isKerasModule(module):
            let api = "\(module).\(name)"
            if index.functions.contains(api) {
                verdict = .allowed(KerasObject(canonicalName: api, isFunction: true))
            } else {
                let why = index.nonModellingAPIs.contains(api) ? "is on Keras's own denylist"
                    : index.excludedFunctions[api].map { "is excluded: \($0)" } ?? "is not a modelling function of Keras \(Self.kerasVersion)"
                return .refused(.nonModellingKerasObject, "\(api) \(why)")
            }
        default:
            let qualified = module.map { "\($0).\(name)" } ?? name
            let hint = name.contains(">") ? name : module.map { "\($0)>\(name)" } ?? name
            return .refused(.unknownObject, "function \(qualified) is outside Keras; Keras resolves it only to an object you registered"
                + Self.registrationHint(hint))
        }
        if let registeredName, registeredName != "function", registeredName != name {
            return .refused(.foreignRegisteredName, "the built-in function \(name) carries registered_name \"\(registeredName)\"")
        }
        return verdict
    }

    /// A class envelope without `module`: legacy `.h5` and Keras 2 configs name layers by class name only.
    private func moduleLessClass(_ className: String, registeredName: String?) -> SafetyVerdict {
        if Self.foreignFrameworkClasses.contains(className) {
            return .refused(.foreignFrameworkLayer, "\(className) is a tf.keras layer that runs a TensorFlow op named in its config")
        }
        if let registeredName, registeredName != className {
            return .refused(.unknownObject, "\"\(registeredName)\" is a registered object that is not in the allow-list"
                + Self.registrationHint(registeredName))
        }
        guard let entry = index.shortNames[className] else {
            return .refused(.unknownObject, "\(className) is not a Keras \(Self.kerasVersion) class" + Self.registrationHint(className))
        }
        guard entry.allowed else {
            return .refused(.externalModelLayer, "\(className) resolves to \(entry.object.canonicalName), which loads another model")
        }
        return .allowed(entry.object)
    }

    static func isKerasModule(_ module: String) -> Bool { module == "keras" || module.hasPrefix("keras.") }

    private static func registrationHint(_ name: String) -> String {
        "; if it is your own, allow it with --allow \(name)"
    }

    // MARK: Scanning

    /// Every safety finding in `config` (a `config.json`, a legacy `model_config` or `training_config`),
    /// each located by its JSON pointer under `location`. Looks at every value at every depth; never
    /// recurses (an explicit stack), so any depth the JSON reader accepts is safe.
    public func scan(config: JSONValue, at location: Location) -> [Finding] {
        var scan = ConfigSafetyScan(policy: self, location: location)
        scan.run(config)
        return scan.findings
    }

    // MARK: Allow files

    /// The registrations of an allow file: one per line; blank lines and `#` comments are skipped.
    public static func registrations(fromFile path: String) throws(AllowFileError) -> [AllowRegistration] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AllowFileError(path: path, line: nil, reason: "cannot be read")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw AllowFileError(path: path, line: nil, reason: "is not UTF-8 text")
        }
        return try registrations(fromText: text, path: path)
    }

    /// The registrations of allow-file `text`; `path` names it in errors.
    public static func registrations(fromText text: String, path: String) throws(AllowFileError) -> [AllowRegistration] {
        var result: [AllowRegistration] = []
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard let registration = AllowRegistration(trimmed) else {
                throw AllowFileError(path: path, line: number + 1, reason: "\"\(trimmed)\" is not MODULE>NAME, PACKAGE>* or NAME")
            }
            result.append(registration)
        }
        return result
    }
}
