import Foundation
import KerasFormat
import Testing

/// `model.weights.npz` members: `.npy` headers parsed without unpickling (FORMAT.md 5.2, THREATS.md C5).
@Suite struct NpzWeightsTests {
    /// A version 1.0 `.npy` file with `header` (padded to 64 bytes as NumPy does) followed by `data`.
    static func npy(_ header: String, data: [UInt8]) -> [UInt8] {
        var text = header
        while (10 + text.utf8.count + 1) % 64 != 0 { text += " " }
        text += "\n"
        let length = UInt16(text.utf8.count)
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)] + Array(text.utf8) + data
    }

    static func archive(npz members: [(String, [UInt8])]) throws -> [UInt8] {
        let npz = try ModelFixture.archive(members)
        var parts = try ModelFixture.standardMembers().filter { $0.0 != "model.weights.h5" }
        parts.append(("model.weights.npz", npz))
        return try ModelFixture.archive(parts)
    }

    @Test func numericMembersPass() throws {
        let floats = Self.npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", data: [0, 0, 128, 63, 0, 0, 0, 64])
        let ids = ModelFixture.check(try Self.archive(npz: [("layers/dense.npy", floats)])).ruleIDs
        #expect(ids.filter { $0.hasPrefix("KC-NPY") }.isEmpty)
        #expect(ids.contains("KC-ARC-007"))
    }

    @Test func objectArraysAreRefusedWithoutUnpickling() throws {
        let pickle: [UInt8] = [0x80, 0x04, 0x95] + Array("cbuiltins\nprint\n".utf8)
        let member = Self.npy("{'descr': '|O', 'fortran_order': False, 'shape': (), }", data: pickle)
        let result = ModelFixture.check(try Self.archive(npz: [("layers/dense.npy", member)]))
        let finding = try #require(result.findings.first { $0.ruleID == "KC-NPY-006" })
        #expect(finding.severity == .error)
        #expect(finding.location.member == "model.weights.npz!/layers/dense.npy")
    }

    @Test func declaredShapesMustMatchTheStoredData() throws {
        let member = Self.npy("{'descr': '<f4', 'fortran_order': False, 'shape': (67108864,), }", data: [UInt8](repeating: 0, count: 16))
        #expect(ModelFixture.check(try Self.archive(npz: [("a.npy", member)])).ruleIDs.contains("KC-NPY-007"))
        let huge = Self.npy("{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296), }", data: [])
        let ids = ModelFixture.check(try Self.archive(npz: [("b.npy", huge)])).ruleIDs
        #expect(ids.contains("KC-NPY-008") || ids.contains("KC-NPY-010"))
    }

    @Test func otherMembersAndBrokenNpzAreReported() throws {
        let ids = ModelFixture.check(try Self.archive(npz: [("notes.txt", Array("hello".utf8))])).ruleIDs
        #expect(ids.contains("KC-ARC-004"))
        var parts = try ModelFixture.standardMembers().filter { $0.0 != "model.weights.h5" }
        parts.append(("model.weights.npz", Array("not a zip".utf8)))
        #expect(ModelFixture.check(try ModelFixture.archive(parts)).ruleIDs.contains { $0.hasPrefix("KC-ZIP") })
    }
}
