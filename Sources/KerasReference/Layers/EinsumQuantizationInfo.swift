import KerasBytes

/// How a quantized `EinsumDense` lines its scales up with its output: the axes the quantizers reduce and
/// the transposes, expansions and squeezes that move a scale into the output's layout, computed exactly as
/// `_analyze_quantization_info` (keras/src/layers/core/einsum_dense.py 1816-1976) computes them, including
/// its quirk: when a reduced axis has no expansion slot left, the scale's transpose list gets the axis
/// inserted at whatever position `index` last held.
struct EinsumQuantizationInfo: Equatable, Sendable {
    /// The input axes not in the output: the input quantizer reduces over them.
    let inputReducedAxes: [Int]
    /// The kernel axes not in the output: the kernel's scale is 1 along them.
    let kernelReducedAxes: [Int]
    let inputTransposeAxes: [Int]
    let kernelTransposeAxes: [Int]
    let inputExpandAxes: [Int]
    let kernelExpandAxes: [Int]
    let inputSqueezeAxes: [Int]
    let kernelSqueezeAxes: [Int]

    /// The analysis of `equation`; an equation with `...` fails as in Keras, whose `_set_quantization_info`
    /// passes the input rank where the analysis measures a shape (`len(input_shape)` of an int).
    init(equation: String, layer: String) throws(ReferenceError) {
        let sides = equation.components(separatedBy: "->")
        let operands = sides.first?.components(separatedBy: ",") ?? []
        guard !equation.contains("...") else {
            throw ReferenceError(ReferenceError.Code.invalidConfig,
                                 "object of type 'int' has no len(): Keras 3.15.1 cannot build an int8 or int4 EinsumDense whose equation has an ellipsis (\(equation))",
                                 at: layer)
        }
        guard sides.count == 2, operands.count == 2,
              let input = Self.letters(operands[0]), let weight = Self.letters(operands[1]), let output = Self.letters(sides[1]) else {
            throw ReferenceError(ReferenceError.Code.invalidConfig, "Invalid einsum equation '\(equation)'", at: layer)
        }
        func find(_ labels: [Character], _ label: Character) -> Int { labels.firstIndex(of: label) ?? -1 }
        // Python's `index`, assigned by the first two loops and read after a failed `pop` below.
        var index = 0
        var inputReduced: [Int] = [], weightReduced: [Int] = []
        for (position, label) in input.enumerated() {
            index = find(output, label)
            if index == -1 { inputReduced.append(position) }
        }
        for (position, label) in weight.enumerated() {
            index = find(output, label)
            if index == -1 { weightReduced.append(position) }
        }
        var inputExpand: [Int] = [], weightExpand: [Int] = []
        var inputTranspose: [Int] = [], weightTranspose: [Int] = []
        for (position, label) in output.enumerated() {
            if find(input, label) == -1 { inputExpand.append(position) }
            if find(weight, label) == -1 { weightExpand.append(position) }
        }
        for label in output {
            let (inInput, inWeight) = (find(input, label), find(weight, label))
            if inInput != -1 { inputTranspose.append(inInput) }
            if inWeight != -1 { weightTranspose.append(inWeight) }
        }
        var inputSqueeze: [Int] = [], weightSqueeze: [Int] = []
        for original in inputReduced {
            if inputExpand.isEmpty { inputSqueeze.append(original) } else { index = inputExpand.removeFirst() }
            Self.insert(&inputTranspose, original, at: index)
        }
        for original in weightReduced {
            if weightExpand.isEmpty { weightSqueeze.append(original) } else { index = weightExpand.removeFirst() }
            Self.insert(&weightTranspose, original, at: index)
        }
        inputReducedAxes = inputReduced
        kernelReducedAxes = weightReduced
        inputTransposeAxes = inputTranspose
        kernelTransposeAxes = weightTranspose
        inputExpandAxes = inputExpand
        kernelExpandAxes = weightExpand
        inputSqueezeAxes = inputSqueeze
        kernelSqueezeAxes = weightSqueeze
    }

    private static func letters(_ text: String) -> [Character]? {
        let characters = Array(text)
        return !characters.isEmpty && characters.allSatisfy({ $0.isASCII && $0.isLetter }) ? characters : nil
    }

