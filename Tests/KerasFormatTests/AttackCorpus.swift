import Foundation
import KerasFormat
import Testing

/// Corpus/attacks/MANIFEST.json (written by scripts/attacks/make_attacks.py).
struct AttackCorpus: Decodable {
    struct Reproducer: Decodable, CustomTestStringConvertible, Sendable {
        let file: String
        let threat: String
        let variant: String
        let expected: [String]
        let why: String
        var testDescription: String { file }
    }

    struct Benign: Decodable, CustomTestStringConvertible, Sendable {
        let file: String
        let warnings: [String]
        let allowFile: String?
        var testDescription: String { file }

        enum CodingKeys: String, CodingKey {
            case file, warnings
            case allowFile = "allow_file"
        }
    }

    let reproducers: [Reproducer]
    let benign: [Benign]

    static let directory = CorpusLocation.repositoryRoot.appendingPathComponent("Corpus/attacks")

    static let manifest: AttackCorpus? = {
        guard let data = try? Data(contentsOf: directory.appendingPathComponent("MANIFEST.json")) else { return nil }
        return try? JSONDecoder().decode(AttackCorpus.self, from: data)
    }()

    static func path(_ file: String) -> String { directory.appendingPathComponent(file).path }

    /// The checker for a benign file: its allow file's registrations, if it names one.
    static func checker(allowFile: String?) throws -> Checker {
        guard let allowFile else { return Checker() }
        return Checker(policy: SafetyPolicy(registrations: try SafetyPolicy.registrations(fromFile: path(allowFile))))
    }
}

