import KerasBytes
import KerasJSON
import Testing

/// Budgets: each limit is enforced with its code, quickly, and no input crashes the reader.
struct JSONLimitsTests {
    private func elapsed(_ body: () throws -> Void) rethrows -> Duration {
        let clock = ContinuousClock()
        let start = clock.now
        try body()
        return clock.now - start
    }

    @Test func defaultsAreTheDocumentedOnes() {
        let limits = JSONLimits()
        #expect(limits.maxDepth == 512)
        #expect(limits.maxIntegerDigits == 4300)
        #expect(limits.maxInputBytes == 64 << 20)
        #expect(limits.maxStringBytes == 16 << 20)
        #expect(limits.maxValues == 1 << 22)
    }

    @Test func depthAtTheLimitPassesAndJustAboveIsRejected() throws {
        let atLimit = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(try JSONReader.parse(atLimit).arrayValue != nil)
        let above = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        let error = try #require(parseError(above))
        #expect(error.code == JSONError.Code.depthLimitExceeded)
        #expect(error.byteOffset == 512)
        var limits = JSONLimits()
        limits.maxDepth = 3
        #expect(parseError(#"{"a": [{"b": 1}]}"#, limits: limits) == nil)
        #expect(parseError(#"{"a": [{"b": []}]}"#, limits: limits)?.code == JSONError.Code.depthLimitExceeded)
        #expect(parseError(#"[[[{}]]]"#, limits: limits)?.code == JSONError.Code.depthLimitExceeded)
    }

    @Test func tenMegabytesOfOpenBracketsFailFast() throws {
        let bytes = ByteView(copying: [UInt8](repeating: UInt8(ascii: "["), count: 10 << 20))
        var error: JSONError?
        let time = elapsed { error = jsonError { _ = try JSONReader.parse(bytes) } }
        #expect(error?.code == JSONError.Code.depthLimitExceeded)
        #expect(time < .seconds(12), "\(time)")
    }

