import Foundation
import KerasBytes
import KerasFormat
import KerasHDF5
import Testing

/// Rules about the weights layout and data, in archives, `.weights.h5`, legacy `.h5` and sharded saves.
@Suite struct WeightsRuleTests {
    private func checkWeights(_ weights: [UInt8]) throws -> CheckResult {
        ModelFixture.check(try ModelFixture.archive(try ModelFixture.standardMembers(weights: weights)))
    }

    @Test func nanAndInfinityAreCountedAsAWarning() throws {
        let result = try checkWeights(try ModelFixture.weights(kernel: [1, .nan, .infinity, -.infinity, 5, .nan]))
        let finding = try #require(result.findings.first)
        #expect(result.ruleIDs == [Rule.nonFiniteWeights.id])
        #expect(finding.message == "2 NaN and 2 infinite values")
        #expect(finding.location.hdf5Path == "/layers/dense/vars/0")
        #expect(result.passed)
    }

    @Test func keysOutsideZeroToNAreNeverLoaded() throws {
        let weights = try ModelFixture.weights { writer in
            try writer.createDataset("/layers/dense/vars/3", dtype: .float32, shape: [1], data: ModelFixture.floats([1]))
            try writer.createDataset("/layers/dense/vars/01", dtype: .float32, shape: [1], data: ModelFixture.floats([1]))
        }
        let result = try checkWeights(weights)
        // Keras loads neither key, so the Dense layer also gets none of the 2 variables its config declares.
        #expect(result.ruleIDs == [Rule.varsKeys.id, Rule.configShapeMismatch.id])
        #expect(result.findings.first?.message.contains("01, 3") == true)
    }

    @Test func datasetsOutsideVarsAndUnnamedVarsAreReported() throws {
        let weights = try ModelFixture.weights { writer in
            try writer.createDataset("/layers/dense/kernel", dtype: .float32, shape: [1], data: ModelFixture.floats([1]))
            try writer.createDataset("/layers/extra/vars/0", dtype: .float32, shape: [1], data: ModelFixture.floats([1]))
        }
        let result = try checkWeights(weights)
        #expect(Set(result.ruleIDs) == [Rule.strayDataset.id, Rule.varsWithoutName.id])
    }

    @Test func everyKerasDTypeIsAcceptedAndScannedOnlyWhenFloat() throws {
        let types: [(HDF5Writer.DType, Int)] = [(.float16, 2), (.float64, 8), (.int8, 1), (.int64, 8), (.uint16, 2), (.bool, 1), (.bfloat16, 2)]
        let weights = try ModelFixture.weights { writer in
            for (index, (dtype, size)) in types.enumerated() {
                let path = "/layers/t\(index)/vars"
                try writer.createGroup(path)
                try writer.setStringAttribute(path, name: "name", value: "t\(index)")
                try writer.createDataset(path + "/0", dtype: dtype, shape: [4], data: ByteView(copying: [UInt8](repeating: 0, count: 4 * size)))
            }
        }
        let result = try checkWeights(weights)
        #expect(result.findings.isEmpty, "\(result.findings)")
        let file = KerasFile.read(bytes: ByteView(copying: try ModelFixture.archive(try ModelFixture.standardMembers(weights: weights))), name: "m.keras")
        let dtypes = file.weights?.variables.map(\.dtype) ?? []
        #expect(dtypes.suffix(types.count) == ["float16", "float64", "int8", "int64", "uint16", "bool", "bfloat16"])
    }

    @Test func standaloneWeightsFileNamedLikeLegacyIsAMismatch() throws {
        let weights = try ModelFixture.weights()
        #expect(ModelFixture.check(weights, name: "model.weights.h5").findings.isEmpty)
        let misnamed = ModelFixture.check(weights, name: "model.h5")
        #expect(misnamed.ruleIDs == [Rule.extensionMismatch.id])
        #expect(misnamed.kind == .weightsH5)
    }

