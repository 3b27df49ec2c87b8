import Foundation
import KerasJSON

/// The SARIF 2.1.0 rendering of a check, for code-scanning interfaces (OASIS SARIF v2.1.0).
///
/// One run; `tool.driver.rules` is the whole rule catalogue with its metadata, each result refers to its
/// rule by id and index. The physical location is the checked path (a region only when the byte offset
/// is in the file itself); the member, HDF5 path and JSON pointer are logical locations.
public enum SARIFReport {
    /// The SARIF version written.
    public static let version = "2.1.0"
    /// The schema the document declares.
    public static let schema = "https://json.schemastore.org/sarif-2.1.0.json"

    /// The SARIF level of a severity: `error`, `warning`, `note`.
    public static func level(_ severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .info: "note"
        }
    }

    /// `report` as one SARIF log.
    public static func render(_ report: CheckReport, rules: [Rule] = RuleCatalogue.all) -> JSONValue {
        var ruleIndex: [String: Int] = [:]
        for (index, rule) in rules.enumerated() { ruleIndex[rule.id] = index }
        var results: [JSONValue] = []
        for result in report.results {
            for finding in result.findings { results.append(self.result(finding, index: ruleIndex[finding.ruleID])) }
        }
        let notifications: [JSONValue] = report.unreadable.map { error in
            .fields([("level", .text("error")), ("message", .fields([("text", .text(error.description))])),
                     ("locations", .list([.fields([("physicalLocation", .fields([("artifactLocation", artifact(error.path))]))])]))])
        }
        let driver: JSONValue = .fields([
            ("name", .text("kconform")), ("version", .text(KConformVersion.current)),
            ("semanticVersion", .text(KConformVersion.current)),
            ("rules", .list(rules.map(descriptor))),
        ])
        let run: JSONValue = .fields([
            ("tool", .fields([("driver", driver)])),
            ("invocations", .list([.fields([
                ("executionSuccessful", .bool(report.unreadable.isEmpty)),
                ("toolExecutionNotifications", .list(notifications)),
            ])])),
            ("artifacts", .list(report.results.map { .fields([("location", artifact($0.path))]) })),
            ("results", .list(results)),
        ])
        return .fields([("$schema", .text(schema)), ("version", .text(version)), ("runs", .list([run]))])
    }

    private static func descriptor(_ rule: Rule) -> JSONValue {
        let help = "\(rule.rationale) Threat class: \(rule.threat.rawValue). Severity: \(rule.severity.rawValue)."
        return .fields([
            ("id", .text(rule.id)), ("name", .text(rule.name)),
            ("shortDescription", .fields([("text", .text(sentence(rule.name)))])),
            ("fullDescription", .fields([("text", .text(rule.rationale))])),
            ("help", .fields([("text", .text(help))])),
            ("defaultConfiguration", .fields([("level", .text(level(rule.severity)))])),
            ("properties", .fields([
                ("threatClass", .text(rule.threat.rawValue)), ("source", .text(rule.source.rawValue)),
                ("tags", .list([.text(rule.threat.rawValue), .text(rule.source.rawValue)])),
            ])),
        ])
    }

    private static func result(_ finding: Finding, index: Int?) -> JSONValue {
        let location = finding.location
        var physical: [(String, JSONValue)] = [("artifactLocation", artifact(location.file))]
        if location.member == nil, let offset = location.byteOffset {
            physical.append(("region", .fields([("byteOffset", .integer(offset))])))
        }
        var logical: [JSONValue] = []
        if let member = location.member {
            logical.append(.fields([("name", .text(member)), ("kind", .text("module"))]))
        }
        let container = location.member.map { $0 + "::" } ?? ""
        if let path = location.hdf5Path {
            logical.append(.fields([("name", .text(path)), ("fullyQualifiedName", .text(container + path)), ("kind", .text("object"))]))
        }
        if let pointer = location.jsonPointer {
            let owner = location.hdf5Path.map { container + $0 } ?? location.member ?? ""
            logical.append(.fields([("name", .text(pointer.isEmpty ? "/" : pointer)),
                                    ("fullyQualifiedName", .text(owner + "#" + pointer)), ("kind", .text("property"))]))
        }
        var locationFields: [(String, JSONValue)] = [("physicalLocation", .fields(physical))]
        if !logical.isEmpty { locationFields.append(("logicalLocations", .list(logical))) }
        var fields: [(String, JSONValue)] = [("ruleId", .text(finding.ruleID))]
        if let index { fields.append(("ruleIndex", .integer(index))) }
        fields += [
            ("level", .text(level(finding.severity))),
            ("message", .fields([("text", .text(finding.message))])),
            ("locations", .list([.fields(locationFields)])),
        ]
        return .fields(fields)
    }

    /// An artifact location: the path as given, percent-encoded as a relative URI reference.
    private static func artifact(_ path: String) -> JSONValue {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: ";?#[]")
        return .fields([("uri", .text(path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path))])
    }

    /// `lambdaCode` → `Lambda code`.
    private static func sentence(_ name: String) -> String {
        var words = ""
        for character in name {
            if character.isUppercase, !words.isEmpty { words += " " + character.lowercased() } else { words.append(character) }
        }
        return words.prefix(1).uppercased() + words.dropFirst()
    }
}
