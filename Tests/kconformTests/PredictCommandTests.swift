import Foundation
import KerasBytes
import KerasNpy
import Testing

/// `kconform predict` as a user runs it: Keras's golden inputs in, Keras's outputs back, exit statuses.
@Suite struct PredictCommandTests {
    static let io = "Corpus/golden/io/"

    static func floats(_ path: String) throws -> [Float] {
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : CommandLineTests.repositoryRoot.appendingPathComponent(path)
        let array = try NpyArray.read(try ByteView(mappingFileAt: url.path))
        return array.data.withUnsafeBytes { raw in
            (0..<array.count).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
        }
    }

    @Test func twoInputModelPredictsWhatKerasPredicted() throws {
        let output = NSTemporaryDirectory() + "kconform-predict-\(UUID().uuidString).npy"
        defer { try? FileManager.default.removeItem(atPath: output) }
        let run = try CommandLineTests.run("predict", "Corpus/golden/func_two_inputs.keras",
                                           "--input", Self.io + "func_two_inputs.inputs_0.npy",
                                           "--input", Self.io + "func_two_inputs.inputs_1.npy", "--output", output)
        #expect(run.status == 0, "\(run.error)")
        let ours = try Self.floats(output)
        let keras = try Self.floats(Self.io + "func_two_inputs.outputs.npy")
        #expect(ours.count == keras.count)
        for (a, b) in zip(ours, keras) { #expect(abs(a - b) <= 1e-5 + 1e-4 * abs(b)) }
    }

    @Test func wrongInputCountFailsWithTheReferenceError() throws {
        let run = try CommandLineTests.run("predict", "Corpus/golden/func_two_inputs.keras",
                                           "--input", Self.io + "func_two_inputs.inputs_0.npy", "--output", "/tmp/kconform-unused.npy")
        #expect(run.status == 1)
        #expect(run.error.contains("KC-REF-009"))
    }

    @Test func usageAndUnreadableInputs() throws {
        #expect(try CommandLineTests.run("predict", "Corpus/golden/seq_mlp.keras", "--output", "/tmp/x.npy").status == 2)
        let missing = try CommandLineTests.run("predict", "Corpus/golden/seq_mlp.keras", "--input", "/nonexistent.npy", "--output", "/tmp/x.npy")
        #expect(missing.status == 2)
    }
}

/// `kconform convert`: a golden archive re-saved through the reference core checks clean and predicts the same.
@Suite struct ConvertCommandTests {
    @Test func convertedArchiveChecksCleanAndPredictsTheSame() throws {
        let directory = NSTemporaryDirectory() + "kconform-convert-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let converted = directory + "/model.keras"
        let convert = try CommandLineTests.run("convert", "Corpus/golden/nested.keras", converted)
        #expect(convert.status == 0, "\(convert.error)")
        #expect(try CommandLineTests.run("check", converted).status == 0)
        let weights = directory + "/model.weights.h5"
        #expect(try CommandLineTests.run("convert", "Corpus/golden/nested.keras", weights).status == 0)
        #expect(try CommandLineTests.run("check", weights).status == 0)
        let output = directory + "/out.npy"
        let predict = try CommandLineTests.run("predict", converted, "--input", PredictCommandTests.io + "nested.inputs.npy", "--output", output)
        #expect(predict.status == 0, "\(predict.error)")
        let ours = try PredictCommandTests.floats(output)
        let keras = try PredictCommandTests.floats(PredictCommandTests.io + "nested.outputs.npy")
        #expect(ours.count == keras.count)
        #expect(zip(ours, keras).allSatisfy { abs($0 - $1) <= 1e-5 + 1e-4 * abs($1) })
        #expect(try CommandLineTests.run("convert", "Corpus/golden/nested.keras", directory + "/out.txt").status == 2)
        #expect(try CommandLineTests.run("convert", "Corpus/golden/nested.keras", converted, "--no-overwrite").status == 1)
    }
}
