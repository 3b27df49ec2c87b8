import Foundation
import KerasBytes
import KerasFormat
import KerasReference
import Testing

/// `save(to:zipped: false)` writes the unzipped model folder of `saving_lib.save_model(model, path,
/// zipped=False)` (SL:161-192): `metadata.json`, `config.json`, `model.weights.h5`, `assets/`; our loader
/// reads it back to the same predictions.
@Suite struct FolderSaveTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Corpus/golden")

    /// Deterministic inputs of the model's input shapes, batch 2.
    static func inputs(_ model: KerasModel) -> [Tensor] {
        model.inputShapes.map { shape in
            let dimensions = [2] + shape.dropFirst().map { $0 ?? 1 }
            let count = dimensions.reduce(1, *)
            return Tensor(shape: dimensions, scalars: (0..<count).map { Float($0 % 7) / 7 - 0.4 })
        }
    }

    @Test(arguments: ["seq_mlp.keras", "func_two_inputs.keras", "conv_bn.keras", "nested.keras"])
    func folderRoundTripPredictsTheSame(name: String) throws {
        let directory = try ModelFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let original = try loadModel(from: Self.golden.appendingPathComponent(name).path)
        let folder = directory.appendingPathComponent("model").path
        try original.save(to: folder, zipped: false)

        let manager = FileManager.default
        #expect(try manager.contentsOfDirectory(atPath: folder).sorted() == ["assets", "config.json", "metadata.json", "model.weights.h5"])
        #expect(try manager.contentsOfDirectory(atPath: folder + "/assets").isEmpty)
        #expect(try manager.contentsOfDirectory(atPath: directory.path) == ["model"], "no temporary sibling is left")
        let configBytes = try #require(original.file.archive.flatMap { archive in archive.entry(named: "config.json").flatMap { try? archive.contents(of: $0) } })
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/config.json")) == Data(configBytes.bytes))

        let reloaded = try loadModel(from: folder)
        #expect(reloaded.file.kind == .modelFolder)
        #expect(reloaded.file.findings.filter { $0.severity == .error }.isEmpty)
        let inputs = Self.inputs(original)
        #expect(try reloaded.predict(inputs) == original.predict(inputs))
    }

    @Test func assetsAreWrittenUnderAssets() throws {
        let directory = try ModelFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let original = try loadModel(from: Self.golden.appendingPathComponent("folder_assets").path)
        let folder = directory.appendingPathComponent("copy").path
        try original.save(to: folder + "/", zipped: false)
        let asset = "/assets/layers/integer_lookup/vocabulary.txt"
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + asset)) == Data(contentsOf: Self.golden.appendingPathComponent("folder_assets" + asset)))
        // A .keras written from a folder model carries the assets too.
        let archive = directory.appendingPathComponent("copy.keras").path
        try original.save(to: archive)
        let reread = try KerasFile.open(archive)
        #expect(reread.members.map(\.name).contains(String(asset.dropFirst())))
    }

    @Test func folderPathsFollowKerasRules() throws {
        let directory = try ModelFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = try loadModel(from: Self.golden.appendingPathComponent("seq_mlp.keras").path)
        do {
            try model.save(to: directory.appendingPathComponent("m.keras").path, zipped: false)
            Issue.record("a folder named .keras was written")
        } catch {
            #expect(error.code == ReferenceError.Code.saveFailed)
            #expect(error.reason.hasPrefix("When using `zipped=False`, the `filepath` argument should not end in `.keras`."))
        }
        let folder = directory.appendingPathComponent("m").path
        try model.save(to: folder, zipped: false)
        #expect(throws: ReferenceError(ReferenceError.Code.saveFailed, "")) { try model.save(to: folder, overwrite: false, zipped: false) }
        try model.save(to: folder, zipped: false)
        #expect(try loadModel(from: folder).predict(Self.inputs(model)) == model.predict(Self.inputs(model)))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["m"], "the replaced folder and temporaries are gone")
    }

    @Test func aDirectoryThatIsNotAModelFolderIsNeverReplaced() throws {
        let directory = try ModelFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = try loadModel(from: Self.golden.appendingPathComponent("seq_mlp.keras").path)
        let precious = directory.appendingPathComponent("notes.txt")
        try Data("keep me".utf8).write(to: precious)
        #expect(throws: ReferenceError(ReferenceError.Code.saveFailed, "")) { try model.save(to: directory.path, zipped: false) }
        #expect(try Data(contentsOf: precious) == Data("keep me".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["notes.txt"])
    }
}
