import KerasBytes

extension HDF5Decoder {
    private static let sharedMessageVersion1ReservedSize = 6
    private static let sharedTypeHeap: UInt8 = 1
    private static let sharedTypeCommitted: UInt8 = 2

    /// The object at `address`, reached by `path`, with everything below it.
    func object(at address: UInt64, path: String) throws(HDF5Error) -> HDF5LinkTarget {
        do throws(HDF5Error) {
            guard !ancestors.contains(address) else {
                throw HDF5Error(HDF5Error.Code.cycle, "the object at \(HDF5Decoder.hex(address)) contains itself", address: address)
            }
            let header = try objectHeader(at: address)
            if header.has(HDF5Message.symbolTable) || header.has(HDF5Message.linkInfo) {
                return .group(try group(header, path: path))
            }
            if header.has(HDF5Message.datatype) && header.has(HDF5Message.dataspace) {
                return .dataset(try dataset(header, path: path))
            }
            if header.has(HDF5Message.datatype) {
                let datatype = try datatype(of: header)
                return .namedDatatype(HDF5NamedDatatype(path: path, address: address, datatype: datatype,
                    attributes: try attributes(of: header)))
            }
            throw HDF5Error(HDF5Error.Code.unknownObjectClass,
                "the object header is neither a group (no symbol table or link info), a dataset nor a named datatype", address: address)
        } catch {
            throw error.within(path)
        }
    }

    /// The only message of `type`, nil when absent; duplicates are errors.
    func single(_ type: UInt16, in header: HDF5ObjectHeader) throws(HDF5Error) -> HDF5Message? {
        let found = header.messages(type)
        guard found.count <= 1 else {
            throw HDF5Error(HDF5Error.Code.duplicateMessage, "two \(HDF5Message.name(type))s in one object header", address: found[1].address)
        }
        return found.first
    }

    /// The only message of `type`, which must be present; shared messages are resolved.
    func required(_ type: UInt16, in header: HDF5ObjectHeader) throws(HDF5Error) -> (ByteView, UInt64) {
        guard let message = try single(type, in: header) else {
            throw HDF5Error(HDF5Error.Code.missingMessage, "the object header has no \(HDF5Message.name(type))", address: header.address)
        }
        return message.isShared ? try sharedTarget(message.body, at: message.address, type: type) : (message.body, message.address)
    }

    /// Format spec IV.A.3: Shared Message encoding. Returns the body of the message it refers to.
    func sharedTarget(_ body: ByteView, at address: UInt64, type: UInt16) throws(HDF5Error) -> (ByteView, UInt64) {
        var visited: Set<UInt64> = []
        var body = body
        var address = address
        while true {
            var reader = cursor(over: body, address: address, code: HDF5Error.Code.messageInvalid, what: "shared message")
            let version = try reader.u8()
            let sharedType = try reader.u8()
            let target: UInt64?
            switch version {
            case 1:
                try reader.skip(HDF5Decoder.sharedMessageVersion1ReservedSize + lengthSize)
                target = try reader.address()
            case 2:
                target = try reader.address()
            case 3:
                switch sharedType {
                case HDF5Decoder.sharedTypeHeap:
                    throw reader.error(HDF5Error.Code.sharedMessageUnsupported, "\(HDF5Message.name(type)) stored in the shared message heap")
                case HDF5Decoder.sharedTypeCommitted:
                    target = try reader.address()
                default:
                    throw reader.error("shared message type \(sharedType)")
                }
            default:
                throw reader.error(HDF5Error.Code.messageVersionUnsupported, "shared message version \(version)")
            }
            guard let target else { throw reader.error("refers to the undefined address") }
            guard visited.insert(target).inserted, !ancestors.contains(target) else {
                throw HDF5Error(HDF5Error.Code.cycle, "shared \(HDF5Message.name(type))s refer to each other in a loop", address: target)
            }
            let header = try objectHeader(at: target)
            guard let message = try single(type, in: header) else {
                throw HDF5Error(HDF5Error.Code.missingMessage,
                    "the object a shared \(HDF5Message.name(type)) refers to has none", address: target)
            }
            if !message.isShared { return (message.body, message.address) }
            body = message.body
            address = message.address
        }
    }

    /// The datatype message of `header`, decoded.
    func datatype(of header: HDF5ObjectHeader) throws(HDF5Error) -> HDF5Datatype {
        let (body, address) = try required(HDF5Message.datatype, in: header)
        var reader = cursor(over: body, address: address, code: HDF5Error.Code.datatypeInvalid, what: "datatype message")
        return try datatype(&reader)
    }

