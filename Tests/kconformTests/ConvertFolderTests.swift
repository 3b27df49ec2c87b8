import Foundation
import Testing

/// `kconform convert IN OUT/` writes an unzipped model folder when OUT ends in '/' or is an existing
/// directory; the folder checks clean and predicts what Keras predicted.
@Suite struct ConvertFolderTests {
    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "kconform-convert-folder-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func trailingSlashWritesAFolderThatChecksCleanAndPredicts() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let folder = directory + "/seq_mlp"
        let convert = try CommandLineTests.run("convert", "Corpus/golden/seq_mlp.keras", folder + "/")
        #expect(convert.status == 0, "\(convert.error)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["assets", "config.json", "metadata.json", "model.weights.h5"])
        let check = try CommandLineTests.run("check", folder)
        #expect(check.status == 0, "\(check.output)\(check.error)")

        let output = directory + "/out.npy"
        let predict = try CommandLineTests.run("predict", folder, "--input", PredictCommandTests.io + "seq_mlp.inputs.npy", "--output", output)
        #expect(predict.status == 0, "\(predict.error)")
        let ours = try PredictCommandTests.floats(output)
        let keras = try PredictCommandTests.floats(PredictCommandTests.io + "seq_mlp.outputs.npy")
        #expect(ours.count == keras.count)
        #expect(zip(ours, keras).allSatisfy { abs($0 - $1) <= 1e-5 + 1e-4 * abs($1) })
    }

    @Test func existingModelFolderIsReplacedOnlyWithoutNoOverwrite() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let folder = directory + "/model"
        #expect(try CommandLineTests.run("convert", "Corpus/golden/seq_mlp.keras", folder + "/").status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: folder + "/config.json"))
        let refused = try CommandLineTests.run("convert", "Corpus/golden/conv_bn.keras", folder, "--no-overwrite")
        #expect(refused.status == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/config.json")) == before)
        #expect(try CommandLineTests.run("convert", "Corpus/golden/conv_bn.keras", folder).status == 0, "an existing directory is a folder target")
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/config.json")) != before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["model"])
    }

    @Test func aDirectoryWithOtherFilesIsNotReplaced() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data("keep".utf8).write(to: URL(fileURLWithPath: directory + "/notes.txt"))
        let run = try CommandLineTests.run("convert", "Corpus/golden/seq_mlp.keras", directory)
        #expect(run.status == 1)
        #expect(run.error.contains("KC-REF-012"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["notes.txt"])
    }

    @Test func noOverwriteKeepsEveryFileFormat() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for name in ["m.weights.h5", "m.h5", "m.keras"] {
            let path = directory + "/" + name
            try Data("old".utf8).write(to: URL(fileURLWithPath: path))
            #expect(try CommandLineTests.run("convert", "Corpus/golden/seq_mlp.keras", path, "--no-overwrite").status == 1, "\(name)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data("old".utf8), "\(name)")
        }
    }

    @Test func helpDescribesFolderOutput() throws {
        let run = try CommandLineTests.run("convert", "--help")
        #expect(run.status == 0)
        #expect(run.output.contains("unzipped model folder"))
        #expect(!run.output.contains("not written yet"))
    }
}
