import Foundation
import KerasBytes
import KerasHDF5
import KerasJSON
import KerasZip

/// Reads one path into the parts of a ``KerasFile``, collecting findings.
struct KerasFileReader {
    static let configName = "config.json"
    static let metadataName = "metadata.json"
    static let weightsName = "model.weights.h5"
    static let npzWeightsName = "model.weights.npz"
    static let assetsPrefix = "assets/"
    static let hdf5Signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]
    static let zipSignatures: [[UInt8]] = [[0x50, 0x4B, 0x03, 0x04], [0x50, 0x4B, 0x05, 0x06]]

    let path: String
    let limits: ReadLimits
    let location: Location
    var kind: KerasFileKind = .unknown
    var byteCount = 0
    var members: [KerasFile.Member] = []
    var metadata: KerasFile.Metadata?
    var configJSON: JSONValue?
    var config: ModelConfig?
    var weights: WeightsTree?
    var findings: [Finding] = []
    var archive: ZipArchive?
    var inflateBudget: InflateBudget

    init(path: String, limits: ReadLimits) {
        self.path = path
        self.limits = limits
        self.location = Location(file: path)
        self.inflateBudget = InflateBudget(limit: limits.maxInflatedBytes)
    }

    // MARK: Dispatch

    mutating func read() throws(KerasFileError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw KerasFileError(path: path, reason: "no such file or directory")
        }
        if isDirectory.boolValue {
            kind = .modelFolder
            readFolder()
            return
        }
        let bytes: ByteView
        do { bytes = try ByteView(mappingFileAt: path) } catch {
            throw KerasFileError(path: path, reason: error.description)
        }
        read(bytes)
    }

    /// Classifies and reads a single file's bytes by signature, or else by extension (so that a damaged
    /// signature is reported by the reader that knows the format); `path` supplies the extension and the
    /// shard directory.
    mutating func read(_ bytes: ByteView) {
        byteCount = bytes.count
        let lowered = path.lowercased()
        if Self.zipSignatures.contains(where: { bytes.starts(with: $0) }) || lowered.hasSuffix(".keras") || lowered.hasSuffix(".zip") {
            kind = .kerasArchive
            if !lowered.hasSuffix(".keras") {
                findings.append(Finding(.extensionMismatch, "a zip archive without the .keras extension: load_model rejects it", at: location))
            }
            readArchive(bytes)
        } else if bytes.starts(with: Self.hdf5Signature) || lowered.hasSuffix(".h5") || lowered.hasSuffix(".hdf5") {
            readHDF5File(bytes, name: nil)
        } else if lowered.hasSuffix(".json") {
            kind = .shardedWeights
            readShardedIndex(bytes)
        } else {
            findings.append(Finding(.unrecognizedFile, "not a zip archive, an HDF5 file or a sharded-weights index", at: location))
        }
    }

    // MARK: Reporting

    /// A finding for a reader error inside `member`.
    mutating func report(_ error: some ReaderError, member: String?) {
        let rule = RuleCatalogue.rule(for: error.code)
        let message = error.location.isEmpty ? error.reason : "\(error.reason) (at \(error.location))"
        findings.append(Finding(rule, message, at: member.map { location.with(member: $0) } ?? location))
    }

    // MARK: .keras archives

    mutating func readArchive(_ bytes: ByteView) {
        let archive: ZipArchive
        do { archive = try ZipArchive.read(bytes, limits: limits.zip) } catch {
            report(error, member: nil)
            return
        }
        self.archive = archive
        for issue in archive.issues { report(issue, member: issue.member) }
        members = archive.entries.map { entry in
            KerasFile.Member(name: entry.name, size: entry.uncompressedSize, compressedSize: entry.compressedSize,
                             method: Self.methodName(entry.method), modified: entry.modified.description)
        }
        checkMemberLayout(archive.entries.map { ($0.name, $0.method) })
        let parts = ArchiveParts(archive: archive)
        readModelParts(parts)
    }

    static func methodName(_ method: UInt16) -> String {
        switch method {
        case 0: "stored"
        case 8: "deflate"
        default: "method \(method)"
        }
    }

    /// Member names, order and compression against what Keras writes (FORMAT.md 1.1, 1.2).
    mutating func checkMemberLayout(_ entries: [(name: String, method: UInt16)]) {
        let known: Set<String> = [Self.metadataName, Self.configName, Self.weightsName, Self.npzWeightsName]
        var seen = Set<String>()
        for entry in entries {
            let memberLocation = location.with(member: entry.name)
            if !known.contains(entry.name), !entry.name.hasPrefix(Self.assetsPrefix) {
                let base = entry.name.split(separator: "/").last.map(String.init) ?? entry.name
                if known.contains(base) {
                    findings.append(Finding(.nestedModelMember, "Keras looks for \(base) only at the archive root", at: memberLocation))
                } else if seen.insert(entry.name).inserted {
                    findings.append(Finding(.unexpectedMember, "Keras neither writes nor reads this member", at: memberLocation))
                }
            }
            if entry.method != 0 {
                findings.append(Finding(.compressedMember, "\(Self.methodName(entry.method)) member; Keras writes stored members", at: memberLocation))
            }
        }
        let order = entries.map(\.name).filter { [Self.metadataName, Self.configName, Self.weightsName].contains($0) }
        let expected = [Self.metadataName, Self.configName, Self.weightsName].filter(order.contains)
        if order != expected {
            findings.append(Finding(.memberOrder, "members are in the order \(order.joined(separator: ", "))", at: location))
        }
    }

    // MARK: Parts common to archives and folders

    /// Reads config, metadata and weights from an archive or folder.
    mutating func readModelParts(_ parts: some ModelParts) {
        if let bytes = readPart(parts, Self.configName) {
            configJSON = parseJSON(bytes, member: Self.configName)
            if let configJSON {
                config = ModelConfig.parse(configJSON, at: location.with(member: Self.configName), findings: &findings)
            }
        } else if !parts.contains(Self.configName) {
            findings.append(Finding(.missingConfig, "there is no config.json", at: location))
        }
        if let bytes = readPart(parts, Self.metadataName) {
            if let value = parseJSON(bytes, member: Self.metadataName) { metadata = readMetadata(value) }
        } else if !parts.contains(Self.metadataName) {
            findings.append(Finding(.missingMetadata, "there is no metadata.json", at: location))
        }
        let hasH5 = parts.contains(Self.weightsName)
        let hasNpz = parts.contains(Self.npzWeightsName)
        if hasH5, hasNpz {
            findings.append(Finding(.ambiguousWeights, "both model.weights.h5 and model.weights.npz; Keras reads only the .h5", at: location))
        }
        if hasH5 {
            if let bytes = readPart(parts, Self.weightsName), let file = openHDF5(bytes, member: Self.weightsName) {
                let source = WeightsSource(name: Self.weightsName, file: file)
                weights = WeightsTree.keras3(sources: [source], limits: limits, at: location, findings: &findings)
            }
        } else if hasNpz {
            findings.append(Finding(.npzWeights, "weights are in model.weights.npz, which Keras 3.15.1 cannot load",
                                    at: location.with(member: Self.npzWeightsName)))
        } else {
            findings.append(Finding(.missingWeights, "there is neither model.weights.h5 nor model.weights.npz", at: location))
        }
    }

    /// The bytes of a part, or nil with a finding when it exists but cannot be read.
    mutating func readPart(_ parts: some ModelParts, _ name: String) -> ByteView? {
        guard parts.contains(name) else { return nil }
        if let entry = archive?.entry(named: name), !inflateBudget.admit(entry) {
            findings.append(inflateBudget.refusal(entry, at: location.with(member: name)))
            return nil
        }
        switch parts.contents(of: name) {
        case .success(let bytes):
            return bytes
        case .failure(.reader(let error)):
            if let zipError = error as? ZipError, archive?.issues.contains(where: { $0.code == zipError.code && $0.member == zipError.member }) == true {
                break
            }
            report(error, member: name)
        case .failure(.io(let reason)):
            findings.append(Finding(.unreadablePart, reason, at: location.with(member: name)))
        }
        return nil
    }

    mutating func parseJSON(_ bytes: ByteView, member: String?) -> JSONValue? {
        let here = member.map { location.with(member: $0) } ?? location
        guard bytes.count <= limits.maxJSONDocumentBytes else {
            findings.append(Finding(.documentTooLarge, "\(ByteCount(bytes.count)) is over the budget of \(ByteCount(limits.maxJSONDocumentBytes))", at: here))
            return nil
        }
        do {
            let document = try JSONReader.parseDocument(bytes, limits: limits.json)
            for pointer in document.duplicateKeys {
                findings.append(Finding(.duplicateJSONKey, "a key repeats in its object; Python keeps the last value, as kconform does",
                                        at: member == nil && kind == .legacyModel ? here.with(hdf5Path: "/@model_config", jsonPointer: pointer)
                                            : here.with(jsonPointer: pointer)))
            }
            return document.value
        } catch {
            report(error, member: member)
            return nil
        }
    }

    mutating func readMetadata(_ value: JSONValue) -> KerasFile.Metadata {
        let version = value["keras_version"]?.stringValue
        let date = value["date_saved"]?.stringValue
        if value.objectValue == nil || version == nil || date == nil {
            findings.append(Finding(.metadataShape, "metadata.json is not an object with string keras_version and date_saved",
                                    at: location.with(member: Self.metadataName)))
        }
        return KerasFile.Metadata(kerasVersion: version, dateSaved: date, backend: nil)
    }

    mutating func openHDF5(_ bytes: ByteView, member: String?) -> HDF5File? {
        do { return try HDF5File.open(bytes, limits: limits.hdf5) } catch {
            report(error, member: member)
            return nil
        }
    }

    // MARK: Folders

    mutating func readFolder() {
        let parts = FolderParts(root: path, maxEntries: limits.maxFolderEntries)
        if parts.truncated {
            findings.append(Finding(.documentTooLarge, "the folder has more than \(limits.maxFolderEntries) entries; the rest were not looked at", at: location))
        }
        members = parts.files.map { KerasFile.Member(name: $0.name, size: $0.size, compressedSize: nil, method: nil, modified: nil) }
        byteCount = parts.files.reduce(0) { $0 &+ $1.size }
        guard parts.contains(Self.configName) else {
            findings.append(Finding(.folderWithoutConfig, "the folder has no config.json", at: location))
            return
        }
        checkMemberLayout([])
        for file in parts.files where ![Self.metadataName, Self.configName, Self.weightsName, Self.npzWeightsName].contains(file.name)
            && !file.name.hasPrefix(Self.assetsPrefix) {
            findings.append(Finding(.unexpectedMember, "Keras neither writes nor reads this file", at: location.with(member: file.name)))
        }
        readModelParts(parts)
    }

    // MARK: HDF5 files

    mutating func readHDF5File(_ bytes: ByteView, name: String?) {
        guard let file = openHDF5(bytes, member: name) else {
            kind = path.lowercased().hasSuffix(".weights.h5") ? .weightsH5 : .legacyModel
            return
        }
        let root = file.root
        let source = WeightsSource(name: name ?? (path as NSString).lastPathComponent, file: file)
        let lowered = path.lowercased()
        if root.attribute(named: "model_config") != nil || root.child(named: "model_weights") != nil {
            kind = .legacyModel
            readLegacyModel(file, source: source)
        } else if root.attribute(named: "layer_names") != nil || root.attribute(named: "layer_names0") != nil {
            kind = .legacyWeights
            metadata = KerasFile.Metadata(kerasVersion: LegacyAttributes.string(root, "keras_version"), dateSaved: nil,
                                          backend: LegacyAttributes.string(root, "backend"))
            weights = WeightsTree.legacy(source: source, group: root, limits: limits, at: location, findings: &findings)
        } else {
            kind = .weightsH5
            if !lowered.hasSuffix(".weights.h5") {
                findings.append(Finding(.extensionMismatch, "Keras 3 weights in a file not named *.weights.h5: Keras reads other .h5 files with the legacy loader",
                                        at: location))
            }
            weights = WeightsTree.keras3(sources: [source], limits: limits, at: location, findings: &findings)
        }
        if kind == .legacyModel || kind == .legacyWeights, !(lowered.hasSuffix(".h5") || lowered.hasSuffix(".hdf5")) {
            findings.append(Finding(.extensionMismatch, "a legacy HDF5 model not named .h5 or .hdf5", at: location))
        }
    }

    mutating func readLegacyModel(_ file: HDF5File, source: WeightsSource) {
        let root = file.root
        metadata = KerasFile.Metadata(kerasVersion: LegacyAttributes.string(root, "keras_version"), dateSaved: nil,
                                      backend: LegacyAttributes.string(root, "backend"))
        if let attribute = root.attribute(named: "model_config") {
            if let text = attribute.value.stringValue {
                let configLocation = location.with(hdf5Path: "/@model_config")
                if let value = parseJSON(ByteView(copying: Array(text.utf8)), member: nil) {
                    configJSON = value
                    config = ModelConfig.parse(value, at: configLocation, findings: &findings)
                }
            } else {
                findings.append(Finding(.legacyAttributeType, "model_config is not a string", at: location.with(hdf5Path: "/")))
            }
        } else {
            findings.append(Finding(.legacyModelConfig, "there is no model_config attribute", at: location.with(hdf5Path: "/")))
        }
        if case .group(let weightsGroup)? = root.child(named: "model_weights") {
            weights = WeightsTree.legacy(source: source, group: weightsGroup, limits: limits, at: location, findings: &findings)
        } else {
            findings.append(Finding(.legacyLayerGroup, "there is no model_weights group", at: location.with(hdf5Path: "/")))
        }
    }

    // MARK: Sharded weights

    mutating func readShardedIndex(_ bytes: ByteView) {
        guard let index = parseJSON(bytes, member: nil) else { return }
        guard let map = index["weight_map"]?.objectValue, index["metadata"]?.objectValue != nil else {
            findings.append(Finding(.shardIndexShape, "the index is not {\"metadata\": {...}, \"weight_map\": {...}}", at: location))
            return
        }
        let directory = (path as NSString).deletingLastPathComponent
        var shardNames: [String] = []
        var groupsByShard: [(group: String, shards: [String])] = []
        for (group, value) in map {
            let names: [String]
            if let single = value.stringValue {
                names = [single]
            } else if let list = value.arrayValue, !list.isEmpty, list.allSatisfy({ $0.stringValue != nil }) {
                names = list.compactMap(\.stringValue)
            } else {
                findings.append(Finding(.shardIndexShape, "weight_map[\"\(group)\"] is not a shard name or a list of them",
                                        at: location.with(jsonPointer: JSONPointer.appending("/weight_map", group))))
                continue
            }
            groupsByShard.append((group, names))
            for name in names where !shardNames.contains(name) { shardNames.append(name) }
        }
        guard shardNames.count <= limits.maxShards else {
            findings.append(Finding(.shardIndexShape, "\(shardNames.count) shards is over the budget of \(limits.maxShards)", at: location))
            return
        }
        members = [KerasFile.Member(name: (path as NSString).lastPathComponent, size: bytes.count, compressedSize: nil, method: nil, modified: nil)]
        var sources: [WeightsSource] = []
        for name in shardNames {
            if name.isEmpty || name.contains("/") || name.contains("\\") || name == "." || name == ".." || name.contains("\0") {
                findings.append(Finding(.shardPathEscapes, "shard name \"\(name)\" is not a plain file name next to the index", at: location))
                continue
            }
            let shardPath = directory.isEmpty ? name : directory + "/" + name
            let shardBytes: ByteView
            do { shardBytes = try ByteView(mappingFileAt: shardPath) } catch {
                findings.append(Finding(.missingShard, "shard \"\(name)\" cannot be read: \(error.description)", at: location.with(member: name)))
                continue
            }
            byteCount = byteCount &+ shardBytes.count
            members.append(KerasFile.Member(name: name, size: shardBytes.count, compressedSize: nil, method: nil, modified: nil))
            if let file = openHDF5(shardBytes, member: name) { sources.append(WeightsSource(name: name, file: file)) }
        }
        byteCount = byteCount &+ bytes.count
        let tree = WeightsTree.keras3(sources: sources, limits: limits, at: location, findings: &findings)
        weights = tree
        for (group, shards) in groupsByShard {
            let found = sources.contains { source in shards.contains(source.name) && source.file.root.group(atPath: group) != nil }
            if !found, sources.contains(where: { shards.contains($0.name) }) {
                findings.append(Finding(.shardGroupMissing, "no listed shard contains \(group)",
                                        at: location.with(jsonPointer: JSONPointer.appending("/weight_map", group))))
            }
        }
    }
}

extension HDF5Group {
    /// The group at absolute `path` below this (root) group, following hard links only.
    func group(atPath path: String) -> HDF5Group? {
        var group = self
        for part in path.split(separator: "/") {
            guard case .group(let next)? = group.child(named: String(part)) else { return nil }
            group = next
        }
        return group
    }
}
