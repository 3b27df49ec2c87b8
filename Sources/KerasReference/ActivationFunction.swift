import Foundation
import KerasJSON

/// A built-in Keras activation, by its serialized name (`keras.activations`, ACT:77-102).
struct ActivationFunction: Sendable {
    let name: String
    private let apply: @Sendable (Tensor) -> Tensor

    private init(_ name: String, _ apply: @escaping @Sendable (Tensor) -> Tensor) {
        self.name = name
        self.apply = apply
    }

    private static func elementwise(_ name: String, _ function: @escaping @Sendable (Float) -> Float) -> ActivationFunction {
        ActivationFunction(name) { $0.map(function) }
    }

    func callAsFunction(_ tensor: Tensor) -> Tensor { apply(tensor) }

    static func sigmoid(_ x: Float) -> Float { 1 / (1 + exp(-x)) }
    static func softplus(_ x: Float) -> Float { max(x, 0) + log1p(exp(-abs(x))) }

    /// Softmax over the last axis, max-subtracted as XLA does.
    static func softmax(_ tensor: Tensor) -> Tensor {
        let width = max(tensor.lastDimension, 1)
        var out = tensor.scalars
        for start in stride(from: 0, to: out.count, by: width) {
            let row = out[start..<(start + width)]
            let peak = row.max() ?? 0
            var total: Float = 0
            for index in row.indices {
                out[index] = exp(out[index] - peak)
                total += out[index]
            }
            for index in row.indices { out[index] /= total }
        }
        return Tensor(shape: tensor.shape, scalars: out)
    }

    /// `jax.nn.glu` over the last axis: the first half times the sigmoid of the second (the last axis halves).
    static func glu(_ tensor: Tensor) -> Tensor {
        let width = max(tensor.lastDimension, 1), half = width / 2
        var out: [Float] = []
        out.reserveCapacity(tensor.count / 2)
        for start in stride(from: 0, to: tensor.count, by: width) {
            for index in 0..<half { out.append(tensor.scalars[start + index] * sigmoid(tensor.scalars[start + half + index])) }
        }
        return Tensor(shape: Array(tensor.shape.dropLast()) + [half], scalars: out)
    }

    /// Sparsemax over the last axis (`keras.src.backend.jax.nn.sparsemax`): the Euclidean projection onto
    /// the probability simplex, `max(x - tau, 0)`.
    static func sparsemax(_ tensor: Tensor) -> Tensor {
        let width = max(tensor.lastDimension, 1)
        var out = tensor.scalars
        for start in stride(from: 0, to: out.count, by: width) {
            let row = Array(tensor.scalars[start..<(start + width)])
            let sorted = row.sorted(by: >)
            var cumulative: Float = 0, supportSum: Float = 0, k: Float = 0
            for (index, value) in sorted.enumerated() {
                cumulative += value
                if value - (cumulative - 1) / Float(index + 1) > 0 {
                    k += 1
                    supportSum += cumulative
                }
            }
            let tau = (supportSum - 1) / k
            for index in 0..<width { out[start + index] = max(row[index] - tau, 0) }
        }
        return Tensor(shape: tensor.shape, scalars: out)
    }

    static let seluAlpha: Float = 1.6732632423543772
    static let seluScale: Float = 1.0507009873554805

    /// Every activation kconform computes.
    static let all: [String: ActivationFunction] = {
        let list: [ActivationFunction] = [
            ActivationFunction("linear") { $0 },
            elementwise("relu") { max($0, 0) },
            elementwise("relu6") { min(max($0, 0), 6) },
            elementwise("sigmoid", sigmoid),
            elementwise("tanh") { tanh($0) },
            ActivationFunction("softmax", softmax),
            ActivationFunction("log_softmax") { tensor in
                let soft = softmax(tensor)
                return soft.map { log($0) }
            },
            elementwise("elu") { $0 > 0 ? $0 : expm1($0) },
            elementwise("selu") { seluScale * ($0 > 0 ? $0 : seluAlpha * expm1($0)) },
            elementwise("softplus", softplus),
            elementwise("softsign") { $0 / (1 + abs($0)) },
            elementwise("silu") { $0 * sigmoid($0) },
            elementwise("swish") { $0 * sigmoid($0) },
            elementwise("gelu") { 0.5 * $0 * (1 + erf($0 / Float(2).squareRoot())) },
            elementwise("hard_sigmoid") { min(max($0 + 3, 0), 6) / 6 },
            elementwise("hard_silu") { $0 * min(max($0 + 3, 0), 6) / 6 },
            elementwise("hard_swish") { $0 * min(max($0 + 3, 0), 6) / 6 },
            elementwise("exponential") { exp($0) },
            elementwise("leaky_relu") { $0 >= 0 ? $0 : 0.2 * $0 },
            elementwise("mish") { $0 * tanh(softplus($0)) },
            elementwise("log_sigmoid") { -softplus(-$0) },
            elementwise("hard_tanh") { min(max($0, -1), 1) },
            elementwise("tanh_shrink") { $0 - tanh($0) },
            elementwise("celu") { $0 > 0 ? $0 : expm1($0) },
            elementwise("hard_shrink") { abs($0) > 0.5 ? $0 : 0 },
            elementwise("soft_shrink") { $0 > 0.5 ? $0 - 0.5 : $0 < -0.5 ? $0 + 0.5 : 0 },
            elementwise("sparse_plus") { $0 <= -1 ? 0 : $0 >= 1 ? $0 : ($0 + 1) * ($0 + 1) / 4 },
            elementwise("sparse_sigmoid") { $0 <= -1 ? 0 : $0 >= 1 ? 1 : ($0 + 1) / 2 },
            elementwise("squareplus") { ($0 + ($0 * $0 + 4).squareRoot()) / 2 },
            ActivationFunction("glu", glu),
            ActivationFunction("sparsemax", sparsemax),
        ]
        return Dictionary(uniqueKeysWithValues: list.map { ($0.name, $0) })
    }()

    /// The name of the activation a config value names: a string, a `function` envelope's name, or
    /// `linear` for null or absent.
    static func name(of value: JSONValue?) -> String? {
        guard let value, !value.isNull else { return "linear" }
        if let name = value.stringValue { return name }
        if value["class_name"]?.stringValue == "function" { return value["config"]?.stringValue }
        return nil
    }

    /// The activation called `name`; throws `notImplemented` at call time for others, so loading never fails.
    static func resolve(_ name: String?, layer: String) throws(ReferenceError) -> ActivationFunction {
        guard let name, let function = all[name] else {
            throw ReferenceError(ReferenceError.Code.notImplemented, "activation \(name ?? "(not a name)") has no forward math in kconform", at: layer)
        }
        return function
    }
}
