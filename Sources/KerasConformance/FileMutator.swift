import KerasBytes
import KerasHDF5
import KerasJSON
import KerasZip

/// Mutates one saved file's bytes, structure-aware: every decision is drawn from a ``Choices``.
///
/// The file is analysed once: a zip archive is taken apart into members (located with ``ZipArchive``)
/// that are re-assembled by hand after a change, so that reordered, duplicated, truncated or disagreeing
/// entries still form a plausible archive and reach the code behind the first signature check; an HDF5
/// image (the file itself or the archive's `model.weights.h5`) is mapped to its signatures, stored
/// addresses, dataspace dimensions and size fields; JSON (`config.json`, `metadata.json`, or a legacy
/// file's `model_config` attribute, edited in place and padded with spaces) is parsed. Plain byte
/// mutations apply to any input, so a mutator also works on bytes it cannot analyse.
public struct FileMutator: Sendable {
    /// The file as given.
    public let original: [UInt8]
    /// Its name (for descriptions; the readers dispatch on it, the mutator does not).
    public let name: String
    /// The kinds that apply to this file, in ``FileMutation/Kind`` order.
    public let applicableKinds: [FileMutation.Kind]

    /// How many times a mutation is redrawn when it happens to leave the bytes unchanged.
    public static let maxAttempts = 8
    /// The bytes at either end of a file where plain byte mutations concentrate half of the time (headers,
    /// superblock, end records live there).
    public static let edgeWindow = 4096

    private let zip: ZipModel?
    private let hdf5: HDF5Target?
    private let jsonTargets: [JSONTarget]

    /// Analyses `bytes`; anything that cannot be analysed only narrows ``applicableKinds``.
    public init(bytes: [UInt8], name: String) {
        original = bytes
        self.name = name
        let zip = ZipModel(bytes)
        var hdf5: HDF5Target?
        var jsonTargets: [JSONTarget] = []
        if let zip {
            for (index, record) in zip.local.enumerated() where record.method == ZipEntry.methodStored {
                let memberName = String(decoding: record.rawName, as: UTF8.self)
                if hdf5 == nil, memberName.hasSuffix(".h5"), let map = HDF5Map(record.data) {
                    hdf5 = HDF5Target(map: map, member: index, label: memberName)
                }
                if memberName.hasSuffix(".json"), let value = try? JSONReader.parse(ByteView(copying: record.data)) {
                    jsonTargets.append(JSONTarget(value: value, place: .member(index), label: memberName))
                }
            }
            // config.json first: it is the JSON that matters most and the one drawn most often.
            jsonTargets.sort { $0.label == "config.json" && $1.label != "config.json" }
        } else if let map = HDF5Map(bytes) {
            hdf5 = HDF5Target(map: map, member: nil, label: name)
            if let text = map.file?.root.attribute("model_config")?.value.stringValue,
               let value = try? JSONReader.parse(text),
               let span = FileMutator.find(Array(text.utf8), in: bytes) {
                jsonTargets.append(JSONTarget(value: value, place: .span(span), label: "/@model_config"))
            }
        }
        self.zip = zip
        self.hdf5 = hdf5
        self.jsonTargets = jsonTargets
        applicableKinds = FileMutation.Kind.allCases.filter { kind in
            switch kind.family {
            case .bytes: return !bytes.isEmpty || kind == .insertBytes
            case .zip:
                guard let zip, !zip.local.isEmpty else { return false }
                if kind == .zipReorderEntries || kind == .zipReorderCentralDirectory { return zip.local.count >= 2 }
                if kind == .zipTruncateMember { return zip.local.contains { !$0.data.isEmpty } }
                return true
            case .hdf5:
                guard let map = hdf5?.map else { return false }
                switch kind {
                case .hdf5RedirectAddress: return !map.pointerSites.isEmpty
                case .hdf5ChangeDimension: return !map.dimensionFields.isEmpty
                case .hdf5ChangeSizeField: return !map.sizeFields.isEmpty
                default: return !map.signatures.isEmpty
                }
            case .json:
                return !jsonTargets.isEmpty
            }
        }
    }

    /// The families that apply to this file.
    public var applicableFamilies: Set<FileMutation.Family> { Set(applicableKinds.map(\.family)) }

