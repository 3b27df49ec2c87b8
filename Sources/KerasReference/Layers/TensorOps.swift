/// Shape manipulation and broadcasting shared by the layers (the `keras.ops` the layers call).
extension Tensor {
    /// Row-major strides of `shape`.
    static func strides(of shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var running = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[axis] = running
            running *= shape[axis]
        }
        return strides
    }

    /// The axes permuted: result dimension `i` is dimension `permutation[i]` of `self` (`ops.transpose`).
    func transposed(_ permutation: [Int]) -> Tensor {
        precondition(permutation.sorted() == Array(0..<rank), "\(permutation) is not a permutation of \(rank) axes")
        if permutation == Array(0..<rank) { return self }
        let newShape = permutation.map { shape[$0] }
        let sourceStrides = Tensor.strides(of: shape)
        let walk = permutation.map { sourceStrides[$0] }
        var result = [Float](repeating: 0, count: count)
        guard count > 0 else { return Tensor(shape: newShape, scalars: result) }
        var counter = [Int](repeating: 0, count: rank)
        var source = 0
        scalars.withUnsafeBufferPointer { input in
            for index in 0..<result.count {
                result[index] = input[source]
                var axis = rank - 1
                while axis >= 0 {
                    counter[axis] += 1
                    source += walk[axis]
                    if counter[axis] < newShape[axis] { break }
                    source -= walk[axis] * newShape[axis]
                    counter[axis] = 0
                    axis -= 1
                }
            }
        }
        return Tensor(shape: newShape, scalars: result)
    }

    /// Sums over `axes` (which are removed from the shape).
    func summed(over axes: Set<Int>) -> Tensor {
        guard !axes.isEmpty else { return self }
        let kept = (0..<rank).filter { !axes.contains($0) }
        let moved = transposed(kept + axes.sorted())
        let outer = kept.map { shape[$0] }.reduce(1, *)
        let inner = axes.map { shape[$0] }.reduce(1, *)
        var result = [Float](repeating: 0, count: outer)
        for row in 0..<outer {
            var total: Float = 0
            for column in 0..<inner { total += moved.scalars[row * inner + column] }
            result[row] = total
        }
        return Tensor(shape: kept.map { shape[$0] }, scalars: result)
    }

    /// `combine(self, other)` elementwise with NumPy broadcasting (shapes aligned on the right, size-1
    /// dimensions stretched); nil when the shapes do not broadcast.
    func broadcast(with other: Tensor, _ combine: (Float, Float) -> Float) -> Tensor? {
        if shape == other.shape {
            return Tensor(shape: shape, scalars: zip(scalars, other.scalars).map(combine))
        }
        let outRank = max(rank, other.rank)
        let left = [Int](repeating: 1, count: outRank - rank) + shape
        let right = [Int](repeating: 1, count: outRank - other.rank) + other.shape
        var outShape: [Int] = []
        for (a, b) in zip(left, right) {
            guard a == b || a == 1 || b == 1 else { return nil }
            outShape.append(a == 1 ? b : a)
        }
        let leftStrides = zip(Tensor.strides(of: left), left).map { $1 == 1 ? 0 : $0 }
        let rightStrides = zip(Tensor.strides(of: right), right).map { $1 == 1 ? 0 : $0 }
        let total = outShape.reduce(1, *)
        var result = [Float](repeating: 0, count: total)
        guard total > 0 else { return Tensor(shape: outShape, scalars: result) }
        var counter = [Int](repeating: 0, count: outRank)
        var (l, r) = (0, 0)
        for index in 0..<total {
            result[index] = combine(scalars[l], other.scalars[r])
            var axis = outRank - 1
            while axis >= 0 {
                counter[axis] += 1
                l += leftStrides[axis]
                r += rightStrides[axis]
                if counter[axis] < outShape[axis] { break }
                l -= leftStrides[axis] * outShape[axis]
                r -= rightStrides[axis] * outShape[axis]
                counter[axis] = 0
                axis -= 1
            }
        }
        return Tensor(shape: outShape, scalars: result)
    }

    /// The elements `[start, end)` of `axis`.
    func sliced(axis: Int, from start: Int, to end: Int) -> Tensor {
        let outer = shape[..<axis].reduce(1, *)
        let inner = shape[(axis + 1)...].reduce(1, *)
        var newShape = shape
        newShape[axis] = end - start
        var result: [Float] = []
        result.reserveCapacity(outer * (end - start) * inner)
        for block in 0..<outer {
            let base = block * shape[axis] * inner
            result += scalars[(base + start * inner)..<(base + end * inner)]
        }
        return Tensor(shape: newShape, scalars: result)
    }

    /// Each element along `axis` repeated `times` times in place (`ops.repeat`).
    func repeated(_ times: Int, axis: Int) -> Tensor {
        let outer = shape[..<axis].reduce(1, *)
        let inner = shape[(axis + 1)...].reduce(1, *)
        var newShape = shape
        newShape[axis] *= times
        var result: [Float] = []
        result.reserveCapacity(count * times)
        for block in 0..<outer {
            for position in 0..<shape[axis] {
                let start = (block * shape[axis] + position) * inner
                for _ in 0..<times { result += scalars[start..<(start + inner)] }
            }
        }
        return Tensor(shape: newShape, scalars: result)
    }

    /// Reversed along `axis` (`ops.flip`).
    func flipped(axis: Int) -> Tensor {
        let outer = shape[..<axis].reduce(1, *)
        let inner = shape[(axis + 1)...].reduce(1, *)
        var result: [Float] = []
        result.reserveCapacity(count)
        for block in 0..<outer {
            for position in stride(from: shape[axis] - 1, through: 0, by: -1) {
                let start = (block * shape[axis] + position) * inner
                result += scalars[start..<(start + inner)]
            }
        }
        return Tensor(shape: shape, scalars: result)
    }

    /// Zero padding of `before`/`after` elements on each axis (`ops.pad`, constant 0).
    func padded(before: [Int], after: [Int]) -> Tensor {
        let newShape = (0..<rank).map { shape[$0] + before[$0] + after[$0] }
        var result = [Float](repeating: 0, count: newShape.reduce(1, *))
        guard count > 0 else { return Tensor(shape: newShape, scalars: result) }
        let targetStrides = Tensor.strides(of: newShape)
        let offset = zip(before, targetStrides).map(*).reduce(0, +)
        let inner = shape[rank - 1]
        let rows = count / max(inner, 1)
        var counter = [Int](repeating: 0, count: rank)
        for row in 0..<rows {
            var target = offset
            for axis in 0..<(rank - 1) { target += counter[axis] * targetStrides[axis] }
            for column in 0..<inner { result[target + column] = scalars[row * inner + column] }
            var axis = rank - 2
            while axis >= 0 {
                counter[axis] += 1
                if counter[axis] < shape[axis] { break }
                counter[axis] = 0
                axis -= 1
            }
        }
        return Tensor(shape: newShape, scalars: result)
    }

    /// Splits the leading axis into `[first, count / first]` slabs, returning slab `index`.
    func slab(_ index: Int) -> Tensor {
        let size = count / max(shape[0], 1)
        return Tensor(shape: Array(shape.dropFirst()), scalars: Array(scalars[(index * size)..<((index + 1) * size)]))
    }
}

