import KerasJSON

/// The renderings of the rule catalogue for `kconform rules`.
public enum RuleListing {
    /// One line per rule.
    public static func text() -> String {
        var out = TextOutput()
        var rows = [["id", "severity", "class", "source", "name", "rationale"]]
        for rule in RuleCatalogue.all {
            rows.append([rule.id, rule.severity.rawValue, rule.threat.rawValue, rule.source.rawValue, rule.name, rule.rationale])
        }
        out.table(rows)
        return out.text
    }

    /// Every rule as JSON, starting with `schemaVersion`.
    public static func json() -> JSONValue {
        .fields([
            ("schemaVersion", .integer(ReportJSON.schemaVersion)),
            ("rules", .list(RuleCatalogue.all.map { rule in
                .fields([
                    ("id", .text(rule.id)), ("name", .text(rule.name)), ("severity", .text(rule.severity.rawValue)),
                    ("threatClass", .text(rule.threat.rawValue)), ("source", .text(rule.source.rawValue)),
                    ("rationale", .text(rule.rationale)),
                ])
            })),
        ])
    }
}

/// Renders report JSON for the command-line tool.
public enum ReportRendering {
    /// `value` as indented JSON with a trailing newline.
    public static func json(_ value: JSONValue) -> String { ReportJSON.render(value) }
}
