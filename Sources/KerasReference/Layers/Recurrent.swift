import KerasFormat
import KerasJSON

/// The cell of a recurrent layer, saved as the layer's `cell` attribute (`layers/lstm/cell/vars`):
/// `[kernel, recurrent_kernel, bias]` with gates `i f c o` (LSTM), `z r h` (GRU), or one (SimpleRNN).
final class RecurrentCell: BaseLayer, @unchecked Sendable {
    enum Kind {
        case simple, lstm, gru
        var gates: Int {
            switch self {
            case .simple: 1
            case .lstm: 4
            case .gru: 3
            }
        }
    }

    var kind: Kind = .simple
    private(set) var kernel: Variable?
    private(set) var recurrentKernel: Variable?
    private(set) var bias: Variable?

    var units: Int { (try? config.int("units")) ?? 0 }
    var resetAfter: Bool { kind == .gru && ((try? config.bool("reset_after", default: true)) ?? true) }

    override func makeVariables(_ shapes: [Shape]) throws(ReferenceError) {
        let inputSize = try lastDimension(shapes)
        let units = try config.int("units")
        kernel = try addVariable("kernel", [inputSize, kind.gates * units])
        recurrentKernel = try addVariable("recurrent_kernel", [units, kind.gates * units])
        if try config.bool("use_bias", default: true) {
            bias = try addVariable("bias", resetAfter ? [2, kind.gates * units] : [kind.gates * units])
        }
    }

    /// One step: the new hidden state (and cell state for LSTM) from input row `x` and the states.
    func step(_ x: [Float], hidden: [Float], cell: [Float]) throws(ReferenceError) -> (hidden: [Float], cell: [Float]) {
        guard let kernel, let recurrentKernel else { throw ReferenceError(ReferenceError.Code.invalidConfig, "cell never built", at: name) }
        let units = recurrentKernel.shape[0]
        let width = kind.gates * units
        let activation = try ActivationFunction.resolve(ActivationFunction.name(of: config["activation"] ?? .string("tanh")), layer: name)
        let recurrentActivation = try ActivationFunction.resolve(
            ActivationFunction.name(of: config["recurrent_activation"] ?? .string("sigmoid")), layer: name)
        func apply(_ function: ActivationFunction, _ values: ArraySlice<Float>) -> [Float] {
            function(Tensor(shape: [values.count], scalars: Array(values))).scalars
        }
        var inputPart = LinearAlgebra.matmul(x, kernel.values, m: 1, k: x.count, n: width)
        var recurrentPart = LinearAlgebra.matmul(hidden, recurrentKernel.values, m: 1, k: units, n: width)
        if let bias {
            let values = bias.values
            for index in 0..<width { inputPart[index] += values[index] }
            if resetAfter { for index in 0..<width { recurrentPart[index] += values[width + index] } }
        }
        switch kind {
        case .simple:
            let h = apply(activation, zip(inputPart, recurrentPart).map(+)[...])
            return (h, cell)
        case .lstm:
            let z = zip(inputPart, recurrentPart).map(+)
            let i = apply(recurrentActivation, z[0..<units])
            let f = apply(recurrentActivation, z[units..<(2 * units)])
            let candidate = apply(activation, z[(2 * units)..<(3 * units)])
            let o = apply(recurrentActivation, z[(3 * units)..<(4 * units)])
            var c = [Float](repeating: 0, count: units)
            var h = [Float](repeating: 0, count: units)
            for unit in 0..<units {
                let kept: Float = f[unit] * cell[unit]
                c[unit] = kept + i[unit] * candidate[unit]
            }
            let squashed = apply(activation, c[...])
            for unit in 0..<units { h[unit] = o[unit] * squashed[unit] }
            return (h, c)
        case .gru:
            let z = apply(recurrentActivation, (0..<units).map { inputPart[$0] + recurrentPart[$0] }[...])
            let r = apply(recurrentActivation, (0..<units).map { inputPart[units + $0] + recurrentPart[units + $0] }[...])
            var candidateInput = [Float](repeating: 0, count: units)
            if resetAfter {
                for unit in 0..<units {
                    let gated: Float = r[unit] * recurrentPart[2 * units + unit]
                    candidateInput[unit] = inputPart[2 * units + unit] + gated
                }
            } else {
                var reset = [Float](repeating: 0, count: units)
                var columns = [Float](repeating: 0, count: units * units)
                for row in 0..<units {
                    reset[row] = r[row] * hidden[row]
                    for column in 0..<units { columns[row * units + column] = recurrentKernel.values[row * width + 2 * units + column] }
                }
                let recurrentH = LinearAlgebra.matmul(reset, columns, m: 1, k: units, n: units)
                for unit in 0..<units { candidateInput[unit] = inputPart[2 * units + unit] + recurrentH[unit] }
            }
            let candidate = apply(activation, candidateInput[...])
            var h = [Float](repeating: 0, count: units)
            for unit in 0..<units {
                let kept: Float = z[unit] * hidden[unit]
                h[unit] = kept + (1 - z[unit]) * candidate[unit]
            }
            return (h, cell)
        }
    }
}