    /// A group: attributes, then links in iteration order, each expanded.
    private func group(_ header: HDF5ObjectHeader, path: String) throws(HDF5Error) -> HDF5Group {
        let address = header.address
        depth += 1
        ancestors.insert(address)
        defer {
            depth -= 1
            ancestors.remove(address)
        }
        guard depth <= limits.maxDepth else {
            throw HDF5Error(HDF5Error.Code.depthLimitExceeded, "groups nest deeper than maxDepth (\(limits.maxDepth))", address: address)
        }
        let attributes = try attributes(of: header)
        let symbolTable = try single(HDF5Message.symbolTable, in: header)
        let info = try single(HDF5Message.linkInfo, in: header)
        var raw: [HDF5RawLink] = []
        let storage: HDF5GroupStorage
        if let symbolTable {
            guard info == nil, !header.has(HDF5Message.link) else {
                throw HDF5Error(HDF5Error.Code.messageInvalid, "a group has both a symbol table and link messages or link info",
                    address: symbolTable.address)
            }
            var reader = cursor(over: symbolTable.body, address: symbolTable.address, code: HDF5Error.Code.messageInvalid,
                what: "symbol table message")
            let bTree = try reader.address()
            let heap = try localHeap(at: try reader.address())
            for entry in try symbolTableEntries(bTree: bTree, heap: heap) {
                if let value = entry.softLinkValue {
                    guard !value.contains(0), let text = String(validating: value, as: UTF8.self) else {
                        throw HDF5Error(HDF5Error.Code.stringEncodingInvalid, "a soft link value is not UTF-8", address: heap.address)
                    }
                    raw.append(HDF5RawLink(name: entry.name, target: .soft(text), creationOrder: nil))
                } else if let target = entry.objectAddress {
                    raw.append(HDF5RawLink(name: entry.name, target: .hard(target), creationOrder: nil))
                }
            }
            storage = .symbolTable
        } else if let info {
            if let groupInfo = try single(HDF5Message.groupInfo, in: header) { try checkGroupInfo(groupInfo) }
            let linkInfo = try self.linkInfo(info, attributes: false)
            raw = try ordered(try newStyleLinks(header, info: linkInfo), byCreationOrder: linkInfo.tracksCreationOrder, at: address)
            storage = linkInfo.heapAddress == nil ? .compact : .dense
        } else {
            storage = .symbolTable
        }
        guard raw.count <= limits.maxLinksPerGroup else {
            throw HDF5Error(HDF5Error.Code.linkCountLimitExceeded,
                "\(raw.count) links exceed maxLinksPerGroup (\(limits.maxLinksPerGroup))", address: address)
        }
        var links: [HDF5Link] = []
        links.reserveCapacity(raw.count)
        for link in raw {
            let name = String(decoding: link.name, as: UTF8.self)
            let childPath = path == "/" ? "/" + name : path + "/" + name
            try charge(childPath.utf8.count, at: address)
            let target: HDF5LinkTarget
            switch link.target {
            case let .hard(childAddress): target = try object(at: childAddress, path: childPath)
            case let .soft(value): target = .soft(path: value)
            case let .external(file, objectPath): target = .external(file: file, path: objectPath)
            }
            links.append(HDF5Link(name: name, target: target, creationOrder: link.creationOrder))
        }
        return HDF5Group(path: path, address: address, attributes: attributes, links: links, storage: storage)
    }

