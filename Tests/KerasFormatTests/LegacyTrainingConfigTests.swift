import Foundation
@testable import KerasFormat
import KerasJSON
import Testing

/// tf-keras names its optimizers `Custom>Adam`; Keras 3 compiles `optimizers.get(config.name)` instead
/// (LSU:235-246). A compiled Keras 2 file is benign: a warning, not a safety finding.
@Suite struct LegacyTrainingConfigTests {
    static let here = Location(file: "x.h5", hdf5Path: "/@training_config")

    static func review(_ json: String) throws -> (findings: [Finding], scanned: JSONValue) {
        LegacyTrainingConfig.review(try JSONReader.parse(json), at: here)
    }

    @Test func tfKerasOptimizerIsAWarningNotASafetyFinding() throws {
        let path = CorpusLocation.golden.appendingPathComponent("keras2/adam_trained.h5").path
        let result = try Checker().check(path)
        #expect(result.passed)
        #expect(result.findings.map(\.ruleID) == ["KC-LEG-005"])
        #expect(result.findings.first?.location.jsonPointer == "/optimizer_config/class_name")
    }

    @Test func optimizerNameThatKerasCannotResolveIsAnError() throws {
        let review = try Self.review(#"{"loss": "mse", "optimizer_config": {"class_name": "Custom>Adam", "config": {"name": "my_optimizer"}}}"#)
        #expect(review.findings.map(\.ruleID) == ["KC-LEG-006"])
    }

    @Test func reducedEnvelopeIsStillScannedForCode() throws {
        let review = try Self.review(#"{"optimizer_config": {"class_name": "Custom>SGD", "config": {"name": "SGD", "learning_rate": {"class_name": "__lambda__", "config": {"code": "YWJj"}}}}}"#)
        #expect(review.findings.map(\.ruleID) == ["KC-LEG-005"])
        let safety = SafetyPolicy().scan(config: review.scanned, at: Self.here)
        #expect(safety.map(\.ruleID).contains("KC-SAFE-001"), "\(safety.map(\.ruleID))")
    }

    @Test func otherUnresolvedClassesStayWithTheSafetyPolicy() throws {
        for json in [#"{"optimizer_config": {"class_name": "Evil>Adam", "config": {"name": "Adam"}}}"#,
                     #"{"optimizer_config": {"class_name": "Custom>Backdoor", "config": {"name": "Adam"}}}"#,
                     #"{"optimizer_config": {"class_name": "Adam", "config": {"name": "adam"}}}"#] {
            let review = try Self.review(json)
            #expect(review.findings.isEmpty, "\(json)")
            #expect(review.scanned == (try JSONReader.parse(json)))
        }
    }
}
