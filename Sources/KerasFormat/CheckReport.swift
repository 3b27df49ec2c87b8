import KerasJSON

/// The results of one `kconform check` run over one or more paths, and their renderings.
public struct CheckReport: Sendable {
    /// One result per file checked, in the order checked.
    public let results: [CheckResult]
    /// Paths that could not be read at all.
    public let unreadable: [KerasFileError]

    /// A report.
    public init(results: [CheckResult], unreadable: [KerasFileError]) {
        self.results = results
        self.unreadable = unreadable
    }

    /// The number of findings of `severity` over all files.
    public func count(_ severity: Severity) -> Int { results.reduce(0) { $0 + $1.count(severity) } }

    /// The process exit status: 2 when a path was unreadable, 1 when a finding is an error, else 0.
    public var exitStatus: Int32 {
        if !unreadable.isEmpty { return 2 }
        return results.allSatisfy(\.passed) ? 0 : 1
    }

    // MARK: Text

    /// The human rendering: one block per file, then a summary line.
    public func text() -> String {
        var out = TextOutput()
        for result in results {
            let verdict = result.passed ? "PASS" : "FAIL"
            out.line("\(result.path): \(verdict) \(result.kind.rawValue), \(tally(result)); "
                + "\(result.datasetsRead) datasets, \(ByteCount(result.bytesRead)) read")
            for finding in result.findings.sorted(by: { $0.severity > $1.severity }) {
                out.line("  \(finding.severity.rawValue.padding(to: 7)) \(finding.ruleID.padding(to: 12)) \(where_(finding.location)): \(finding.message)")
            }
        }
        for error in unreadable { out.line("\(error.path): UNREADABLE \(error.reason)") }
        let failed = results.count { !$0.passed }
        if results.count > 1 { summaryTables(&out) }
        out.line("")
        out.line("\(results.count) files checked: \(results.count - failed) passed, \(failed) failed"
            + (unreadable.isEmpty ? "" : ", \(unreadable.count) unreadable")
            + "; \(count(.error)) errors, \(count(.warning)) warnings, \(count(.info)) info")
        return out.text
    }

    /// Files per kind, and findings per rule, for runs over several files.
    private func summaryTables(_ out: inout TextOutput) {
        out.section("Summary by kind")
        var kinds: [[String]] = [["kind", "files", "passed", "failed", "errors", "warnings"]]
        for kind in KerasFileKind.allCases {
            let matching = results.filter { $0.kind == kind }
            guard !matching.isEmpty else { continue }
            let passed = matching.count(where: \.passed)
            kinds.append([kind.rawValue, String(matching.count), String(passed), String(matching.count - passed),
                          String(matching.reduce(0) { $0 + $1.count(.error) }), String(matching.reduce(0) { $0 + $1.count(.warning) })])
        }
        out.table(kinds, rightAligned: [1, 2, 3, 4, 5])
        var byRule: [String: (findings: Int, files: Set<String>, severity: Severity)] = [:]
        for result in results {
            for finding in result.findings {
                var entry = byRule[finding.ruleID] ?? (0, [], finding.severity)
                entry.findings += 1
                entry.files.insert(result.path)
                byRule[finding.ruleID] = entry
            }
        }
        guard !byRule.isEmpty else { return }
        out.section("Summary by rule")
        var rows: [[String]] = [["rule", "severity", "class", "findings", "files", "name"]]
        let ordered = byRule.sorted { ($0.value.severity, $0.value.findings, $1.key) > ($1.value.severity, $1.value.findings, $0.key) }
        for (id, entry) in ordered {
            let rule = RuleCatalogue.rule(id: id)
            rows.append([id, entry.severity.rawValue, rule?.threat.rawValue ?? "", String(entry.findings), String(entry.files.count),
                         rule?.name ?? ""])
        }
        out.table(rows, rightAligned: [3, 4])
    }

    private func tally(_ result: CheckResult) -> String {
        "\(result.count(.error)) errors, \(result.count(.warning)) warnings, \(result.count(.info)) info"
    }

    /// The location without the file name, which heads the block already.
    private func where_(_ location: Location) -> String {
        var inner = location
        inner.file = ""
        let text = inner.description
        return text.hasPrefix(" › ") ? String(text.dropFirst(3)) : (text.isEmpty ? "(file)" : text)
    }

    // MARK: JSON

    /// The SARIF 2.1.0 rendering (``SARIFReport``).
    public func sarif() -> JSONValue { SARIFReport.render(self) }

    /// The machine rendering, starting with `schemaVersion`.
    public func json() -> JSONValue {
        .fields([
            ("schemaVersion", .integer(ReportJSON.schemaVersion)),
            ("tool", .fields([("name", .text("kconform")), ("version", .text(KConformVersion.current))])),
            ("files", .list(results.map(Self.json))),
            ("unreadable", .list(unreadable.map { .fields([("path", .text($0.path)), ("reason", .text($0.reason))]) })),
            ("summary", .fields([
                ("files", .integer(results.count)), ("passed", .integer(results.count(where: \.passed))),
                ("errors", .integer(count(.error))), ("warnings", .integer(count(.warning))), ("info", .integer(count(.info))),
            ])),
        ])
    }

    private static func json(_ result: CheckResult) -> JSONValue {
        .fields([
            ("path", .text(result.path)), ("kind", .text(result.kind.rawValue)), ("passed", .bool(result.passed)),
            ("datasetsRead", .integer(result.datasetsRead)), ("bytesRead", .integer(result.bytesRead)),
            ("findings", .list(result.findings.map(json))),
        ])
    }

    static func json(_ finding: Finding) -> JSONValue {
        let location = finding.location
        return .fields([
            ("ruleId", .text(finding.ruleID)), ("severity", .text(finding.severity.rawValue)), ("message", .text(finding.message)),
            ("location", .fields([
                ("file", .text(location.file)), ("member", .text(location.member)), ("hdf5Path", .text(location.hdf5Path)),
                ("jsonPointer", .text(location.jsonPointer)), ("byteOffset", .integer(location.byteOffset)),
            ])),
        ])
    }
}

/// kconform's version, printed by `--version` and in reports.
public enum KConformVersion {
    /// The version string.
    public static let current = "0.1.0"
}