    /// One mutation of a kind drawn from ``applicableKinds``; falls back to a bit flip (which always changes
    /// the bytes of a non-empty file) when the drawn kind leaves them unchanged.
    public func mutate(_ choices: inout Choices) -> FileMutation {
        if let kind = applicableKinds.isEmpty ? nil : choices.element(of: applicableKinds), let mutation = mutate(kind, &choices) {
            return mutation
        }
        return mutate(original.isEmpty ? .insertBytes : .flipBits, &choices)
            ?? FileMutation(kind: .insertBytes, detail: "inserted 1 byte at 0", bytes: [0] + original)
    }

    /// One mutation of `kind`, or nil when the kind does not apply or every attempt left the bytes unchanged.
    public func mutate(_ kind: FileMutation.Kind, _ choices: inout Choices) -> FileMutation? {
        guard applicableKinds.contains(kind) else { return nil }
        for _ in 0..<FileMutator.maxAttempts {
            guard let (detail, bytes) = attempt(kind, &choices) else { continue }
            if bytes != original { return FileMutation(kind: kind, detail: detail, bytes: bytes) }
        }
        return nil
    }

    private func attempt(_ kind: FileMutation.Kind, _ choices: inout Choices) -> (String, [UInt8])? {
        switch kind.family {
        case .bytes: return byteMutation(kind, &choices)
        case .zip: return zip.flatMap { zipMutation(kind, $0, &choices) }
        case .hdf5: return hdf5.flatMap { hdf5Mutation(kind, $0, &choices) }
        case .json: return jsonMutation(kind, &choices)
        }
    }

    // MARK: Plain bytes

    private func offset(_ choices: inout Choices, reserving width: Int = 1) -> Int? {
        let last = original.count - width
        guard last >= 0 else { return nil }
        switch choices.int(in: 0...3) {
        case 0: return choices.int(in: 0...min(last, FileMutator.edgeWindow))
        case 1: return choices.int(in: max(0, last - FileMutator.edgeWindow)...last)
        default: return choices.int(in: 0...last)
        }
    }

    private func byteMutation(_ kind: FileMutation.Kind, _ choices: inout Choices) -> (String, [UInt8])? {
        var bytes = original
        switch kind {
        case .flipBits:
            var flipped: [String] = []
            for _ in 0..<choices.int(in: 1...8) {
                guard let at = offset(&choices) else { return nil }
                let bit = choices.int(in: 0...7)
                bytes[at] ^= 1 << UInt8(bit)
                flipped.append("\(at).\(bit)")
            }
            return ("flipped bits (offset.bit) \(flipped.joined(separator: ", "))", bytes)
        case .insertBytes:
            let at = choices.int(in: 0...original.count)
            let inserted = FileMutator.randomBytes(&choices, count: choices.int(in: 1...16))
            bytes.insert(contentsOf: inserted, at: at)
            return ("inserted \(inserted.count) bytes at \(at)", bytes)
        case .deleteBytes:
            guard let at = offset(&choices) else { return nil }
            let length = choices.int(in: 1...min(64, original.count - at))
            bytes.removeSubrange(at..<(at + length))
            return ("deleted \(length) bytes at \(at)", bytes)
        case .truncate:
            guard !original.isEmpty else { return nil }
            let length = choices.int(in: 0...(original.count - 1))
            return ("cut to \(length) of \(original.count) bytes", Array(original[0..<length]))
        default:
            let width = choices.element(of: [1, 2, 4, 8])
            guard let at = offset(&choices, reserving: width) else { return nil }
            let value = FileMutator.boundaryValue(&choices, width: width, around: FileMutator.load(bytes, at: at, width: width))
            FileMutator.store(value, into: &bytes, at: at, width: width)
            return ("wrote \(width)-byte value \(value) at \(at)", bytes)
        }
    }

    // MARK: Zip

