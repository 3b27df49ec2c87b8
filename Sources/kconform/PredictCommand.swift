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

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("give at least one --input") }
        guard !outputs.isEmpty else { throw ValidationError("give at least one --output") }
    }

    func run() throws {
        do {
            let loaded = try loadModel(from: model, options: LoadOptions(safeMode: !unsafe))
            var tensors: [Tensor] = []
            for path in inputs {
                let bytes: ByteView
                do { bytes = try ByteView(mappingFileAt: path) } catch {
                    FileHandleOutput.standardError("kconform: \(error)\n")
                    throw ExitCode(2)
                }
                tensors.append(try Tensor(try NpyArray.read(bytes)))
            }
            let results = try loaded.predict(tensors)
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