/// A negative axis counted from the end, as Keras resolves it; nil when out of range.
func resolveAxis(_ axis: Int, rank: Int) -> Int? {
    let resolved = axis < 0 ? axis + rank : axis
    return resolved >= 0 && resolved < rank ? resolved : nil
}

/// `shape` when every dimension is known.
func knownShape(_ shape: Shape) -> [Int]? {
    var result: [Int] = []
    for dimension in shape {
        guard let dimension else { return nil }
        result.append(dimension)
    }
    return result
}

extension Tensor {
    /// A channels_first tensor `(batch, channels, *spatial)` as channels_last `(batch, *spatial, channels)`.
    func channelsLast() -> Tensor { rank < 3 ? self : transposed([0] + Array(2..<rank) + [1]) }

    /// A channels_last tensor as channels_first.
    func channelsFirst() -> Tensor { rank < 3 ? self : transposed([0, rank - 1] + Array(1..<(rank - 1))) }
}

extension BaseLayer {
    /// Whether `data_format` is `channels_first` (Keras's default is channels_last).
    func isChannelsFirst() throws(ReferenceError) -> Bool {
        switch try config.string("data_format", default: "channels_last") {
        case "channels_last": return false
        case "channels_first": return true
        default: throw config.error("data_format", "channels_last or channels_first")
        }
    }

    /// Input shapes in channels_last order when the layer is channels_first.
    func channelsLastShapes(_ shapes: [Shape]) throws(ReferenceError) -> [Shape] {
        guard try isChannelsFirst() else { return shapes }
        return shapes.map { shape in shape.count < 3 ? shape : [shape[0]] + shape[2...] + [shape[1]] }
    }

    /// The layer's `activation` applied to its output as laid out in the layer's data format (Keras applies
    /// it after the convolution, so an axis-dependent activation such as softmax reduces over the last axis
    /// of the output, whatever the data format: BASE_CONV:265, BASE_SEPARABLE_CONV:232).
    func activated(_ output: Tensor) throws(ReferenceError) -> Tensor {
        try ActivationFunction.resolve(ActivationFunction.name(of: config["activation"]), layer: name)(output)
    }

    /// `body` run on the channels_last form of `x`, its outputs returned in the layer's data format.
    func inChannelsLast(_ x: Tensor, _ body: (Tensor) throws(ReferenceError) -> Tensor) throws(ReferenceError) -> Tensor {
        guard try isChannelsFirst() else { return try body(x) }
        return try body(x.channelsLast()).channelsFirst()
    }
}