    private func zipMutation(_ kind: FileMutation.Kind, _ zip: ZipModel, _ choices: inout Choices) -> (String, [UInt8])? {
        var model = zip
        let count = zip.local.count
        let names = zip.local.map { String(decoding: $0.rawName, as: UTF8.self) }
        switch kind {
        case .zipReorderEntries:
            let order = FileMutator.shuffledIndices(count, &choices)
            model.local = order.map { zip.local[$0] }
            model.central = order.map { zip.central[$0] }
            model.centralOrder = Array(0..<count)
            return ("members reordered to \(order.map { names[$0] })", model.assemble())
        case .zipReorderCentralDirectory:
            let order = FileMutator.shuffledIndices(count, &choices)
            model.centralOrder = order
            return ("central directory reordered to \(order.map { names[$0] }), local headers unchanged", model.assemble())
        case .zipDuplicateEntry:
            let index = choices.int(in: 0...(count - 1))
            var copy = zip.local[index]
            let variant: String
            switch choices.int(in: 0...3) {
            case 0: variant = "identical"
            case 1:
                let other = choices.int(in: 0...(count - 1))
                copy = copy.replacingData(zip.local[other].data)
                variant = "with the data of \(names[other])"
            case 2:
                copy = copy.replacingData(FileMutator.randomBytes(&choices, count: choices.int(in: 0...64)))
                variant = "with \(copy.data.count) random bytes"
            default:
                var data = copy.data
                if !data.isEmpty { data[choices.int(in: 0...(data.count - 1))] ^= 0xFF }
                copy = copy.replacingData(data)
                variant = "with one byte inverted"
            }
            let position = choices.int(in: 0...count)
            model.local.insert(copy, at: position)
            model.central.insert(copy, at: position)
            model.centralOrder = Array(0...count)
            return ("\(names[index]) repeated at position \(position), \(variant)", model.assemble())
        case .zipTruncateMember:
            let candidates = zip.local.indices.filter { !zip.local[$0].data.isEmpty }
            let index = choices.element(of: candidates)
            let length = choices.int(in: 0...(zip.local[index].data.count - 1))
            model.local[index].data = Array(zip.local[index].data[0..<length])
            if choices.bool() {
                model.local[index].compressedSize = UInt32(length)
                model.local[index].uncompressedSize = UInt32(length)
                model.central[index].compressedSize = UInt32(length)
                model.central[index].uncompressedSize = UInt32(length)
                return ("\(names[index]) cut to \(length) bytes, sizes updated, CRC kept", model.assemble())
            }
            return ("\(names[index]) cut to \(length) bytes, headers still declare \(zip.local[index].data.count)", model.assemble())
        case .zipLocalHeaderDisagrees:
            let index = choices.int(in: 0...(count - 1))
            var record = zip.local[index]
            let field: String
            switch choices.int(in: 0...6) {
            case 0:
                if record.rawName.isEmpty { record.rawName = [0x78] } else {
                    record.rawName[choices.int(in: 0...(record.rawName.count - 1))] ^= UInt8(choices.int(in: 1...255))
                }
                field = "name \(String(decoding: record.rawName, as: UTF8.self).debugDescription)"
            case 1:
                record.crc32 ^= UInt32(choices.int(in: 1...Int(UInt32.max)))
                field = "CRC-32 \(record.crc32)"
            case 2:
                record.compressedSize = UInt32(truncatingIfNeeded: Int(record.compressedSize) + choices.element(of: [-1, 1, 7, 4096, -4096]))
                field = "compressed size \(record.compressedSize)"
            case 3:
                record.uncompressedSize = UInt32(truncatingIfNeeded: Int(record.uncompressedSize) + choices.element(of: [-1, 1, 7, 4096, -4096]))
                field = "uncompressed size \(record.uncompressedSize)"
            case 4:
                record.method = choices.element(of: [ZipEntry.methodStored, ZipEntry.methodDeflate, 12, 99].filter { $0 != record.method })
                field = "method \(record.method)"
            case 5:
                record.flags ^= choices.element(of: [ZipEntry.flagEncrypted, ZipEntry.flagDataDescriptor, ZipEntry.flagUTF8, ZipEntry.flagStrongEncryption])
                field = "flags \(record.flags)"
            default:
                record.versionNeeded = UInt16(choices.element(of: [45, 63, 64, 99, 0xFFFF]))
                field = "version needed \(record.versionNeeded)"
            }
            model.local[index] = record
            return ("local header of \(names[index]) disagrees with the central directory: \(field)", model.assemble())
        case .zipReplaceMember:
            let index = choices.int(in: 0...(count - 1))
            let data = zip.local[index].data
            let replacement: [UInt8]
            let variant: String
            switch choices.int(in: 0...5) {
            case 0:
                replacement = FileMutator.randomBytes(&choices, count: choices.int(in: 1...256))
                variant = "\(replacement.count) random bytes"
            case 1:
                replacement = []
                variant = "nothing"
            case 2:
                let other = choices.int(in: 0...(count - 1))
                replacement = zip.local[other].data
                variant = "the data of \(names[other])"
            case 3 where !data.isEmpty:
                var edited = data
                let at = choices.int(in: 0...(data.count - 1))
                let length = choices.int(in: 1...min(32, data.count - at))
                for position in at..<(at + length) { edited[position] = UInt8(choices.int(in: 0...255)) }
                replacement = edited
                variant = "its data with \(length) bytes at \(at) overwritten"
            case 4 where !data.isEmpty:
                let length = choices.int(in: 0...(data.count - 1))
                replacement = Array(data[0..<length])
                variant = "its first \(length) bytes"
            default:
                replacement = data + FileMutator.randomBytes(&choices, count: choices.int(in: 1...64))
                variant = "its data followed by \(replacement.count - data.count) random bytes"
            }
            model.local[index] = zip.local[index].replacingData(replacement)
            model.central[index] = model.local[index]
            return ("\(names[index]) replaced by \(variant) (CRC and sizes correct)", model.assemble())
        case .zipRedirectLocalHeader:
            let index = choices.int(in: 0...(count - 1))
            let edit: ZipModel.OffsetEdit
            switch choices.int(in: 0...3) {
            case 0: edit = .shift(choices.element(of: [-30, -4, -1, 1, 2, 4, 30, 64]))
            case 1: edit = .entry(choices.int(in: 0...(count - 1)))
            case 2: edit = .absolute(0)
            default: edit = .absolute(UInt32(choices.element(of: [original.count, original.count - 22, Int(UInt32.max)])))
            }
            model.offsetEdits[index] = edit
            return ("central entry of \(names[index]) points its local header at \(edit)", model.assemble())
        default:
            var edit = ZipModel.EndEdit()
            let field: String
            switch choices.int(in: 0...3) {
            case 0:
                edit.entriesOnDisk = choices.element(of: [-1, 1, 65535 - count])
                edit.entriesTotal = edit.entriesOnDisk
                field = "entry count \(count + edit.entriesTotal)"
            case 1:
                edit.entriesTotal = choices.element(of: [-1, 1])
                field = "total entries \(count + edit.entriesTotal), \(count) on this disk"
            case 2:
                edit.sizeDelta = choices.element(of: [-46, -1, 1, 46, 1 << 20])
                field = "central directory size off by \(edit.sizeDelta)"
            default:
                edit.offsetDelta = choices.element(of: [-46, -1, 1, 30, 1 << 20])
                field = "central directory offset off by \(edit.offsetDelta)"
            }
            model.endEdit = edit
            return ("end record: \(field)", model.assemble())
        }
    }

