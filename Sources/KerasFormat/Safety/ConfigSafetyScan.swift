import KerasJSON

/// One walk of a config: every object at every depth is looked at once (FORMAT.md 2.1 value grammar).
struct ConfigSafetyScan {
    /// Special markers whose payload is data, not a reference (FORMAT.md 2.1).
    static let dataMarkers: Set<String> = ["__keras_tensor__", "__tensor__", "__numpy__", "__bytes__", "__slice__", "__ellipsis__"]
    static let lambdaMarker = "__lambda__"
    static let typeSpecMarker = "__typespec__"

    let policy: SafetyPolicy
    let location: Location
    private(set) var findings: [Finding] = []
    private var reported = Set<String>()

    init(policy: SafetyPolicy, location: Location) {
        self.policy = policy
        self.location = location
    }

    mutating func run(_ root: JSONValue) {
        var stack: [(JSONValue, String)] = [(root, "")]
        while let (value, pointer) = stack.popLast() {
            switch value {
            case .object(let object):
                guard visit(object, pointer: pointer) else { continue }
                for (key, child) in object.reversed() where Self.isContainer(child) {
                    stack.append((child, JSONPointer.appending(pointer, key)))
                }
            case .array(let items):
                for (index, child) in items.enumerated().reversed() where Self.isContainer(child) {
                    stack.append((child, JSONPointer.appending(pointer, index)))
                }
            default:
                continue
            }
        }
    }

    private mutating func report(_ rule: Rule, _ message: String, _ pointer: String) {
        guard reported.insert(rule.id + " " + pointer).inserted else { return }
        findings.append(Finding(rule, message, at: location.with(jsonPointer: pointer)))
    }

    // MARK: Objects

    /// Checks one object; returns whether its children are to be walked (not for code payloads).
    private mutating func visit(_ object: JSONObject, pointer: String) -> Bool {
        checkKeras2References(object, pointer: pointer)
        if object.count == 1, let value = object["value"]?.arrayValue, Self.isCodeTriple(value) {
            report(.lambdaCode, "a bare {\"value\": [code, defaults, closure]} holds marshalled Python bytecode", pointer)
            return false
        }
        guard let className = object["class_name"]?.stringValue, object["config"] != nil else { return true }
        if className == Self.lambdaMarker {
            report(.lambdaCode, "a __lambda__ object holds marshalled Python bytecode", pointer)
            return false
        }
        if Self.dataMarkers.contains(className) { return true }
        let module = object["module"]?.stringValue
        let registeredName: String? = object.index(forKey: "registered_name") == nil ? className : object["registered_name"]?.stringValue
        if className == "function", let name = object["config"]?.stringValue {
            reportRefusal(policy.allowedFunction(module: module, name: name, registeredName: registeredName), pointer)
            return true
        }
        let referenced = className == Self.typeSpecMarker ? object["spec_name"]?.stringValue ?? className : className
        let verdict = policy.allowed(module: module, className: referenced, registeredName: registeredName)
        reportRefusal(verdict, pointer)
        if case .allowed(let keras) = verdict, let config = object["config"]?.objectValue {
            checkTraits(keras, config: config, pointer: JSONPointer.appending(pointer, "config"))
        }
        return true
    }

    private mutating func reportRefusal(_ verdict: SafetyVerdict, _ pointer: String) {
        if case .refused(let rule, let reason) = verdict { report(rule, reason, pointer) }
    }

    /// What an allowed class does beyond math: Lambda functions, vocabulary paths, foreign code.
    private mutating func checkTraits(_ keras: KerasObject, config: JSONObject, pointer: String) {
        let name = config["name"]?.stringValue.map { " \"\($0)\"" } ?? ""
        if keras.traits.contains(.lambda) {
            let functionPointer = JSONPointer.appending(pointer, "function")
            switch config["function"] {
            case .array(let items)?:
                if Self.isCodeTriple(items) || config["function_type"]?.stringValue == "lambda" {
                    report(.lambdaCode, "a Keras 2 Lambda function [code, defaults, closure]; the legacy loader turns it into a __lambda__", functionPointer)
                }
            case .object(let function)?:
                if let accepted = acceptedFunction(function) {
                    report(.lambdaLayer, "Lambda layer\(name) calls \(accepted)", pointer)
                }
            case .string(let function)?:
                if config["function_type"]?.stringValue == "function",
                   policy.allowedFunction(module: config["module"]?.stringValue, name: function, registeredName: nil).isAccepted {
                    report(.lambdaLayer, "Lambda layer\(name) calls \(function)", pointer)
                }
            default:
                break
            }
        }
        if keras.traits.contains(.vocabulary), let path = config["vocabulary"]?.stringValue {
            report(.vocabularyFile, "\(keras.canonicalName)\(name) reads its vocabulary from the file \"\(path)\"",
                   JSONPointer.appending(pointer, "vocabulary"))
        }
        if keras.traits.contains(.foreignCode) {
            report(.foreignCodeLayer, "\(keras.canonicalName)\(name) calls functions of another framework; each is checked", pointer)
        }
    }

    /// The name of the function an envelope refers to, when the policy accepts it.
    private func acceptedFunction(_ function: JSONObject) -> String? {
        guard let className = function["class_name"]?.stringValue, className != Self.lambdaMarker else { return nil }
        let module = function["module"]?.stringValue
        let registeredName: String? = function.index(forKey: "registered_name") == nil ? className : function["registered_name"]?.stringValue
        let verdict: SafetyVerdict
        if className == "function", let name = function["config"]?.stringValue {
            verdict = policy.allowedFunction(module: module, name: name, registeredName: registeredName)
        } else {
            verdict = policy.allowed(module: module, className: className, registeredName: registeredName)
        }
        switch verdict {
        case .allowed(let keras): return "\(keras.canonicalName) (allow-listed)"
        case .registered(let registration): return "\(registration) (registered)"
        case .refused: return nil
        }
    }

    /// tf.keras `*_type` fields: `"lambda"` marks bytecode in the field it types, `"function"` a function
    /// named by string with its module in `module` or `<field>_module`.
    private mutating func checkKeras2References(_ object: JSONObject, pointer: String) {
        for (key, value) in object where key.hasSuffix("_type") && key.count > 5 {
            let field = String(key.dropLast(5))
            switch value.stringValue {
            case "lambda"?:
                report(.lambdaCode, "\(key) is \"lambda\": \(field) holds marshalled Python bytecode (Keras 2 form)",
                       JSONPointer.appending(pointer, field))
            case "function"?:
                guard let name = object[field]?.stringValue else { continue }
                let module = (field == "function" ? object["module"] : object[field + "_module"])?.stringValue
                reportRefusal(policy.allowedFunction(module: module, name: name, registeredName: nil), JSONPointer.appending(pointer, field))
            default:
                continue
            }
        }
    }

    /// Whether the value is an array or an object (scalars hold no references).
    private static func isContainer(_ value: JSONValue) -> Bool {
        switch value {
        case .array, .object: true
        default: false
        }
    }

    /// `[code, defaults, closure]` with a string first: what `func_dump` writes.
    private static func isCodeTriple(_ items: [JSONValue]) -> Bool {
        items.count == 3 && items[0].stringValue != nil
    }
}