/// `SimpleRNN`, `LSTM`, `GRU`: a cell run over the time axis of `(batch, time, features)` inputs, with
/// `return_sequences`, `return_state` and `go_backwards`; no own variables (they live in `cell`).
final class Recurrent: BaseLayer, @unchecked Sendable {
    let cell: RecurrentCell

    required init(envelope: ObjectEnvelope) throws(ReferenceError) {
        let cellName: String
        let kind: RecurrentCell.Kind
        switch envelope.className {
        case "LSTM": (cellName, kind) = ("lstm_cell", .lstm)
        case "GRU": (cellName, kind) = ("gru_cell", .gru)
        default: (cellName, kind) = ("simple_rnn_cell", .simple)
        }
        var cellConfig = envelope.config.objectValue ?? JSONObject()
        cellConfig["name"] = .string(cellName)
        let cellValue = JSONValue.object(JSONObject([("class_name", .string(envelope.className + "Cell")), ("config", .object(cellConfig))]))
        guard let cellEnvelope = ObjectEnvelope(cellValue, pointer: envelope.pointer + "/config") else {
            throw ReferenceError(ReferenceError.Code.invalidConfig, "cannot derive the cell config", at: envelope.pointer)
        }
        cell = try RecurrentCell(envelope: cellEnvelope)
        cell.kind = kind
        try super.init(envelope: envelope)
    }

    override var children: [(attribute: String, layer: any Layer)] { [("cell", cell)] }

    override func makeVariables(_ shapes: [Shape]) throws(ReferenceError) {
        guard let shape = shapes.first, shape.count == 3 else {
            throw ReferenceError(ReferenceError.Code.invalidConfig, "\(className) expects (batch, time, features) inputs, got \(shapes)", at: name)
        }
        try cell.build([[shape[0], shape[2]]])
    }

