/// How one conformance case ended: a closed set, so a report can never blur a failure into a pass.
public enum CaseOutcome: String, Sendable, Codable, CaseIterable, Comparable {
    /// The property held, or the prediction matched the reference.
    case pass
    /// The property did not hold: a defect in kconform, or in the file's producer.
    case fail
    /// The case needs something kconform does not implement (a layer without forward math, a format
    /// kconform does not write); named as such, never counted as a pass.
    case unsupported
    /// A failure listed in the checked-in known-divergence list, with its reason and evidence.
    case knownDivergence = "known divergence"
    /// The harness itself could not run the case (an unwritable scratch folder, a missing kit file).
    case harnessError = "harness error"

    public static func < (lhs: CaseOutcome, rhs: CaseOutcome) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
