import Foundation
import KerasFormat
import KerasJSON
import KerasReference
import Testing

/// Every save (`.keras`, folder, legacy `.h5`, `.weights.h5`) is atomic: a save that fails midway (here a
/// layer whose sub-layer cannot be written) leaves the previous target byte-for-byte intact and no
/// temporary next to it.
@Suite struct AtomicSaveTests {
    /// A custom layer with a variable of its own, then a sub-layer at attribute `.` whose variable cannot
    /// be written: HDF5 refuses the path component `.`, after the layer's own variable was written.
    final class BrokenLayer: CustomLayer, @unchecked Sendable {
        private var inner: CustomLayer?

        override func makeVariables(_ shapes: [Shape]) throws(ReferenceError) {
            addVariable("own", shape: [2])
            let envelope = ObjectEnvelope(.object(JSONObject([("class_name", .string("Inner")), ("config", .object(JSONObject([("name", .string("."))])))])),
                                          pointer: "/inner")!
            let inner = try CustomLayer(envelope: envelope)
            inner.addVariable("w", shape: [2])
            self.inner = inner
        }

        override var children: [(attribute: String, layer: any Layer)] { inner.map { [(".", $0)] } ?? [] }

        override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] { inputs }
    }

    static func models() throws -> (good: KerasModel, broken: KerasModel) {
        let good = try KerasModel.build(config: try ModelFixtures.sequential([ModelFixtures.dense("d", units: 2)], width: 2))
        try ModelFixtures.fill(good, seed: 1)
        var objects = CustomObjects()
        objects.register("my_pkg>Broken", BrokenLayer.self)
        let broken = try KerasModel.build(config: try ModelFixtures.sequential([ModelFixtures.scale("b", registeredName: "my_pkg>Broken")], width: 2),
                                          options: LoadOptions(customObjects: objects))
        return (good, broken)
    }

    /// Every file under `url` with its bytes, by relative path.
    static func snapshot(_ url: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: url.path)
        while let name = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let path = url.path + "/" + name
            _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            result[name] = isDirectory.boolValue ? Data() : try Data(contentsOf: URL(fileURLWithPath: path))
        }
        return result
    }

    enum Format: String, CaseIterable, Sendable {
        case keras = "m.keras", folder = "m", legacy = "m.h5", weights = "m.weights.h5"

        func save(_ model: KerasModel, to path: String) throws(ReferenceError) {
            switch self {
            case .keras: try model.save(to: path)
            case .folder: try model.save(to: path, zipped: false)
            case .legacy: try model.saveLegacyH5(to: path)
            case .weights: try model.saveWeights(to: path)
            }
        }
    }

    @Test(arguments: Format.allCases)
    func failedSaveLeavesTheOldTargetIntact(format: Format) throws {
        let directory = try ModelFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (good, broken) = try Self.models()
        let target = directory.appendingPathComponent(format.rawValue).path
        try format.save(good, to: target)
        let before = try Self.snapshot(directory)
        #expect(!before.isEmpty)
        do {
            try format.save(broken, to: target)
            Issue.record("the broken model was saved")
        } catch {
            #expect(error.code == ReferenceError.Code.saveFailed)
        }
        #expect(try Self.snapshot(directory) == before, "the old target is intact and no temporary is left")
    }

    @Test(arguments: Format.allCases)
    func failedSaveCreatesNothing(format: Format) throws {
        let directory = try ModelFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (_, broken) = try Self.models()
        #expect(throws: ReferenceError(ReferenceError.Code.saveFailed, "")) {
            try format.save(broken, to: directory.appendingPathComponent(format.rawValue).path)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test(arguments: Format.allCases)
    func successfulSaveReplacesTheTarget(format: Format) throws {
        let directory = try ModelFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (good, _) = try Self.models()
        let target = directory.appendingPathComponent(format.rawValue).path
        try format.save(good, to: target)
        try ModelFixtures.fill(good, seed: 7)
        try format.save(good, to: target)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == [format.rawValue])
        let fresh = try KerasModel.build(config: try ModelFixtures.sequential([ModelFixtures.dense("d", units: 2)], width: 2))
        try fresh.loadWeights(from: format == .folder ? target + "/model.weights.h5" : target)
        #expect(ModelFixtures.values(fresh) == ModelFixtures.values(good))
    }
}
