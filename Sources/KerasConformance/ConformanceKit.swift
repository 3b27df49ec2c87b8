import Foundation
import KerasBytes
import KerasNpy
import KerasReference

/// A conformance kit: generated models as `.keras` files with their inputs and the producer's outputs as
/// `.npy`, and a manifest, for any Keras-format implementation to consume (Tests/python/README-kit.md).
///
/// Layout: `DIR/MANIFEST.json`, `DIR/<name>.keras`, `DIR/io/<name>.inputs_<i>.npy` (float32, or int32 for
/// token ids), `DIR/io/<name>.outputs_<j>.npy` (float32, in the model's output order). `kconform gen`
/// writes kits whose outputs are kconform's; `scripts/conformance/gen_keras_models.py` writes kits whose
/// outputs are Keras's. ``run(_:)`` runs any kit through the reference core.
public enum ConformanceKit {
    /// `MANIFEST.json`.
    public struct Manifest: Codable, Sendable {
        /// The kit format's version: 1.
        public var schema: Int
        /// Who wrote the kit.
        public var producer: Producer
        /// The models by name.
        public var models: [String: Model]
    }

    /// Who wrote a kit and how.
    public struct Producer: Codable, Sendable {
        /// `kconform` or `keras`.
        public var tool: String
        /// The producer's version.
        public var version: String?
        /// The Keras version the producer conforms to or is.
        public var kerasVersion: String?
        /// The run's seed.
        public var seed: UInt64?
        /// How many models.
        public var count: Int?
        /// The command that wrote the kit.
        public var command: String?

        enum CodingKeys: String, CodingKey {
            case tool, version, kerasVersion = "keras_version", seed, count, command
        }
    }

    /// One model of a kit.
    public struct Model: Codable, Sendable {
        /// The `.keras` file, relative to the kit.
        public var file: String
        /// The inputs' `.npy` files, in the model's input order.
        public var inputs: [String]
        /// The outputs' `.npy` files, in the model's output order.
        public var outputs: [String]
        /// The command that regenerates this model alone.
        public var replay: String?
        /// `sequential` or `functional`.
        public var kind: String?
        /// The layer classes, nested models' included.
        public var layers: [String]?
        /// The dtype policy.
        public var policy: String?
    }

    /// Why a kit could not be written or read.
    public struct KitError: Error, Sendable, CustomStringConvertible {
        /// What went wrong, with the path.
        public let description: String
    }

    /// Writes `cases` into `directory` (created when missing): each model instantiated with its seeded
    /// weights, saved, run on `batch` seeded inputs. A case the reference core cannot save or run is left
    /// out and returned in `skipped` with the reason.
    public static func write(_ cases: [GeneratedCase], to directory: String, batch: Int, command: String, version: String,
                             replay: (GeneratedCase) -> String) throws(KitError) -> (manifest: Manifest, skipped: [(String, String)]) {
        let io = directory + "/io"
        do { try FileManager.default.createDirectory(atPath: io, withIntermediateDirectories: true) } catch {
            throw KitError(description: "cannot create \(io): \(error.localizedDescription)")
        }
        var models: [String: Model] = [:]
        var skipped: [(String, String)] = []
        for generatedCase in cases {
            let generated = generatedCase.model, name = generatedCase.name
            let inputs = generated.makeInputs(batch: batch)
            let outputs: [Tensor]
            do throws(ReferenceError) {
                let model = try generated.instantiate()
                outputs = try model.predict(inputs)
                try model.save(to: directory + "/" + name + ".keras")
            } catch {
                skipped.append((name, "\(error.code.ruleID) \(error.code.name): \(error.reason)"))
                continue
            }
            var entry = Model(file: name + ".keras", inputs: [], outputs: [], replay: replay(generatedCase), kind: generated.kind.rawValue,
                              layers: generated.layerClasses, policy: generated.policy)
            for (index, (tensor, spec)) in zip(inputs, generated.inputs).enumerated() {
                let path = "io/\(name).inputs_\(index).npy"
                try write(npy(tensor, integer: spec.dtype == "int32"), to: directory + "/" + path)
                entry.inputs.append(path)
            }
            for (index, tensor) in outputs.enumerated() {
                let path = "io/\(name).outputs_\(index).npy"
                try write(tensor.npyArray.fileBytes(), to: directory + "/" + path)
                entry.outputs.append(path)
            }
            models[name] = entry
        }
        let seed = cases.first?.seed
        let manifest = Manifest(schema: 1, producer: Producer(tool: "kconform", version: version, kerasVersion: KerasModel.kerasVersion,
                                                              seed: seed, count: cases.count, command: command), models: models)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do { try write(Array(try encoder.encode(manifest)) + [0x0A], to: directory + "/MANIFEST.json") } catch let error as KitError { throw error } catch {
            throw KitError(description: "cannot encode the manifest: \(error)")
        }
        return (manifest, skipped)
    }

