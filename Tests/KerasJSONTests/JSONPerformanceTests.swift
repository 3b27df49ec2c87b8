import KerasBytes
import KerasJSON
import Testing

/// Throughput on a realistic 5 MB Keras config: well under 100 ms to parse in a release build
/// (about 20 ms on an idle 2-core machine); the best of five runs is checked against the budget.
struct JSONPerformanceTests {
    #if DEBUG
    // Debug builds on a loaded CI machine: only a guard against super-linear regressions.
    static let parseBudget = Duration.seconds(30)
    static let writeBudget = Duration.seconds(30)
    #else
    static let parseBudget = Duration.milliseconds(100)
    static let writeBudget = Duration.milliseconds(100)
    #endif

    /// The fixture config with its layers repeated (renamed) until the document reaches 5 MB.
    static func fiveMegabyteConfig() throws -> [UInt8] {
        var model = try #require(JSONReader.parse(TestFiles.bytes(TestFiles.fixtures + "/valid/keras_config.json")).objectValue)
        var config = try #require(model["config"]?.objectValue)
        let templates = try #require(config["layers"]?.arrayValue)
        var layers: [JSONValue] = []
        var copy = 0
        var size = 0
        while size < 5 << 20 {
            for template in templates {
                guard var layer = template.objectValue else { continue }
                layer["name"] = .string("layer_\(copy)")
                layer["weights_hint"] = .array((0..<8).map { .number(JSONNumber(Double($0) * 0.123456789 + Double(copy))) })
                layers.append(.object(layer))
                size += JSONWriter.dumpBytes(.object(layer)).count + 2
                copy += 1
            }
        }
        config["layers"] = .array(layers)
        model["config"] = .object(config)
        return JSONWriter.dumpBytes(.object(model))
    }

    @Test func fiveMegabyteConfigParsesAndWritesWithinBudget() throws {
        let bytes = try Self.fiveMegabyteConfig()
        #expect(bytes.count >= 5 << 20)
        let input = ByteView(copying: bytes)
        let clock = ContinuousClock()
        var value: JSONValue = .null
        var best = Duration.seconds(1000)
        for _ in 0..<5 {
            value = .null
            let start = clock.now
            value = try JSONReader.parse(input)
            best = min(best, clock.now - start)
        }
        var written: [UInt8] = []
        var bestWrite = Duration.seconds(1000)
        for _ in 0..<5 {
            written = []
            let start = clock.now
            written = JSONWriter.dumpBytes(value)
            bestWrite = min(bestWrite, clock.now - start)
        }
        let identical = written == bytes
        #expect(identical)
        #expect(best < Self.parseBudget, "parse of \(bytes.count) bytes took \(best)")
        #expect(bestWrite < Self.writeBudget, "write of \(bytes.count) bytes took \(bestWrite)")
        print("KerasJSON: parse \(bytes.count) bytes in \(best), write in \(bestWrite)")
    }
}