    @Test func tenMegabyteStringsAreBoundedInTime() throws {
        let quote = UInt8(ascii: "\"")
        let plain = ByteView(copying: [quote] + [UInt8](repeating: UInt8(ascii: "a"), count: 10 << 20) + [quote])
        var value: JSONValue?
        let time = try elapsed { value = try JSONReader.parse(plain) }
        #expect(value?.stringValue?.utf8.count == 10 << 20)
        #expect(time < .seconds(18), "\(time)")

        let escapes = ByteView(copying: [quote] + Array(repeating: Array(#"\u00e9\n"#.utf8), count: 1 << 20).flatMap { $0 } + [quote])
        let escapedTime = try elapsed { value = try JSONReader.parse(escapes) }
        #expect(value?.stringValue?.unicodeScalars.count == 2 << 20)
        #expect(escapedTime < .seconds(30), "\(escapedTime)")

        let unterminated = ByteView(copying: [quote] + [UInt8](repeating: UInt8(ascii: "a"), count: 10 << 20))
        #expect(jsonError { _ = try JSONReader.parse(unterminated) }?.code == JSONError.Code.unterminatedString)

        var limits = JSONLimits()
        limits.maxStringBytes = 1 << 20
        let error = jsonError { _ = try JSONReader.parse(plain, limits: limits) }
        #expect(error?.code == JSONError.Code.stringTooLong)
        #expect(error?.byteOffset == 0)
        #expect(parseError(#"{"k": "12345678"}"#, limits: JSONLimits(maxStringBytes: 8)) == nil)
        #expect(parseError(#"{"k": "123456789"}"#, limits: JSONLimits(maxStringBytes: 8))?.code == JSONError.Code.stringTooLong)
        #expect(parseError(#"{"123456789": 1}"#, limits: JSONLimits(maxStringBytes: 8))?.code == JSONError.Code.stringTooLong)
    }

    @Test func inputLargerThanTheLimitIsRejectedBeforeParsing() {
        let limits = JSONLimits(maxInputBytes: 8)
        #expect(parseError("[1, 2, 3]", limits: limits)?.code == JSONError.Code.inputTooLarge)
        #expect(parseError("[1, 2,3]", limits: limits) == nil)
        #expect(parseError("\u{FF}\u{FF}\u{FF}\u{FF}\u{FF}", limits: limits)?.code == JSONError.Code.inputTooLarge)
    }

    @Test func valueBudgetCountsValuesAndKeys() {
        let limits = JSONLimits(maxValues: 5)
        #expect(parseError("[1, 2, 3, 4]", limits: limits) == nil)
        #expect(parseError("[1, 2, 3, 4, 5]", limits: limits)?.code == JSONError.Code.tooManyValues)
        #expect(parseError(#"{"a": 1, "b": 2}"#, limits: limits) == nil)
        #expect(parseError(#"{"a": 1, "b": 2, "c": 3}"#, limits: limits)?.code == JSONError.Code.tooManyValues)
        #expect(parseError(#"{"a": [1, [2]]}"#, limits: limits)?.code == JSONError.Code.tooManyValues)
    }

    @Test func tenMegabytesOfZerosHitTheDefaultValueBudget() throws {
        var bytes = [UInt8(ascii: "[")]
        bytes.reserveCapacity(10 << 20)
        while bytes.count < 10 << 20 { bytes.append(contentsOf: [UInt8(ascii: "0"), UInt8(ascii: ",")]) }
        bytes.append(contentsOf: [UInt8(ascii: "0"), UInt8(ascii: "]")])
        let input = ByteView(copying: bytes)
        var error: JSONError?
        let time = elapsed { error = jsonError { _ = try JSONReader.parse(input) } }
        #expect(error?.code == JSONError.Code.tooManyValues)
        #expect(time < .seconds(60), "\(time)")
    }

    @Test func integerDigitLimitMirrorsPythonAndIsConfigurable() {
        let limits = JSONLimits(maxIntegerDigits: 3)
        #expect(parseError("[-999, 100]", limits: limits) == nil)
        #expect(parseError("1000", limits: limits)?.code == JSONError.Code.integerTooLong)
        #expect(parseError("1000.5e3", limits: limits) == nil)
        #expect(parseError(String(repeating: "1", count: 4300)) == nil)
        #expect(parseError("-" + String(repeating: "1", count: 4301))?.code == JSONError.Code.integerTooLong)
        #expect(parseError(String(repeating: "1", count: 100_000) + ".5") == nil)
    }

    @Test func longPointersAreCutToTheirBudget() throws {
        let key = String(repeating: "k", count: 100)
        let text = #"{"\#(key)": {"\#(key)": [1, x]}}"#
        let error = try #require(parseError(text, limits: JSONLimits(maxPointerBytes: 40)))
        let pointer = try #require(error.pointer)
        #expect(pointer.utf8.count <= 40)
        #expect(pointer.hasSuffix("…"))
        #expect(pointer.hasPrefix("/kkkk"))
        let duplicate = try JSONReader.parseDocument(ByteView(copying: Array(#"{"\#(key)": {"a": 1, "a": 2}}"#.utf8)),
                                                     limits: JSONLimits(maxPointerBytes: 10))
        #expect(duplicate.duplicateKeys.first?.utf8.count ?? 99 <= 10)
    }

    @Test func everyStrictPrefixOfAValidDocumentIsRejected() throws {
        let config = try TestFiles.bytes(TestFiles.fixtures + "/valid/keras_config.json").bytes
        let handmade = Array(#"{"a": [1, -2.5e-3, true, false, null, NaN, -Infinity], "é\u00e9\ud83d\ude00": "x\n\"y", "n": {}}"#.utf8)
        for document in [config, handmade] {
            #expect(try JSONReader.parse(ByteView(copying: document)).objectValue != nil)
            for length in 0..<document.count {
                let prefix = ByteView(copying: document[..<length])
                let error = jsonError { _ = try JSONReader.parse(prefix) }
                #expect(error != nil, "prefix of \(length) bytes was accepted")
            }
        }
    }

    @Test func randomMutationsNeverCrashAndWhatParsesRoundTrips() throws {
        let original = try TestFiles.bytes(TestFiles.fixtures + "/valid/keras_config.json").bytes
        let alphabet = Array(#"[]{}",:\u0123456789-+.eEnNtrfI "#.utf8) + [0x00, 0x0A, 0x80, 0xC3, 0xED, 0xF4, 0xFF]
        var random = SeededGenerator(seed: 7)
        var accepted = 0
        var rejected = 0
        for _ in 0..<1500 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let position = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: bytes[position] = alphabet.randomElement(using: &random)!
                case 1: bytes.insert(alphabet.randomElement(using: &random)!, at: position)
                default: bytes.remove(at: position)
                }
            }
            let input = ByteView(copying: bytes)
            if let error = jsonError({ _ = try JSONReader.parse(input) }) {
                let valid = error.line >= 1 && error.column >= 1 && error.byteOffset >= 0 && error.byteOffset <= bytes.count
                #expect(JSONError.Code.all.contains(error.code))
                #expect(valid, "\(error)")
                rejected += 1
            } else {
                let written = JSONWriter.dumpBytes(try JSONReader.parse(input))
                let stable = try JSONWriter.dumpBytes(JSONReader.parse(ByteView(copying: written))) == written
                #expect(stable)
                accepted += 1
            }
        }
        #expect(accepted > 0 && rejected > 0)
    }
}
