import KerasBytes
import KerasJSON
import Testing

/// Seeded random values: `parse(dumps(v)) == v` and `dumps` is stable, under every writer option.
struct JSONRoundTripTests {
    @Test func randomValuesRoundTripExactly() throws {
        for seed in UInt64(1)...400 {
            var generator = RandomJSON(seed: seed)
            let value = generator.value(depth: 0)
            let written = JSONWriter.dumpBytes(value)
            let reread = try JSONReader.parse(ByteView(copying: written))
            let sameValue = reread == value
            let stable = JSONWriter.dumpBytes(reread) == written
            #expect(sameValue, "seed \(seed): \(String(decoding: written.prefix(300), as: UTF8.self))")
            #expect(stable, "seed \(seed)")
        }
    }

    @Test func randomValuesRoundTripUnderEveryWriterOption() throws {
        let optionSets: [JSONWriter.Options] = [
            .init(indent: 4), .init(indent: 0), .init(ensureASCII: false), .init(indent: 2, ensureASCII: false),
        ]
        for seed in UInt64(1000)...1150 {
            var generator = RandomJSON(seed: seed)
            let value = generator.value(depth: 0)
            for options in optionSets {
                let written = JSONWriter.dumpBytes(value, options: options)
                let reread = try JSONReader.parse(ByteView(copying: written))
                let sameValue = reread == value
                #expect(sameValue, "seed \(seed), options \(options)")
            }
            let sorted = JSONWriter.dumpBytes(value, options: .init(sortKeys: true))
            let rereadSorted = try JSONReader.parse(ByteView(copying: sorted))
            let sortedStable = JSONWriter.dumpBytes(rereadSorted, options: .init(sortKeys: true)) == sorted
            #expect(sortedStable, "seed \(seed), sorted")
        }
    }

    @Test func generatorCoversTheInterestingCases() {
        var kinds = Set<String>()
        for seed in UInt64(1)...400 {
            var generator = RandomJSON(seed: seed)
            collectKinds(generator.value(depth: 0), into: &kinds)
        }
        for kind in ["bigInteger", "nan", "infinity", "negativeZero", "astral", "control", "object", "array"] {
            #expect(kinds.contains(kind), "\(kind)")
        }
    }

    private func collectKinds(_ value: JSONValue, into kinds: inout Set<String>) {
        switch value {
        case .number(let number):
            if number.isInteger, number.intValue == nil { kinds.insert("bigInteger") }
            if let float = number.floatValue {
                if float.isNaN { kinds.insert("nan") }
                if float.isInfinite { kinds.insert("infinity") }
                if float == 0, float.sign == .minus { kinds.insert("negativeZero") }
            }
        case .string(let string):
            if string.unicodeScalars.contains(where: { $0.value > 0xFFFF }) { kinds.insert("astral") }
            if string.unicodeScalars.contains(where: { $0.value < 0x20 }) { kinds.insert("control") }
        case .array(let elements):
            kinds.insert("array")
            for element in elements { collectKinds(element, into: &kinds) }
        case .object(let object):
            kinds.insert("object")
            for member in object { collectKinds(member.value, into: &kinds) }
        default:
            break
        }
    }
}
