import ArgumentParser
import Foundation
import KerasBytes
import KerasNpy
import KerasReference

/// `kconform predict`: runs a model through the reference core on `.npy` inputs.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Load a model with the reference core (safe mode) and run it on .npy inputs, writing .npy outputs.",
        discussion: """
            Inputs and outputs are in the model's order (input_layers / output_layers). Inputs of any numeric \
            dtype are converted to float32; outputs are written as float32. Nothing in the model is ever executed: \
            a lambda is refused unless --unsafe is given, and even then its layer refuses to run.
            """
    )

    @Argument(help: "The model: .keras, a model folder, or a legacy .h5.")
    var model: String

    @Option(name: .customLong("input"), help: "An input .npy file (repeat for each model input, in order).")
    var inputs: [String]

    @Option(name: .customLong("output"), help: "Where to write an output .npy (repeat for each model output, in order).")
    var outputs: [String]

    @Flag(help: "Load with safe mode off (lambdas load but never run).")
    var unsafe = false

    @Flag(help: "Print the wall time of the load and of each predict to standard error (`timing load 0.123456 s`).")
    var timings = false

    @Option(help: "Run predict this many times (the outputs of the last run are written); with --timings, for warm timings.")
    var `repeat`: Int = 1

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("give at least one --input") }
        guard !outputs.isEmpty else { throw ValidationError("give at least one --output") }
        guard (1...1000).contains(`repeat`) else { throw ValidationError("--repeat must be 1 to 1000") }
    }

    func run() throws {
        do {
            let clock = ContinuousClock()
            var started = clock.now
            let loaded = try loadModel(from: model, options: LoadOptions(safeMode: !unsafe))
            if timings { Timing.report("load", since: started, clock) }
            var tensors: [Tensor] = []
            for path in inputs {
                let bytes: ByteView
                do { bytes = try ByteView(mappingFileAt: path) } catch {
                    FileHandleOutput.standardError("kconform: \(error)\n")
                    throw ExitCode(2)
                }
                tensors.append(try Tensor(try NpyArray.read(bytes)))
            }
            var results: [Tensor] = []
            for _ in 0..<`repeat` {
                started = clock.now
                results = try loaded.predict(tensors)
                if timings { Timing.report("predict", since: started, clock) }
            }
            guard results.count == outputs.count else {
                FileHandleOutput.standardError("kconform: the model has \(results.count) outputs, \(outputs.count) --output given\n")
                throw ExitCode(2)
            }
            for (tensor, path) in zip(results, outputs) {
                try Data(tensor.npyArray.fileBytes()).write(to: URL(fileURLWithPath: path), options: .atomic)
            }
        } catch let error as ReferenceError {
            FileHandleOutput.standardError("kconform: \(error)\n")
            throw ExitCode(1)
        } catch let error as NpyError {
            FileHandleOutput.standardError("kconform: input: \(error)\n")
            throw ExitCode(1)
        }
    }
}