    // MARK: HDF5

    private func hdf5Mutation(_ kind: FileMutation.Kind, _ target: HDF5Target, _ choices: inout Choices) -> (String, [UInt8])? {
        let map = target.map
        var image = map.image
        let detail: String
        switch kind {
        case .hdf5RedirectAddress:
            let site = choices.element(of: map.pointerSites)
            let current = FileMutator.load(image, at: site, width: 8)
            let value: UInt64
            let what: String
            switch choices.int(in: 0...5) {
            case 0:
                value = choices.element(of: map.targets)
                what = "another structure"
            case 1:
                value = UInt64(Int64(current) + Int64(choices.element(of: [-16, -8, -1, 1, 2, 8, 16])))
                what = "the middle of a structure"
            case 2:
                value = map.targets.last { $0 < UInt64(site) } ?? 0
                what = "the structure holding the address (a loop)"
            case 3:
                value = UInt64(image.count + choices.int(in: 0...4096))
                what = "past the end of the file"
            case 4:
                value = UInt64.max
                what = "the undefined address"
            default:
                value = UInt64(choices.int(in: 0...max(0, image.count - 1)))
                what = "a random offset"
            }
            FileMutator.store(value, into: &image, at: site, width: 8)
            detail = "address \(current) stored at \(site) redirected to \(value) (\(what))"
        case .hdf5ChangeDimension, .hdf5ChangeSizeField:
            let field = choices.element(of: kind == .hdf5ChangeDimension ? map.dimensionFields : map.sizeFields)
            let current = FileMutator.load(image, at: field.offset, width: field.width)
            var value = FileMutator.boundaryValue(&choices, width: field.width, around: current)
            if value == current { value = current &+ 1 }
            FileMutator.store(value, into: &image, at: field.offset, width: field.width)
            detail = "\(field.label) at \(field.offset) changed from \(current) to \(value & FileMutator.mask(field.width))"
        default:
            let signature = choices.element(of: map.signatures)
            let at = signature.offset + choices.int(in: 0...(signature.width - 1))
            image[at] ^= UInt8(choices.int(in: 1...255))
            detail = "\(signature.label) signature at \(signature.offset) damaged at byte \(at)"
        }
        guard let member = target.member, let zip else { return ("\(target.label): \(detail)", image) }
        var model = zip
        model.local[member] = zip.local[member].replacingData(image)
        model.central[member] = model.local[member]
        return ("\(target.label): \(detail)", model.assemble())
    }