    @Test func legacyLayerNamesMustNameGroupsAndWeights() throws {
        let writer = try HDF5Writer()
        try writer.setStringAttribute("/", name: "model_config", value: ModelFixture.sequentialConfig, charset: .ascii)
        try writer.createGroup("/model_weights/dense/dense")
        try writer.setStringArrayAttribute("/model_weights", name: "layer_names", values: ["dense", "missing_layer"], charset: .ascii)
        try writer.setStringArrayAttribute("/model_weights/dense", name: "weight_names", values: ["dense/kernel", "dense/bias"], charset: .ascii)
        try writer.createDataset("/model_weights/dense/dense/kernel", dtype: .float32, shape: [3, 2], data: ModelFixture.floats([1, 2, 3, 4, 5, 6]))
        let result = ModelFixture.check(try writer.finish(), name: "legacy.h5")
        #expect(result.kind == .legacyModel)
        #expect(result.ruleIDs == [Rule.legacyWeightMissing.id, Rule.legacyLayerGroup.id])
        #expect(result.datasetsRead == 1)
    }

    @Test func legacyNamesSplitIntoChunksAreJoined() throws {
        let writer = try HDF5Writer()
        try writer.setFixedStringArrayAttribute("/", name: "layer_names0", values: ["a"])
        try writer.setFixedStringArrayAttribute("/", name: "layer_names1", values: ["b"])
        for name in ["a", "b"] {
            try writer.createGroup("/\(name)")
            try writer.setFloat64ArrayAttribute("/\(name)", name: "weight_names", values: [])
        }
        let file = KerasFile.read(bytes: ByteView(copying: try writer.finish()), name: "weights.h5")
        #expect(file.kind == .legacyWeights)
        #expect(file.weights?.objects.map(\.path) == ["a", "b"])
        #expect(file.findings.isEmpty, "\(file.findings)")
    }

    @Test func shardedIndexProblemsAreFound() throws {
        let directory = try TemporaryDirectory()
        try directory.write("m_00000.weights.h5", try ModelFixture.weights())
        let index = """
            {"metadata": {"total_size": 32.0}, "weight_map": {"/layers/dense/vars": "m_00000.weights.h5", \
            "/vars": ["m_00000.weights.h5"], "/layers/ghost/vars": "m_00000.weights.h5", \
            "/optimizer/vars": "m_00001.weights.h5", "/x/vars": "../escape.weights.h5", "/y/vars": 3}}
            """
        try directory.write("m.weights.json", Array(index.utf8))
        let result = try Checker().check(directory.path + "/m.weights.json")
        #expect(result.kind == .shardedWeights)
        #expect(result.ruleIDs.sorted() == [Rule.shardIndexShape.id, Rule.missingShard.id, Rule.shardPathEscapes.id, Rule.shardGroupMissing.id].sorted())
        #expect(result.datasetsRead == 2)
    }

    @Test func modelFolderIsReadLikeAnArchive() throws {
        let directory = try TemporaryDirectory()
        for (name, bytes) in try ModelFixture.standardMembers() { try directory.write(name, bytes) }
        let result = try Checker().check(directory.path)
        #expect(result.kind == .modelFolder)
        #expect(result.findings.isEmpty, "\(result.findings)")
        #expect(result.datasetsRead == 2)
        try FileManager.default.createSymbolicLink(atPath: directory.path + "/config.json.link", withDestinationPath: "/etc/hostname")
        let linked = try Checker().check(directory.path)
        #expect(linked.ruleIDs == [Rule.unexpectedMember.id])
    }

    @Test func folderWithoutConfigIsReported() throws {
        let directory = try TemporaryDirectory()
        try directory.write("model.weights.h5", try ModelFixture.weights())
        #expect(try Checker().check(directory.path).ruleIDs == [Rule.folderWithoutConfig.id])
    }

    @Test func missingPathThrows() {
        #expect(throws: KerasFileError.self) { try Checker().check("/nonexistent/kconform/model.keras") }
    }
}