    /// Reads `DIR/MANIFEST.json`.
    public static func read(_ directory: String) throws(KitError) -> Manifest {
        let path = directory + "/MANIFEST.json"
        guard let data = FileManager.default.contents(atPath: path) else { throw KitError(description: "\(path): cannot be read") }
        do { return try JSONDecoder().decode(Manifest.self, from: data) } catch {
            throw KitError(description: "\(path): not a kit manifest: \(error)")
        }
    }

    /// Runs every model of the kit in `directory` through the reference core (safe mode) and compares its
    /// outputs with the kit's (``OutputComparison/forModel(layers:policy:)``).
    public static func run(_ directory: String, progress: (Int, Int, String) -> Void = { _, _, _ in }) -> [CaseResult] {
        let manifest: Manifest
        do throws(KitError) { manifest = try read(directory) } catch {
            return [CaseResult(name: directory, source: "kit", property: "predict", format: ".keras", outcome: .harnessError, detail: error.description, replay: "", layers: [])]
        }
        let names = manifest.models.keys.sorted()
        var results: [CaseResult] = []
        for (index, name) in names.enumerated() {
            progress(index, names.count, name)
            let model = manifest.models[name]!
            let replay = "kconform conform --kit \(directory)  # model \(name)" + (model.replay.map { "; regenerate: \($0)" } ?? "")
            func result(_ outcome: CaseOutcome, _ detail: String = "") -> CaseResult {
                CaseResult(name: name, source: "kit", property: "predict", format: ".keras", outcome: outcome, detail: detail, replay: replay, layers: model.layers ?? [])
            }
            let inputs: [Tensor], expected: [Tensor]
            do throws(KitError) {
                inputs = try model.inputs.map { path throws(KitError) in try tensor(directory + "/" + path) }
                expected = try model.outputs.map { path throws(KitError) in try tensor(directory + "/" + path) }
            } catch {
                results.append(result(.harnessError, error.description))
                continue
            }
            let outputs: [Tensor]
            do throws(ReferenceError) {
                outputs = try loadModel(from: directory + "/" + model.file).predict(inputs)
            } catch {
                results.append(result(error.code == ReferenceError.Code.notImplemented ? .unsupported : .fail,
                                      "\(error.code.ruleID) \(error.code.name): \(error.reason) at \(error.location)"))
                continue
            }
            let comparison = OutputComparison.forModel(layers: model.layers?.count ?? 0, policy: model.policy ?? "float32")
            if let difference = comparison.difference(outputs, expected) {
                results.append(result(.fail, difference))
            } else {
                results.append(result(.pass))
            }
        }
        return results
    }

    /// The `.npy` bytes of `tensor`: float32, or int32 (token ids) when `integer`.
    static func npy(_ tensor: Tensor, integer: Bool) -> [UInt8] {
        guard integer, let int32 = NpyDType(kind: .signed, size: 4) else { return tensor.npyArray.fileBytes() }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(tensor.count * 4)
        for value in tensor.scalars { withUnsafeBytes(of: Int32(value).littleEndian) { bytes += $0 } }
        return NpyArray(dtype: int32, shape: tensor.shape, data: ByteView(copying: bytes))!.fileBytes()
    }

    static func tensor(_ path: String) throws(KitError) -> Tensor {
        do {
            return try Tensor(try NpyArray.read(try ByteView(mappingFileAt: path)))
        } catch {
            throw KitError(description: "\(path): \(error)")
        }
    }

    static func write(_ bytes: [UInt8], to path: String) throws(KitError) {
        do { try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw KitError(description: "cannot write \(path): \(error.localizedDescription)")
        }
    }
}