    // MARK: JSON

    private func jsonMutation(_ kind: FileMutation.Kind, _ choices: inout Choices) -> (String, [UInt8])? {
        // config.json (first) is drawn three times out of four.
        let target = choices.bool(0.25) ? choices.element(of: jsonTargets) : jsonTargets[0]
        let count = ConfigMutator.JSONTree.count(target.value)
        let index = choices.int(in: (kind == .jsonDeleteSubtree && count > 1 ? 1 : 0)...(count - 1))
        let path = ConfigMutator.JSONTree.path(at: index, in: target.value)
        let old = ConfigMutator.JSONTree.value(at: path, in: target.value)
        let mutated: JSONValue
        let detail: String
        if kind == .jsonDeleteSubtree, !path.isEmpty {
            mutated = ConfigMutator.JSONTree.removing(path, from: target.value)
            detail = "\(target.label): deleted \(ConfigMutator.JSONTree.pointer(path))"
        } else {
            let replacement = ConfigMutator.JSONTree.retyped(old, &choices)
            mutated = ConfigMutator.JSONTree.replacing(path, in: target.value, with: replacement)
            detail = "\(target.label): \(ConfigMutator.JSONTree.pointer(path)) retyped to \(JSONWriter.dumps(replacement))"
        }
        var text = JSONWriter.dumpBytes(mutated)
        switch target.place {
        case .member(let member):
            guard let zip else { return nil }
            var model = zip
            model.local[member] = zip.local[member].replacingData(text)
            model.central[member] = model.local[member]
            return (detail, model.assemble())
        case .span(let span):
            guard text.count <= span.count else { return nil }
            text += [UInt8](repeating: 0x20, count: span.count - text.count)
            var bytes = original
            bytes.replaceSubrange(span, with: text)
            return (detail + " (in place, padded with spaces)", bytes)
        }
    }

    // MARK: Helpers

    static func randomBytes(_ choices: inout Choices, count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8(choices.int(in: 0...255)) }
    }

    /// A permutation of `0..<count` that is not the identity (for `count >= 2`).
    static func shuffledIndices(_ count: Int, _ choices: inout Choices) -> [Int] {
        var order = Array(0..<count)
        for index in stride(from: count - 1, to: 0, by: -1) { order.swapAt(index, choices.int(in: 0...index)) }
        if count >= 2, order == Array(0..<count) { order.swapAt(0, count - 1) }
        return order
    }

    static func mask(_ width: Int) -> UInt64 { width >= 8 ? .max : (1 << UInt64(width * 8)) - 1 }

    /// A value near `current` or at a boundary of a `width`-byte unsigned field.
    static func boundaryValue(_ choices: inout Choices, width: Int, around current: UInt64) -> UInt64 {
        let top = mask(width)
        let candidates: [UInt64] = [0, 1, top, top >> 1, (top >> 1) + 1, current &+ 1, current &- 1, current &* 2,
                                    current >> 1, UInt64(choices.int(in: 0...Int(min(top, UInt64(Int32.max)))))]
        return choices.element(of: candidates) & top
    }

    static func load(_ bytes: [UInt8], at offset: Int, width: Int) -> UInt64 {
        var value: UInt64 = 0
        for index in 0..<width where offset + index < bytes.count { value |= UInt64(bytes[offset + index]) << UInt64(8 * index) }
        return value
    }

    static func store(_ value: UInt64, into bytes: inout [UInt8], at offset: Int, width: Int) {
        for index in 0..<width where offset + index < bytes.count { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> UInt64(8 * index)) }
    }

    /// The first range of `haystack` equal to `needle`.
    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Range<Int>? {
        guard let first = needle.first, needle.count <= haystack.count else { return nil }
        var start = 0
        while start + needle.count <= haystack.count {
            guard let found = haystack[start...].firstIndex(of: first), found + needle.count <= haystack.count else { return nil }
            if haystack[found..<(found + needle.count)].elementsEqual(needle) { return found..<(found + needle.count) }
            start = found + 1
        }
        return nil
    }
}

// MARK: - The analyses (private to the mutator)

