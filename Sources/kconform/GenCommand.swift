import ArgumentParser
import Foundation
import KerasConformance
import KerasFormat
import KerasReference

/// `kconform gen`: writes a conformance kit of generated models.
struct GenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gen",
        abstract: "Write a conformance kit: random valid Keras models (.keras) with inputs and kconform's predictions (.npy) and a MANIFEST.json; with --values, random config values (values.json).",
        discussion: """
            Models are Sequential stacks and Functional DAGs (several inputs and outputs, merges, shared layers, \
            nested and reused sub-models) drawn from every layer kconform has forward math for, with \
            hyperparameters, initializers, regularizers, constraints, dtype policies and names drawn across their \
            legal ranges, and seeded random weights. Case I of seed S is the same model on every machine: \
            `--seed S --index I` regenerates it alone. The kit format is in Tests/python/README-kit.md; \
            Tests/python/test_conformance_kit.py loads every kit model in Keras 3.15.1 and compares.
            """
    )

    @Option(help: "The run's seed.")
    var seed: UInt64 = 1

    @Option(help: "How many models.")
    var count: Int = 20

    @Option(help: "Write only case I of the run (for replays).")
    var index: Int?

    @Option(help: "Where to write the kit (created when missing).")
    var out: String

    @Option(help: "At most this many layers per model (1 to 64).")
    var maxLayers: Int = 10

    @Option(help: "The batch of the inputs.")
    var batch: Int = 2

    @Option(help: ArgumentHelp("Also write values.json: this many random config values with every special marker and shared objects, and what kconform deserializes them to.",
                               discussion: "Tests/python/test_keras_values.py deserializes each in Keras and compares."))
    var values: Int = 0

    func validate() throws {
        guard (0...100_000).contains(count), (0...100_000).contains(values) else { throw ValidationError("--count and --values must be 0 to 100000") }
        guard count > 0 || values > 0 else { throw ValidationError("nothing to write: --count and --values are both 0") }
        guard (1...64).contains(maxLayers) else { throw ValidationError("--max-layers must be 1 to 64") }
        guard (1...64).contains(batch) else { throw ValidationError("--batch must be 1 to 64") }
        if let index, index < 0 { throw ValidationError("--index must be 0 or more") }
    }

    func run() throws {
        if values > 0 {
            do { try ValueKit.write(seed: seed, count: values, to: out) } catch {
                FileHandleOutput.standardError("kconform: \(error)\n")
                throw ExitCode(2)
            }
            FileHandleOutput.standardOutput("wrote \(values) values to \(out)/values.json\n")
        }
        guard count > 0 || index != nil else { return }
        var settings = GeneratorSettings()
        settings.maxLayers = maxLayers
        let indices = index.map { [$0] } ?? Array(0..<count)
        let progress = Progress(total: indices.count, quietUpTo: 200, verbs: ("generating", "generated"), noun: "models")
        var cases: [GeneratedCase] = []
        for (position, index) in indices.enumerated() {
            progress.starting(position, "case \(index)")
            cases.append(GeneratedCase(seed: seed, index: index, settings: settings))
        }
        progress.finish()
        let layersOption = maxLayers == 10 ? "" : " --max-layers \(maxLayers)"
        let command = "kconform gen --seed \(seed) " + (index.map { "--index \($0)" } ?? "--count \(count)") + "\(layersOption) --batch \(batch) --out \(out)"
        do {
            let (manifest, skipped) = try ConformanceKit.write(cases, to: out, batch: batch, command: command, version: KConformVersion.current) { generated in
                "kconform gen --seed \(generated.seed) --index \(generated.index)\(layersOption) --batch \(batch) --out DIR"
            }
            for (name, reason) in skipped { FileHandleOutput.standardError("kconform: \(name) left out: \(reason)\n") }
            FileHandleOutput.standardOutput("wrote \(manifest.models.count) models to \(out)/MANIFEST.json\n")
            if manifest.models.isEmpty || !skipped.isEmpty { throw ExitCode(1) }
        } catch let error as ConformanceKit.KitError {
            FileHandleOutput.standardError("kconform: \(error)\n")
            throw ExitCode(2)
        }
    }
}
