import Foundation
import KerasBytes
import KerasJSON
import Testing

/// JSON files of the golden corpus: those Keras wrote re-dump byte for byte, the rest round-trip.
struct JSONGoldenTests {
    /// `Corpus/golden`, or the directory in `KCONFORM_GOLDEN_DIR` when set.
    static let goldenDirectory = ProcessInfo.processInfo.environment["KCONFORM_GOLDEN_DIR"] ?? TestFiles.corpus + "/golden"

    static func jsonFiles() -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: goldenDirectory) else { return [] }
        return walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".json") }.sorted()
    }

    /// The `json.dumps` options Keras writes a file with (FORMAT.md 1, 3, 5.1), or nil for files
    /// written by other tools (the corpus manifest and expectation files).
    static func kerasLayout(of file: String) -> JSONWriter.Options? {
        let name = file.split(separator: "/").last.map(String.init) ?? file
        if name.hasSuffix(".weights.json") { return JSONWriter.Options(indent: 4) }
        if name == "config.json" || name == "metadata.json" { return JSONWriter.Options() }
        return nil
    }

    /// Files that hold, on purpose, JSON Python reads and kconform refuses, with the rule it must give:
    /// the golden config values include a `__bytes__` of a lone surrogate (`"\ud800"`), on which Keras fails
    /// too (docs/DIVERGENCES.md, JSON); `ValueSerializationTests` reads that file case by case.
    static let refusedOnPurpose = ["serialization/keras_values.json": "KC-JSON-012"]

    @Test(.enabled(if: !jsonFiles().isEmpty, "Corpus/golden holds no .json files yet"))
    func kerasWrittenJSONRedumpsIdenticallyAndOtherJSONRoundTrips() throws {
        var kerasWritten = 0
        for file in Self.jsonFiles() {
            let input = try TestFiles.bytes(Self.goldenDirectory + "/" + file)
            let value: JSONValue
            do {
                value = try JSONReader.parse(input)
            } catch {
                if let expected = Self.refusedOnPurpose[file] {
                    #expect(error.code.ruleID == expected, "\(file): \(error)")
                } else {
                    Issue.record("\(file): \(error)")
                }
                continue
            }
            #expect(Self.refusedOnPurpose[file] == nil, "\(file) parses, but is listed as refused on purpose")
            if let options = Self.kerasLayout(of: file) {
                let written = JSONWriter.dumpBytes(value, options: options)
                let identical = written == input.bytes
                #expect(identical, "\(file): \(firstDifference(written, input.bytes))")
                kerasWritten += 1
            } else {
                let written = JSONWriter.dumpBytes(value)
                let reread = try JSONReader.parse(ByteView(copying: written))
                #expect(reread == value, "\(file)")
            }
        }
        #expect(kerasWritten > 0, "no config.json, metadata.json or *.weights.json in \(Self.goldenDirectory)")
    }
}