extension FileMutator {
    /// A zip archive taken apart: its members' records in local-header order, re-assembled by hand.
    struct ZipModel: Sendable {
        /// One member's header fields and raw (possibly compressed) data.
        struct Record: Sendable {
            var rawName: [UInt8]
            var versionMadeBy: UInt16
            var versionNeeded: UInt16
            var flags: UInt16
            var method: UInt16
            var time: UInt16
            var date: UInt16
            var crc32: UInt32
            var compressedSize: UInt32
            var uncompressedSize: UInt32
            var externalAttributes: UInt32
            var data: [UInt8]

            /// This record holding `data` stored, with its CRC and sizes.
            func replacingData(_ data: [UInt8]) -> Record {
                var record = self
                record.data = data
                record.method = ZipEntry.methodStored
                record.flags &= ~ZipEntry.flagDataDescriptor
                record.crc32 = CRC32.checksum(ByteView(copying: data))
                record.compressedSize = UInt32(truncatingIfNeeded: data.count)
                record.uncompressedSize = UInt32(truncatingIfNeeded: data.count)
                return record
            }
        }

        /// Where a central entry says its local header is.
        enum OffsetEdit: Sendable, CustomStringConvertible {
            case shift(Int)
            case entry(Int)
            case absolute(UInt32)

            var description: String {
                switch self {
                case .shift(let delta): "its offset \(delta >= 0 ? "+" : "")\(delta)"
                case .entry(let index): "the local header of member \(index)"
                case .absolute(let offset): "offset \(offset)"
                }
            }
        }

        /// Changes to the end of central directory record, as differences from the true values.
        struct EndEdit: Sendable {
            var entriesOnDisk = 0
            var entriesTotal = 0
            var sizeDelta = 0
            var offsetDelta = 0
        }

        /// Local headers and data, in file order.
        var local: [Record]
        /// What the central directory says of each local record (same index).
        var central: [Record]
        /// The order of the central directory, as indices into ``local``.
        var centralOrder: [Int]
        var offsetEdits: [Int: OffsetEdit] = [:]
        var endEdit = EndEdit()

        static let localHeaderSize = 30
        static let centralHeaderSize = 46

        /// The members of `bytes` when it is a zip archive whose entries fit 32-bit fields, else nil.
        init?(_ bytes: [UInt8]) {
            guard bytes.starts(with: [0x50, 0x4B]), let archive = try? ZipArchive.read(ByteView(copying: bytes)),
                  !archive.entries.isEmpty else { return nil }
            var records: [(offset: Int, centralIndex: Int, record: Record)] = []
            for entry in archive.entries {
                guard let compressed = UInt32(exactly: entry.compressedSize), let size = UInt32(exactly: entry.uncompressedSize),
                      let data = archive.bytes.slice(offset: entry.dataOffset, length: entry.compressedSize) else { return nil }
                records.append((entry.localHeaderOffset, entry.index, Record(
                    rawName: entry.rawName, versionMadeBy: entry.versionMadeBy, versionNeeded: entry.versionNeeded,
                    flags: entry.flags & ~ZipEntry.flagDataDescriptor, method: entry.method, time: entry.modified.time,
                    date: entry.modified.date, crc32: entry.crc32, compressedSize: compressed, uncompressedSize: size,
                    externalAttributes: entry.externalAttributes, data: data.bytes)))
            }
            records.sort { $0.offset < $1.offset }
            local = records.map(\.record)
            central = local
            let positionOfCentral = Dictionary(uniqueKeysWithValues: records.enumerated().map { ($1.centralIndex, $0) })
            centralOrder = (0..<records.count).map { positionOfCentral[$0]! }
        }

