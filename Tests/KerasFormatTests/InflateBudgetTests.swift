import KerasBytes
import KerasFormat
import Testing

/// Deflated members are inflated only within ReadLimits.maxInflatedBytes (kconform's memory and time promise).
@Suite struct InflateBudgetTests {
    static func check(_ bytes: [UInt8], limit: Int) -> CheckResult {
        var limits = ReadLimits()
        limits.maxInflatedBytes = limit
        return Checker(limits: limits).check(KerasFile.read(bytes: ByteView(copying: bytes), name: "model.keras", limits: limits))
    }

    static let padded: [UInt8] = {
        let config = ModelFixture.sequentialConfig
        return Array((String(config.dropLast()) + #", "padding": ""# + String(repeating: " ", count: 600_000) + "\"}").utf8)
    }()

    @Test func deflatedMembersBeyondTheBudgetAreNotInflated() throws {
        var members = try ModelFixture.standardMembers()
        members[1] = ("config.json", Self.padded)
        members.append(("assets/blob.bin", [UInt8](repeating: 7, count: 600_000)))
        let bytes = try ModelFixture.archive(members, deflated: ["config.json", "assets/blob.bin"])
        let tight = Self.check(bytes, limit: 500_000)
        let refused = tight.findings.filter { $0.ruleID == "KC-SAFE-011" }.compactMap(\.location.member)
        #expect(refused == ["config.json", "assets/blob.bin"])
        #expect(!tight.passed)
        let roomy = Self.check(bytes, limit: 2_000_000)
        #expect(!roomy.ruleIDs.contains("KC-SAFE-011"))
    }

    @Test func storedMembersCostNothing() throws {
        var members = try ModelFixture.standardMembers()
        members[1] = ("config.json", Self.padded)
        let result = Self.check(try ModelFixture.archive(members), limit: 1)
        #expect(!result.ruleIDs.contains("KC-SAFE-011"))
    }
}