    /// `zero_output_for_mask` as the layer runs it: Bidirectional forces it to `return_sequences` on the
    /// layers it wraps.
    var zeroOutputForMask: Bool?

    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        try call(LayerCall(inputs)).outputs
    }

    /// `RNN.call` with JAX's `backend.rnn` (keras/src/backend/jax/rnn.py): `initial_state` (else zeros),
    /// and a `mask` of shape `(batch, time)`: at a masked step the states keep their values and the output
    /// is the previous output (`states[0]`; zeros with `zero_output_for_mask`; with `unroll` the previous
    /// step's output, zeros at the first step); the last output is the one of the last step processed.
    override func call(_ call: LayerCall) throws(ReferenceError) -> LayerResult {
        guard let x = call.input("sequences") ?? call.input("inputs") ?? call.inputs.first, x.rank == 3 else {
            throw ReferenceError(ReferenceError.Code.inputMismatch, "\(className) expects (batch, time, features) sequences, got \(call.inputs.map(\.shape))", at: name)
        }
        let (batch, steps, features) = (x.shape[0], x.shape[1], x.shape[2])
        let units = cell.units
        guard cell.kernel?.shape.first == features, cell.recurrentKernel?.shape.first == units else {
            throw ReferenceError(ReferenceError.Code.inputMismatch, "\(className) cell built for other shapes than \(x.shape)", at: name)
        }
        if let unsupported = call.names.first(where: { !["sequences", "inputs"].contains($0) && !$0.hasPrefix("initial_state") }) {
            throw ReferenceError(ReferenceError.Code.notImplemented, "\(className) argument \(unsupported) is not implemented", at: name)
        }
        if try config.bool("stateful", default: false) {
            throw ReferenceError(ReferenceError.Code.notImplemented, "stateful \(className) is not implemented", at: name)
        }
        let initial = zip(call.names, call.inputs).filter { $0.0.hasPrefix("initial_state") }.map(\.1)
        let stateCount = cell.kind == .lstm ? 2 : 1
        guard initial.isEmpty || (initial.count == stateCount && initial.allSatisfy { $0.shape == [batch, units] }) else {
            throw ReferenceError(ReferenceError.Code.inputMismatch, "\(className) initial_state must be \(stateCount) tensors of shape \([batch, units]), got \(initial.map(\.shape))", at: name)
        }
        let mask = call.mask()
        if let mask, mask.rank < 2 || mask.shape[0] != batch || mask.shape[1] != steps {
            throw ReferenceError(ReferenceError.Code.inputMismatch, "\(className) mask of shape \(mask.shape) does not fit sequences \(x.shape)", at: name)
        }
        let perStep = mask.map { $0.count / max(batch * steps, 1) } ?? 1
        func kept(_ sample: Int, _ time: Int) -> Bool {
            guard let mask else { return true }
            let start = (sample * steps + time) * perStep
            return mask.scalars[start..<(start + perStep)].contains { $0 != 0 }
        }
        let backwards = try config.bool("go_backwards", default: false)
        let returnSequences = try config.bool("return_sequences", default: false)
        let configuredZeroOutput = try config.bool("zero_output_for_mask", default: false)
        let zeroOutput = zeroOutputForMask ?? configuredZeroOutput
        let unroll = try config.bool("unroll", default: false)
        var sequences: [Float] = []
        var lastOutputs: [Float] = []
        var finalHidden: [Float] = []
        var finalCell: [Float] = []
        for sample in 0..<batch {
            var hidden = initial.first.map { Array($0.scalars[(sample * units)..<((sample + 1) * units)]) } ?? [Float](repeating: 0, count: units)
            var state = initial.count > 1 ? Array(initial[1].scalars[(sample * units)..<((sample + 1) * units)]) : [Float](repeating: 0, count: units)
            var previousOutput = [Float](repeating: 0, count: units)
            var output = previousOutput
            for step in 0..<steps {
                let time = backwards ? steps - 1 - step : step
                let start = (sample * steps + time) * features
                if kept(sample, time) {
                    (hidden, state) = try cell.step(Array(x.scalars[start..<(start + features)]), hidden: hidden, cell: state)
                    output = hidden
                } else if mask != nil {
                    output = unroll ? previousOutput : (zeroOutput ? [Float](repeating: 0, count: units) : hidden)
                }
                previousOutput = output
                if returnSequences { sequences += output }
            }
            lastOutputs += output
            finalHidden += hidden
            finalCell += state
        }
        let result = returnSequences ? Tensor(shape: [batch, steps, units], scalars: sequences) : Tensor(shape: [batch, units], scalars: lastOutputs)
        guard try config.bool("return_state", default: false) else { return LayerResult([result]) }
        var states = [Tensor(shape: [batch, units], scalars: finalHidden)]
        if cell.kind == .lstm { states.append(Tensor(shape: [batch, units], scalars: finalCell)) }
        return LayerResult([result] + states)
    }

    /// `RNN.compute_mask`: the sequence mask on the output when returning sequences, none on the states.
    override func computeMask(_ call: LayerCall) throws(ReferenceError) -> [Tensor?]? {
        let mask = call.previousMask.first ?? nil
        let output = try config.bool("return_sequences", default: false) ? mask : nil
        guard try config.bool("return_state", default: false) else { return [output] }
        return [output] + [Tensor?](repeating: nil, count: cell.kind == .lstm ? 2 : 1)
    }
}