        /// The archive's bytes: local headers and data, the central directory, the end record.
        func assemble() -> [UInt8] {
            var out: [UInt8] = []
            var offsets: [Int] = []
            for record in local {
                offsets.append(out.count)
                Self.put(UInt32(0x0403_4B50), &out)
                Self.put(record.versionNeeded, &out)
                Self.put(record.flags, &out)
                Self.put(record.method, &out)
                Self.put(record.time, &out)
                Self.put(record.date, &out)
                Self.put(record.crc32, &out)
                Self.put(record.compressedSize, &out)
                Self.put(record.uncompressedSize, &out)
                Self.put(UInt16(truncatingIfNeeded: record.rawName.count), &out)
                Self.put(UInt16(0), &out)
                out += record.rawName
                out += record.data
            }
            let directoryStart = out.count
            for index in centralOrder {
                let record = central[index]
                let offset: UInt32
                switch offsetEdits[index] {
                case .shift(let delta)?: offset = UInt32(truncatingIfNeeded: max(0, offsets[index] + delta))
                case .entry(let other)?: offset = UInt32(truncatingIfNeeded: offsets[min(other, offsets.count - 1)])
                case .absolute(let value)?: offset = value
                case nil: offset = UInt32(truncatingIfNeeded: offsets[index])
                }
                Self.put(UInt32(0x0201_4B50), &out)
                Self.put(record.versionMadeBy, &out)
                Self.put(record.versionNeeded, &out)
                Self.put(record.flags, &out)
                Self.put(record.method, &out)
                Self.put(record.time, &out)
                Self.put(record.date, &out)
                Self.put(record.crc32, &out)
                Self.put(record.compressedSize, &out)
                Self.put(record.uncompressedSize, &out)
                Self.put(UInt16(truncatingIfNeeded: record.rawName.count), &out)
                Self.put(UInt16(0), &out)
                Self.put(UInt16(0), &out)
                Self.put(UInt16(0), &out)
                Self.put(UInt16(0), &out)
                Self.put(record.externalAttributes, &out)
                Self.put(offset, &out)
                out += record.rawName
            }
            let directorySize = out.count - directoryStart
            let count = centralOrder.count
            Self.put(UInt32(0x0605_4B50), &out)
            Self.put(UInt16(0), &out)
            Self.put(UInt16(0), &out)
            Self.put(UInt16(truncatingIfNeeded: count + endEdit.entriesOnDisk), &out)
            Self.put(UInt16(truncatingIfNeeded: count + endEdit.entriesTotal), &out)
            Self.put(UInt32(truncatingIfNeeded: max(0, directorySize + endEdit.sizeDelta)), &out)
            Self.put(UInt32(truncatingIfNeeded: max(0, directoryStart + endEdit.offsetDelta)), &out)
            Self.put(UInt16(0), &out)
            return out
        }

        private static func put<T: FixedWidthInteger>(_ value: T, _ out: inout [UInt8]) {
            withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
        }
    }

    /// The HDF5 image the hdf5 kinds mutate, and where it sits.
    struct HDF5Target: Sendable {
        let map: HDF5Map
        /// The archive member holding the image, or nil when the image is the file.
        let member: Int?
        let label: String
    }

    /// A field of an HDF5 image: where, how wide, what it is.
    struct Field: Sendable {
        let offset: Int
        let width: Int
        let label: String
    }

    /// An HDF5 image's structures: signatures, stored addresses, dataspace dimensions and size fields.
    ///
    /// Addresses are found by value: every 8-byte little-endian word equal to the address of a known
    /// structure (an object header, a signed structure, a dataset's data or chunk index) is taken for a
    /// stored address. Words in raw data can match by chance; a mutation there is still a mutation.
    struct HDF5Map: Sendable {
        let image: [UInt8]
        /// The file as the Swift reader reads it, when it does.
        let file: HDF5File?
        /// The addresses of known structures, sorted.
        let targets: [UInt64]
        /// Offsets of 8-byte words holding one of ``targets``.
        let pointerSites: [Int]
        let signatures: [Field]
        let dimensionFields: [Field]
        let sizeFields: [Field]

        /// The superblock signature.
        static let superblockSignature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]
        /// The 4-byte signatures of HDF5 metadata structures.
        static let structureSignatures = ["TREE", "HEAP", "SNOD", "GCOL", "OHDR", "OCHK", "FRHP", "FHDB", "FHIB",
                                          "BTHD", "BTIN", "BTLF", "FSHD", "FSSE", "FARY", "FAHD", "FADB", "EAHD", "EAIB", "EADB", "EASB"]
        /// How far past an object header's address its dataspace and layout messages are looked for.
        static let headerWindow = 1024
        /// At most this many stored addresses are kept (evenly sampled beyond it).
        static let maxPointerSites = 4096

