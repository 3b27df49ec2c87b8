import KerasReference

/// How two sets of model outputs are compared: bit for bit (kconform against itself), or with the
/// tolerances of issue 3 against another implementation.
public enum OutputComparison: Sendable, Equatable {
    /// Every output has the same shape and every element the same bits (a NaN equals a NaN of the same
    /// bits): what a save, load and predict through one implementation must give.
    case bitwise
    /// Elementwise `|ours - reference| <= atol + rtol * |reference|` with `atol = atolFactor * max(1, max|reference|)`
    /// per output; `rtol` is 1e-4 for models up to 20 layers and 1e-3 for deeper ones, `atolFactor` 1e-5
    /// (``forLayers(_:)``), both widened for low-precision policies (``forModel(layers:policy:)``).
    case tolerance(rtol: Float, atolFactor: Float = 1e-5)

    /// The tolerance issue 3 sets for a model of `layers` layers.
    public static func forLayers(_ layers: Int) -> OutputComparison { .tolerance(rtol: layers <= 20 ? 1e-4 : 1e-3, atolFactor: 1e-5) }

    /// The tolerance for a model of `layers` layers in dtype policy `policy`: for float16 and bfloat16
    /// compute, rtol and the atol factor are at least 4 units of the compute dtype's epsilon (2^-10, 2^-7):
    /// Keras rounds after every operation and kconform once per layer, and one unit of an intermediate can
    /// show at an output near zero after cancellation (Keras's own op tests use dtype-dependent atol too).
    public static func forModel(layers: Int, policy: String) -> OutputComparison {
        let epsilon: Float = policy.contains("bfloat16") ? 0x1p-7 : policy.contains("float16") ? 0x1p-10 : 0
        return .tolerance(rtol: Swift.max(layers <= 20 ? 1e-4 : 1e-3, 4 * epsilon), atolFactor: Swift.max(1e-5, 4 * epsilon))
    }

    /// Nil when `ours` matches `reference`, else where and by how much the first difference is.
    public func difference(_ ours: [Tensor], _ reference: [Tensor]) -> String? {
        guard ours.count == reference.count else { return "\(ours.count) outputs, the reference has \(reference.count)" }
        for (index, (mine, theirs)) in zip(ours, reference).enumerated() {
            guard mine.shape == theirs.shape else { return "output \(index): shape \(mine.shape), the reference has \(theirs.shape)" }
            switch self {
            case .bitwise:
                if let element = mine.scalars.firstMismatch(with: theirs.scalars, by: { $0.bitPattern == $1.bitPattern }) {
                    return "output \(index), element \(element): \(mine.scalars[element]) is not \(theirs.scalars[element]) bit for bit"
                }
            case .tolerance(let rtol, let atolFactor):
                let largest = theirs.scalars.reduce(Float(0)) { Swift.max($0, $1.isFinite ? abs($1) : 0) }
                let atol = atolFactor * Swift.max(1, largest)
                var worst: (element: Int, excess: Float)?
                for (element, (a, b)) in zip(mine.scalars, theirs.scalars).enumerated() {
                    if a.isNaN && b.isNaN || a == b { continue }
                    let excess = abs(a - b) - (atol + rtol * abs(b))
                    if !(excess <= 0), excess.isNaN || excess > (worst?.excess ?? 0) || worst == nil { worst = (element, excess.isNaN ? .infinity : excess) }
                }
                if let worst {
                    let a = mine.scalars[worst.element], b = theirs.scalars[worst.element]
                    return "output \(index), element \(worst.element): \(a) against \(b) (|difference| \(abs(a - b)), allowed \(atol + rtol * abs(b)), rtol \(rtol), atol \(atol))"
                }
            }
        }
        return nil
    }
}
