import KerasBytes
import KerasHDF5
import KerasJSON
import KerasNpy
import KerasZip

/// Every rule kconform knows: the format rules and one rule per reader error code.
///
/// A reader code becomes a rule with the code's rule id, name and summary. Its severity is `error`
/// for every category: what cannot be parsed, is not implemented, exceeds a budget or is refused by
/// policy cannot be vouched for, so `check` fails closed. ``severityOverrides`` lowers the few codes
/// that describe harmless deviations.
public enum RuleCatalogue {
    /// Reader codes whose findings are less than errors, by rule id.
    public static let severityOverrides: [String: Severity] = [:]

    /// Every rule, format and declared-shape rules first, then safety rules, then the rules of `check --load`,
    /// then zip, HDF5, JSON and npy codes, each group in id order.
    public static let all: [Rule] = {
        let readerCodes = ZipError.Code.all + HDF5Error.Code.all + JSONError.Code.all + NpyError.Code.all
        return Rule.formatRules + Rule.shapeRules + Rule.safetyRules + Rule.loadRules + readerCodes.map(rule(for:))
    }()

    private static let byID: [String: Rule] = Dictionary(all.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })

    /// The rule with `id`, if any.
    public static func rule(id: String) -> Rule? { byID[id] }

    /// The rule that reports reader error `code`.
    public static func rule(for code: ErrorCode) -> Rule {
        let source: Rule.Source =
            switch code.domain {
            case "ZIP": .zip
            case "H5": .hdf5
            case "NPY": .npy
            default: .json
            }
        let severity = severityOverrides[code.ruleID] ?? .error
        return Rule(id: code.ruleID, name: code.name, severity: severity, source: source,
                    rationale: "\(code.category.rawValue): \(code.summary)")
    }
}
