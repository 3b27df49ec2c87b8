import KerasBytes
import KerasFormat
import KerasHDF5
import KerasJSON
import KerasReference
import KerasZip

/// Property 3, safe mode: a lambda in either form placed anywhere in a valid config makes the safe load
/// fail with an error that names the JSON path of the lambda, and `kconform check` report it there; with
/// safe mode off the model loads (or is refused with a rule) and `predict` never runs the lambda.
///
/// The two forms are Keras 3's `__lambda__` marker (what `serialize_keras_object` writes for a Python
/// lambda, SER:679-688) and Keras 2's Lambda config (`function_type: "lambda"` with the marshalled code,
/// LAM:169-200). Placements: a layer of a `layers` list (top level or nested model) replaced by a Lambda
/// layer, the inner layer of a wrapper, an `activation` field, or any value of the config.
public enum SafeModeProperty {
    /// The property's name in reports.
    public static let name = "safe-mode"

    /// Where a lambda was put.
    public struct Placement: Sendable {
        /// How the lambda is written.
        public enum Form: String, Sendable, CaseIterable {
            /// `{"class_name": "__lambda__", "config": {"code", "defaults", "closure"}}` (Keras 3).
            case marker
            /// A Lambda config with `function_type: "lambda"` and the code in `function` (Keras 2).
            case keras2
        }

        /// What the lambda replaced.
        public enum Position: String, Sendable, CaseIterable {
            /// A layer of a `layers` list (the top-level model's or a nested model's).
            case layer
            /// The `layer` of a TimeDistributed or Bidirectional wrapper.
            case wrapped
            /// An `activation` or `recurrent_activation` field.
            case activation
            /// Any value of the config, the root excepted.
            case anyField = "any field"

            /// Whether `predict` would call the lambda if Keras had deserialized it.
            var isCalled: Bool { self != .anyField }
        }

        /// The form.
        public let form: Form
        /// The position.
        public let position: Position
        /// The JSON pointer a safe load must report: the marker object, or a Keras 2 config's `function`.
        public let pointer: String
        /// The config with the lambda.
        public let config: JSONValue
    }

    /// What one check saw.
    public struct Outcome: Sendable, Equatable {
        /// The rule id of the unsafe load's refusal, nil when the model loaded with safe mode off.
        public var unsafeLoadRefusal: String?
        /// The rule id of `predict`'s refusal after an unsafe load, nil when it ran or did not load.
        public var predictRefusal: String?
    }

    /// Puts one lambda into `config`, every decision drawn from `choices`.
    public static func place(in config: JSONValue, _ choices: inout Choices) -> Placement {
        typealias Step = ConfigMutator.JSONTree.Step
        var candidates: [Placement.Position: [[Step]]] = [:]
        collect(config, path: [], into: &candidates)
        let total = ConfigMutator.JSONTree.count(config)
        if total > 1 { candidates[.anyField] = [ConfigMutator.JSONTree.path(at: choices.int(in: 1...(total - 1)), in: config)] }
        let positions = Placement.Position.allCases.filter { !(candidates[$0]?.isEmpty ?? true) }
        let position = choices.element(of: positions)
        let path = choices.element(of: candidates[position]!)
        let form = choices.element(of: Placement.Form.allCases)
        let pointer = ConfigMutator.JSONTree.pointer(path)
        let value: JSONValue, expected: String
        switch (form, position) {
        case (.marker, .layer), (.marker, .wrapped):
            value = lambdaLayer.settingConfig([("name", .string("lambda_\(choices.int(in: 0...999))"))])
            expected = pointer + "/config/function"
        case (.marker, _):
            value = marker
            expected = pointer
        case (.keras2, .layer), (.keras2, .wrapped):
            value = keras2Layer
            expected = pointer + "/config/function"
        case (.keras2, _):
            value = .object(JSONObject([("function", keras2Function), ("function_type", .string("lambda")), ("module", .string("__main__"))]))
            expected = pointer + "/function"
        }
        return Placement(form: form, position: position, pointer: expected, config: ConfigMutator.JSONTree.replacing(path, in: config, with: value))
    }

