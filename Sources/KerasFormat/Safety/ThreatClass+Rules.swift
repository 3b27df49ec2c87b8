import KerasBytes
import KerasHDF5
import KerasJSON
import KerasZip

extension ThreatClass {
    /// The class of the rule with `ruleID`: the safety rules and the structural rules that answer a
    /// published attack, then the reader codes by what they guard; `structural` for everything else.
    public static func of(ruleID: String) -> ThreatClass {
        if let threat = byRuleID[ruleID] { return threat }
        if ruleID.hasPrefix("KC-H5-") { return .b7 }
        if ruleID.hasPrefix("KC-NPY-") { return .c5 }
        return .structural
    }

    private static let byRuleID: [String: ThreatClass] = {
        var table: [String: ThreatClass] = [:]
        table.merge(Rule.safetyThreats) { first, _ in first }
        let format: [(Rule, ThreatClass)] = [
            (.softLink, .b2), (.externalLink, .b1), (.externalStorage, .b3), (.virtualDataset, .b4),
            (.declaredSizeBomb, .b5), (.configShapeMismatch, .b5), (.variableBudget, .b5), (.aliasedObject, .b6), (.shardPathEscapes, .c3), (.npzWeights, .c5),
            (.ambiguousWeights, .c4), (.nestedModelMember, .c4), (.unexpectedMember, .c4),
            (.folderWithoutConfig, .c6), (.unrecognizedFile, .c6),
        ]
        for (rule, threat) in format { table[rule.id] = threat }
        let zip: [(ErrorCode, ThreatClass)] = [
            (ZipError.Code.memberTooLarge, .c1), (ZipError.Code.expansionRatioExceeded, .c1),
            (ZipError.Code.tooManyMembers, .c2), (ZipError.Code.totalSizeTooLarge, .c2),
            (ZipError.Code.emptyName, .c3), (ZipError.Code.absolutePath, .c3),
            (ZipError.Code.parentDirectoryComponent, .c3), (ZipError.Code.backslashInName, .c3),
            (ZipError.Code.nulInName, .c3), (ZipError.Code.symlinkEntry, .c3),
            (ZipError.Code.duplicateName, .c4), (ZipError.Code.localNameMismatch, .c4),
            (ZipError.Code.localHeaderMismatch, .c4), (ZipError.Code.overlappingEntries, .c4),
            (ZipError.Code.prependedData, .c4), (ZipError.Code.appendedData, .c4),
            (ZipError.Code.gapBetweenMembers, .c4), (ZipError.Code.gapBeforeCentralDirectory, .c4),
            (ZipError.Code.offsetsShifted, .c4), (ZipError.Code.dataDescriptorMismatch, .c4),
            (ZipError.Code.entryCountMismatch, .c4),
        ]
        for (code, threat) in zip { table[code.ruleID] = threat }
        let hdf5: [(ErrorCode, ThreatClass)] = [
            (HDF5Error.Code.externalStorageNotRead, .b3), (HDF5Error.Code.virtualDatasetNotRead, .b4),
            (HDF5Error.Code.declaredBytesLimitExceeded, .b5), (HDF5Error.Code.totalDeclaredBytesLimitExceeded, .b5),
            (HDF5Error.Code.cycle, .b6), (HDF5Error.Code.objectLimitExceeded, .b6), (HDF5Error.Code.depthLimitExceeded, .b6),
            (HDF5Error.Code.indexDepthLimitExceeded, .b6), (HDF5Error.Code.linkCountLimitExceeded, .b6),
            (HDF5Error.Code.chunkCountLimitExceeded, .b6), (HDF5Error.Code.metadataBytesLimitExceeded, .b6),
        ]
        for (code, threat) in hdf5 { table[code.ruleID] = threat }
        return table
    }()
}
