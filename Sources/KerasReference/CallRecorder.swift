/// What a run of the model saw at each layer call: the shapes and dtypes of the tensors each node received
/// (by argument path) and produced, keyed by layer name and node index. Running the model on zeros twice,
/// with every unknown dimension 1 and then 2, tells which dimensions are unknown (they differ), which is
/// how ``Keras3Config`` writes the symbolic shapes Keras would (`build_config`, `__keras_tensor__`).
final class CallRecorder: @unchecked Sendable {
    struct Call {
        var inputs: [(path: String, shape: [Int], dtype: TensorDType)]
        var outputs: [(shape: [Int], dtype: TensorDType)]
    }

    /// The recorder of the run in progress; nil when nothing records (every ordinary predict).
    @TaskLocal static var current: CallRecorder?

    private(set) var calls: [String: Call] = [:]

    static func key(_ layer: String, _ node: Int) -> String { "\(layer)\u{0}\(node)" }

    func record(layer: String, node: Int, inputs: [(path: String, shape: [Int], dtype: TensorDType)], outputs: [Tensor]) {
        let key = Self.key(layer, node)
        guard calls[key] == nil else { return }
        calls[key] = Call(inputs: inputs, outputs: outputs.map { ($0.shape, $0.dtype) })
    }

    func call(_ layer: String, _ node: Int) -> Call? { calls[Self.key(layer, node)] }

    /// Runs `model` on zeros with unknown dimensions as `size`, recording every call; nil when the inputs
    /// cannot be made within the dry run's budget or the run fails.
    static func run(_ model: KerasModel, unknownAs size: Int) -> CallRecorder? {
        guard let inputs = try? DryRun.zeroInputs(for: model.inputShapes, maxElements: DryRun.maxInputElements, unknownAs: size) else { return nil }
        let recorder = CallRecorder()
        do {
            _ = try $current.withValue(recorder) { () throws(ReferenceError) -> [Tensor] in try model.predict(inputs) }
        } catch {
            return nil
        }
        return recorder
    }

    /// The shape Keras would record: dimensions that differ between the two runs are unknown (`nil`).
    static func symbolic(_ first: [Int], _ second: [Int]?) -> Shape {
        guard let second, second.count == first.count else { return first.map { _ in nil } }
        return zip(first, second).map { $0 == $1 ? $0 : nil }
    }
}