        /// The map of `image`, or nil when it does not start with the superblock signature.
        init?(_ image: [UInt8]) {
            guard image.starts(with: Self.superblockSignature) else { return nil }
            self.image = image
            let file = try? HDF5File.open(ByteView(copying: image))
            self.file = file
            var signatures = [Field(offset: 0, width: 8, label: "superblock")]
            var sizeFields: [Field] = []
            let words = Self.structureSignatures.map { Array($0.utf8) }
            image.withUnsafeBufferPointer { buffer in
                guard buffer.count >= 4 else { return }
                for offset in 0...(buffer.count - 4) {
                    let first = buffer[offset]
                    guard first >= 0x42, first <= 0x54 else { continue }
                    for (index, word) in words.enumerated()
                    where word[0] == first && buffer[offset + 1] == word[1] && buffer[offset + 2] == word[2] && buffer[offset + 3] == word[3] {
                        let name = Self.structureSignatures[index]
                        signatures.append(Field(offset: offset, width: 4, label: name))
                        switch name {
                        case "TREE":
                            sizeFields.append(Field(offset: offset + 5, width: 1, label: "TREE node level"))
                            sizeFields.append(Field(offset: offset + 6, width: 2, label: "TREE entries used"))
                        case "HEAP": sizeFields.append(Field(offset: offset + 8, width: 8, label: "HEAP data segment size"))
                        case "SNOD": sizeFields.append(Field(offset: offset + 6, width: 2, label: "SNOD symbol count"))
                        case "GCOL": sizeFields.append(Field(offset: offset + 8, width: 8, label: "GCOL collection size"))
                        default: break
                        }
                    }
                }
            }
            let superblockVersion = image.count > 8 ? image[8] : 0
            if superblockVersion <= 1 {
                sizeFields.append(Field(offset: 40, width: 8, label: "superblock end-of-file address"))
                sizeFields.append(Field(offset: 16, width: 2, label: "superblock group leaf K"))
                sizeFields.append(Field(offset: 18, width: 2, label: "superblock group internal K"))
            } else {
                sizeFields.append(Field(offset: 28, width: 8, label: "superblock end-of-file address"))
            }
            var targets = Set(signatures.dropFirst().map { UInt64($0.offset) })
            var dimensionFields: [Field] = []
            file?.walk { node in
                switch node {
                case .group(let group):
                    targets.insert(group.address)
                case .dataset(let dataset):
                    targets.insert(dataset.address)
                    let start = Int(clamping: dataset.address)
                    let window = start < image.count ? start..<min(image.count, start + Self.headerWindow) : 0..<0
                    if !dataset.shape.isEmpty, let at = Self.find(words: dataset.shape.map { UInt64($0) }, in: image, window) {
                        for (axis, _) in dataset.shape.enumerated() {
                            dimensionFields.append(Field(offset: at + 8 * axis, width: 8, label: "dimension \(axis) of \(dataset.path)"))
                        }
                    }
                    switch dataset.layout {
                    case .contiguous(let address?, let size):
                        targets.insert(address)
                        if let at = Self.find(words: [address, UInt64(size)], in: image, window) {
                            sizeFields.append(Field(offset: at + 8, width: 8, label: "data size of \(dataset.path)"))
                        }
                    case .chunked(_, let address?, _):
                        targets.insert(address)
                    default:
                        break
                    }
                default:
                    break
                }
            }
            targets.remove(0)
            var sites: [Int] = []
            image.withUnsafeBufferPointer { buffer in
                guard buffer.count >= 8 else { return }
                for offset in 0...(buffer.count - 8) where buffer[offset + 7] == 0 && buffer[offset + 6] == 0 && buffer[offset + 5] == 0 {
                    var value: UInt64 = 0
                    for index in 0..<5 { value |= UInt64(buffer[offset + index]) << UInt64(8 * index) }
                    if value != 0, targets.contains(value) { sites.append(offset) }
                }
            }
            if sites.count > Self.maxPointerSites {
                let step = sites.count / Self.maxPointerSites + 1
                sites = stride(from: 0, to: sites.count, by: step).map { sites[$0] }
            }
            self.targets = targets.sorted()
            pointerSites = sites
            self.signatures = signatures
            self.dimensionFields = dimensionFields
            self.sizeFields = sizeFields.filter { $0.offset + $0.width <= image.count }
        }

        /// The offset in `window` where the little-endian 8-byte `words` follow each other.
        static func find(words: [UInt64], in image: [UInt8], _ window: Range<Int>) -> Int? {
            var needle: [UInt8] = []
            for word in words { for index in 0..<8 { needle.append(UInt8(truncatingIfNeeded: word >> UInt64(8 * index))) } }
            guard window.count >= needle.count else { return nil }
            return FileMutator.find(needle, in: Array(image[window])).map { window.lowerBound + $0.lowerBound }
        }
    }

    /// A JSON document the json kinds mutate, and where it sits.
    struct JSONTarget: Sendable {
        enum Place: Sendable {
            /// An archive member (index into the local records), rewritten whole.
            case member(Int)
            /// Bytes of the file, rewritten in place (padded with spaces; a longer result is redrawn).
            case span(Range<Int>)
        }

        let value: JSONValue
        let place: Place
        let label: String
    }
}