    /// Checks one placement: the safe load, `kconform check`, then the unsafe load and `predict` on
    /// `inputs`.
    public static func check(_ placement: Placement, inputs: [Tensor]) throws(PropertyViolation) -> Outcome {
        let where_ = "\(placement.form.rawValue) lambda as \(placement.position.rawValue) at \(placement.pointer)"
        let safeLoad: ReferenceError?
        do throws(ReferenceError) {
            _ = try KerasModel.build(config: placement.config, options: LoadOptions(safeMode: true))
            safeLoad = nil
        } catch {
            safeLoad = error
        }
        guard let refusal = safeLoad else { throw PropertyViolation(name, "\(where_): the safe load succeeded") }
        guard refusal.code == ReferenceError.Code.unsafeLambda else {
            throw PropertyViolation(name, "\(where_): the safe load failed with \(refusal.code.ruleID) \(refusal.code.name) (\(refusal.reason)) instead of refusing the lambda")
        }
        guard refusal.location == placement.pointer else {
            throw PropertyViolation(name, "\(where_): the safe load refused a lambda at \(refusal.location)")
        }
        let file = KerasFile.read(bytes: ByteView(copying: try archive(placement.config)), name: "lambda.keras")
        let result = Checker().check(file)
        guard result.findings.contains(where: { $0.severity == .error && $0.location.jsonPointer == placement.pointer }) else {
            let seen = result.findings.map { "\($0.ruleID) at \($0.location.jsonPointer ?? "-")" }.joined(separator: ", ")
            throw PropertyViolation(name, "\(where_): kconform check reports no error there (findings: \(seen.isEmpty ? "none" : seen))")
        }
        var outcome = Outcome()
        let model: KerasModel
        do throws(ReferenceError) {
            model = try KerasModel.build(config: placement.config, options: LoadOptions(safeMode: false))
        } catch {
            if error.code == ReferenceError.Code.unsafeLambda { throw PropertyViolation(name, "\(where_): the unsafe load still refused the lambda") }
            outcome.unsafeLoadRefusal = error.code.ruleID
            return outcome
        }
        do throws(ReferenceError) {
            _ = try model.predict(inputs)
        } catch {
            outcome.predictRefusal = error.code.ruleID
        }
        if outcome.predictRefusal == nil, placement.position.isCalled {
            throw PropertyViolation(name, "\(where_): predict ran after an unsafe load; the lambda must never run")
        }
        return outcome
    }

    /// A config in an archive with empty weights, for the checker.
    static func archive(_ config: JSONValue) throws(PropertyViolation) -> [UInt8] {
        let metadata = JSONValue.object(JSONObject([("keras_version", .string(KerasModel.kerasVersion)), ("date_saved", .string("1970-01-01@00:00:00"))]))
        var zip = ZipWriter()
        zip.addFile(name: "metadata.json", contents: ByteView(copying: JSONWriter.dumpBytes(metadata)))
        zip.addFile(name: "config.json", contents: ByteView(copying: JSONWriter.dumpBytes(config)))
        do {
            zip.addFile(name: "model.weights.h5", contents: ByteView(copying: try HDF5Writer(destination: .fileObject).finish()))
            return try zip.archiveBytes()
        } catch {
            throw PropertyViolation(name, "cannot assemble an archive for the checker: \(error)")
        }
    }

    /// Keras 3.15.1's Lambda layer holding a lambda, from the templates.
    static let lambdaLayer = TemplateCatalogue.shared.layer("LambdaBytecode")
    /// Its `__lambda__` marker.
    static let marker = lambdaLayer["config"]?["function"] ?? .null
    /// The marshalled code, Keras 2's `function` value: `[code, defaults, closure]`.
    static let keras2Function = JSONValue.array([marker["config"]?["code"] ?? .null, .null, .null])
    /// A Keras 2 (tf-keras) Lambda layer config.
    static let keras2Layer = JSONValue.object(JSONObject([
        ("class_name", .string("Lambda")),
        ("config", .object(JSONObject([
            ("name", .string("lambda_keras2")), ("trainable", .bool(true)), ("dtype", .string("float32")),
            ("function", keras2Function), ("function_type", .string("lambda")), ("module", .string("__main__")),
            ("output_shape", .null), ("output_shape_type", .string("raw")), ("output_shape_module", .null), ("arguments", .object(JSONObject())),
        ]))),
    ]))

    private static func collect(_ value: JSONValue, path: [ConfigMutator.JSONTree.Step], into candidates: inout [Placement.Position: [[ConfigMutator.JSONTree.Step]]]) {
        switch value {
        case .object(let object):
            for (key, item) in object {
                let here = path + [.key(key)]
                if key == "layers", case .array(let layers) = item {
                    for index in layers.indices { candidates[.layer, default: []].append(here + [.index(index)]) }
                }
                if key == "layer" || key == "forward_layer" || key == "backward_layer", item["class_name"] != nil {
                    candidates[.wrapped, default: []].append(here)
                }
                if key == "activation" || key == "recurrent_activation" { candidates[.activation, default: []].append(here) }
                collect(item, path: here, into: &candidates)
            }
        case .array(let items):
            for (index, item) in items.enumerated() { collect(item, path: path + [.index(index)], into: &candidates) }
        default:
            break
        }
    }
}