    /// A dataset: dataspace, datatype, layout, fill value, filters, external files, attributes.
    private func dataset(_ header: HDF5ObjectHeader, path: String) throws(HDF5Error) -> HDF5Dataset {
        let address = header.address
        let (spaceBody, spaceAddress) = try required(HDF5Message.dataspace, in: header)
        var spaceReader = cursor(over: spaceBody, address: spaceAddress, code: HDF5Error.Code.dataspaceInvalid, what: "dataspace message")
        let space = try dataspace(&spaceReader)
        let datatype = try datatype(of: header)
        let (layoutBody, layoutAddress) = try required(HDF5Message.layout, in: header)
        let decoded = try layout(HDF5Message(type: HDF5Message.layout, flags: 0, body: layoutBody, address: layoutAddress))

        var fill: [UInt8]?
        if let message = try single(HDF5Message.fillValue, in: header) {
            let (body, at) = message.isShared ? try sharedTarget(message.body, at: message.address, type: message.type) : (message.body, message.address)
            fill = try fillValue(HDF5Message(type: message.type, flags: 0, body: body, address: at), elementSize: datatype.size)
        } else if let message = try single(HDF5Message.oldFillValue, in: header) {
            fill = try oldFillValue(message, elementSize: datatype.size)
        }
        var filters: [HDF5Filter] = []
        if let message = try single(HDF5Message.filterPipeline, in: header) {
            let (body, at) = message.isShared ? try sharedTarget(message.body, at: message.address, type: message.type) : (message.body, message.address)
            filters = try filterPipeline(HDF5Message(type: message.type, flags: 0, body: body, address: at))
        }
        var external: [HDF5ExternalFile] = []
        if let message = try single(HDF5Message.externalFiles, in: header) {
            external = try externalFiles(message)
        }
        let attributes = try attributes(of: header)

        guard let declared = Checked.multiply(space.elementCount, datatype.size) else {
            throw HDF5Error(HDF5Error.Code.declaredBytesLimitExceeded, "the dataset's byte count overflows", address: address)
        }
        guard declared <= limits.maxDeclaredDatasetBytes else {
            throw HDF5Error(HDF5Error.Code.declaredBytesLimitExceeded,
                "the dataset declares \(declared) bytes, above maxDeclaredDatasetBytes (\(limits.maxDeclaredDatasetBytes))", address: address)
        }
        totalDeclaredBytes = Checked.add(totalDeclaredBytes, declared) ?? Int.max
        guard totalDeclaredBytes <= limits.maxTotalDeclaredBytes else {
            throw HDF5Error(HDF5Error.Code.totalDeclaredBytesLimitExceeded,
                "datasets declare more than maxTotalDeclaredBytes (\(limits.maxTotalDeclaredBytes)) together", address: address)
        }
        try checkStorage(decoded, space: space, datatype: datatype, declared: declared, filters: filters,
            hasExternalFiles: !external.isEmpty, at: layoutAddress)
        return HDF5Dataset(
            path: path, address: address, dataspaceKind: space.kind, shape: space.shape, maxShape: space.maxShape,
            datatype: datatype, layout: decoded.layout, filters: filters, externalFiles: external, fillValue: fill,
            attributes: attributes, compactData: decoded.compactData, unfilteredEdgeChunks: decoded.unfilteredEdgeChunks,
            layoutVersion: decoded.version)
    }

    /// Checks the layout against the dataspace and datatype, and contiguous data against the file's end.
    private func checkStorage(
        _ decoded: HDF5DecodedLayout, space: HDF5Dataspace, datatype: HDF5Datatype, declared: Int, filters: [HDF5Filter],
        hasExternalFiles: Bool, at address: UInt64
    ) throws(HDF5Error) {
        if !filters.isEmpty {
            guard case .chunked = decoded.layout else {
                throw HDF5Error(HDF5Error.Code.filterPipelineInvalid, "a filter pipeline on a dataset that is not chunked", address: address)
            }
        }
        switch decoded.layout {
        case let .compact(size):
            guard size == declared else {
                throw HDF5Error(HDF5Error.Code.dataSizeMismatch, "compact data of \(size) bytes for \(declared) declared bytes", address: address)
            }
        case let .contiguous(dataAddress, size):
            if hasExternalFiles {
                guard dataAddress == nil else {
                    throw HDF5Error(HDF5Error.Code.externalFileListInvalid, "a dataset with external files also has contiguous data", address: address)
                }
                return
            }
            guard size == declared || (dataAddress == nil && size == 0) else {
                throw HDF5Error(HDF5Error.Code.dataSizeMismatch, "contiguous data of \(size) bytes for \(declared) declared bytes", address: address)
            }
            if let dataAddress { _ = try dataView(at: dataAddress, length: size, what: "contiguous data") }
        case let .chunked(chunkShape, _, _):
            guard space.kind == .simple, chunkShape.count == space.shape.count else {
                throw HDF5Error(HDF5Error.Code.layoutInvalid,
                    "chunks of rank \(chunkShape.count) for a \(space.kind) dataspace of rank \(space.shape.count)", address: address)
            }
            guard chunkShape.allSatisfy({ $0 > 0 }), decoded.chunkElementSize == datatype.size else {
                throw HDF5Error(HDF5Error.Code.layoutInvalid,
                    "chunk dimensions \(chunkShape) with element size \(decoded.chunkElementSize ?? 0) for \(datatype.size)-byte elements",
                    address: address)
            }
            guard let chunkBytes = Checked.product(chunkShape + [datatype.size]), chunkBytes <= Int(UInt32.max) else {
                throw HDF5Error(HDF5Error.Code.layoutInvalid, "a chunk of \(chunkShape) elements exceeds 4 GiB", address: address)
            }
            if hasExternalFiles {
                throw HDF5Error(HDF5Error.Code.externalFileListInvalid, "a chunked dataset with external files", address: address)
            }
        case .virtual:
            return
        }
    }
}