    /// Python's `list.insert(index, value)`: a negative index counts from the end, clamped into range.
    private static func insert(_ list: inout [Int], _ value: Int, at index: Int) {
        var position = index < 0 ? index + list.count : index
        position = Swift.min(Swift.max(position, 0), list.count)
        list.insert(value, at: position)
    }

    /// `_get_kernel_scale_shape` (einsum_dense.py 1363-1405), per channel: the kernel shape with the
    /// reduced axes 1, transposed, expanded and squeezed into the output's layout.
    func kernelScaleShape(_ kernelShape: [Int], layer: String) throws(ReferenceError) -> [Int] {
        var shape = kernelShape
        for axis in kernelReducedAxes where axis < shape.count { shape[axis] = 1 }
        var moved: [Int] = []
        for axis in kernelTransposeAxes {
            let resolved = axis < 0 ? axis + shape.count : axis
            guard resolved >= 0, resolved < shape.count else {
                throw ReferenceError(ReferenceError.Code.invalidConfig, "index \(axis) is out of bounds for the kernel shape \(kernelShape)", at: layer)
            }
            moved.append(shape[resolved])
        }
        for axis in kernelExpandAxes.sorted() { Self.insert(&moved, 1, at: axis) }
        for axis in kernelSqueezeAxes.sorted(by: >) {
            let resolved = axis < 0 ? axis + moved.count : axis
            guard resolved >= 0, resolved < moved.count else {
                throw ReferenceError(ReferenceError.Code.invalidConfig, "pop index \(axis) out of range for the kernel scale shape \(moved)", at: layer)
            }
            moved.remove(at: resolved)
        }
        return moved
    }

    /// The kernel flattened to `[rows, columns]` as the int4 scheme stores it: rows the product of the
    /// reduced axes, columns of the others (`_int4_build`, einsum_dense.py 839-852).
    func int4Matrix(_ kernelShape: [Int], layer: String) throws(ReferenceError) -> (rows: Int, columns: Int) {
        let reduced = kernelShape.indices.filter { kernelReducedAxes.contains($0) }.map { kernelShape[$0] }
        let kept = kernelShape.indices.filter { !kernelReducedAxes.contains($0) }.map { kernelShape[$0] }
        guard let rows = Checked.product(reduced), let columns = Checked.product(kept) else {
            throw ReferenceError(ReferenceError.Code.invalidConfig, "the int4 kernel of shape \(kernelShape) exceeds kconform's budget", at: layer)
        }
        return (rows, columns)
    }

    /// `_adjust_scale_for_quant(scale, "input")` (einsum_dense.py 1564-1594): the input quantizer's scale
    /// (the input's shape with the reduced axes 1) transposed, expanded and squeezed to broadcast against
    /// the output.
    func inputScaleInOutputLayout(_ scale: Tensor, layer: String) throws(ReferenceError) -> Tensor {
        var result = scale
        if !inputTransposeAxes.isEmpty {
            guard inputTransposeAxes.sorted() == Array(0..<result.rank) else {
                throw ReferenceError(ReferenceError.Code.invalidConfig, "transpose axes \(inputTransposeAxes) do not match a scale of shape \(result.shape)", at: layer)
            }
            result = result.transposed(inputTransposeAxes)
        }
        if !inputExpandAxes.isEmpty {
            let rank = result.rank + inputExpandAxes.count
            let axes = Set(inputExpandAxes.map { $0 < 0 ? $0 + rank : $0 })
            guard axes.count == inputExpandAxes.count, axes.allSatisfy({ $0 >= 0 && $0 < rank }) else {
                throw ReferenceError(ReferenceError.Code.invalidConfig, "expand axes \(inputExpandAxes) do not fit a scale of shape \(result.shape)", at: layer)
            }
            var dimensions = result.shape.makeIterator()
            result = result.reshaped((0..<rank).map { axes.contains($0) ? 1 : dimensions.next()! })
        }
        if !inputSqueezeAxes.isEmpty {
            let axes = Set(inputSqueezeAxes.map { $0 < 0 ? $0 + result.rank : $0 })
            guard axes.allSatisfy({ $0 >= 0 && $0 < result.rank && result.shape[$0] == 1 }) else {
                throw ReferenceError(ReferenceError.Code.invalidConfig, "cannot squeeze axes \(inputSqueezeAxes) of a scale of shape \(result.shape)", at: layer)
            }
            result = result.reshaped(result.shape.indices.filter { !axes.contains($0) }.map { result.shape[$0] })
        }
        return result
    }
}
