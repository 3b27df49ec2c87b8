import KerasBytes
import KerasNpy
import KerasZip

/// The `.npy` headers of `model.weights.npz` (FORMAT.md 5.2, THREATS.md C5), read without unpickling.
///
/// The npz is itself a zip and is read with the archive budgets; every `.npy` member is parsed by the
/// `.npy` reader, which refuses object arrays (pickles) before their data, bounds the declared size,
/// and requires exactly the declared data bytes.
struct NpzScan {
    let limits: ReadLimits

    func findings(_ file: KerasFile) -> [Finding] {
        let name = KerasFileReader.npzWeightsName
        let location = Location(file: file.path, member: name)
        let read: Result<ByteView, PartReadFailure>
        var budget = InflateBudget(limit: limits.maxInflatedBytes)
        if let archive = file.archive {
            let parts = ArchiveParts(archive: archive)
            guard let entry = archive.entry(named: name) else { return [] }
            guard budget.admit(entry) else { return [budget.refusal(entry, at: location)] }
            read = parts.contents(of: name)
        } else if file.kind == .modelFolder {
            let parts = FolderParts(root: file.path, maxEntries: limits.maxFolderEntries)
            guard parts.contains(name) else { return [] }
            read = parts.contents(of: name)
        } else {
            return []
        }
        switch read {
        case .success(let bytes):
            return scan(bytes, at: location, budget: &budget)
        case .failure:
            return []  // opening the file already reported the unreadable member
        }
    }

    /// Findings for npz bytes: the nested archive's issues, then each member.
    func scan(_ bytes: ByteView, at location: Location, budget: inout InflateBudget) -> [Finding] {
        let outer = location.member ?? KerasFileReader.npzWeightsName
        let archive: ZipArchive
        do throws(ZipError) { archive = try ZipArchive.read(bytes, limits: limits.zip) } catch {
            return [Finding(RuleCatalogue.rule(for: error.code), error.reason, at: location)]
        }
        var findings: [Finding] = []
        func here(_ member: String) -> Location { location.with(member: "\(outer)!/\(member)") }
        for issue in archive.issues {
            findings.append(Finding(RuleCatalogue.rule(for: issue.code), issue.reason, at: issue.member.map(here) ?? location))
        }
        for entry in archive.entries where archive.entry(named: entry.name) == entry {
            guard entry.name.hasSuffix(".npy") else {
                findings.append(Finding(.unexpectedMember, "np.load returns this member's raw bytes; Keras reads only .npy arrays", at: here(entry.name)))
                continue
            }
            guard budget.admit(entry) else {
                findings.append(budget.refusal(entry, at: here(entry.name)))
                continue
            }
            let data: ByteView
            do throws(ZipError) { data = try archive.contents(of: entry) } catch {
                findings.append(Finding(RuleCatalogue.rule(for: error.code), error.reason, at: here(entry.name)))
                continue
            }
            do throws(NpyError) { _ = try NpyArray.read(data, limits: limits.npy) } catch {
                let message = error.location.isEmpty ? error.reason : "\(error.reason) (at \(error.location))"
                findings.append(Finding(RuleCatalogue.rule(for: error.code), message, at: here(entry.name)))
            }
        }
        return findings
    }
}
