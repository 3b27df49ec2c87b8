import CHDF5
import KerasBytes
import KerasHDF5

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a whole HDF5 file image through libhdf5: the differential oracle for the pure-Swift
/// reader and the check on ``HDF5Writer``'s output.
///
/// Tests only. libhdf5 1.10.8 crashes on crafted files (HDF5.md), so it is never given bytes
/// from outside the test suite. Every call holds ``HDF5Library``'s process-wide lock.
public enum HDF5Oracle {
    /// One link reached from the root, or the root itself (path `/`).
    public struct Node: Equatable, Sendable {
        /// What the link leads to.
        public enum Kind: String, Sendable {
            /// A group (hard link).
            case group
            /// A dataset (hard link).
            case dataset
            /// A committed datatype (hard link).
            case namedDatatype
            /// A soft link; ``Node/linkTarget`` holds its path. Never followed.
            case softLink
            /// An external link; ``Node/linkTarget`` holds `file:path`. Never followed.
            case externalLink
            /// A hard link to an object of another kind, or a user-defined link.
            case other
        }

        /// Absolute path: `/`, `/a`, `/a/b`.
        public var path: String
        /// What the link leads to.
        public var kind: Kind
        /// Dataset dimensions (`[]` for a scalar), nil for other kinds and null dataspaces.
        public var shape: [Int]?
        /// Dataset element type in the file, see ``HDF5Oracle/describe(type:)``.
        public var dtypeDescription: String?
        /// Attributes by name.
        public var attributes: [String: Attribute]
        /// Dataset elements in C order: the file's bytes for little-endian types, big-endian
        /// numbers converted to little-endian, variable-length strings as their bytes each followed
        /// by NUL; `[]` for no elements; nil for other kinds, other variable-length types, and
        /// external or virtual storage (never read).
        public var data: [UInt8]?
        /// Target of a soft link (`path`) or external link (`file:path`).
        public var linkTarget: String?
        /// How the object is stored, for structural checks; nil for soft and external links.
        public var storage: Storage?

        /// Creates a node; tests use it to write down what they expect.
        public init(
            path: String, kind: Kind, shape: [Int]? = nil, dtypeDescription: String? = nil,
            attributes: [String: Attribute] = [:], data: [UInt8]? = nil, linkTarget: String? = nil,
            storage: Storage? = nil
        ) {
            self.path = path
            self.kind = kind
            self.shape = shape
            self.dtypeDescription = dtypeDescription
            self.attributes = attributes
            self.data = data
            self.linkTarget = linkTarget
            self.storage = storage
        }
    }

    /// How an object is stored in the file.
    public struct Storage: Equatable, Sendable {
        /// File address of the object header.
        public var objectAddress: UInt64
        /// Object header version (1 or 2).
        public var objectHeaderVersion: Int
        /// Message type numbers present in the object header (0 NIL, 1 dataspace, 3 datatype,
        /// 5 fill value, 8 layout, 12 attribute, 16 continuation, 17 symbol table, 18 mtime, ...).
        public var messageTypes: [Int]
        /// Whether access/modification/change/birth times are recorded.
        public var recordsTimes: Bool
        /// Groups: "symbol-table", "compact" or "dense".
        public var groupStorage: String?
        /// Datasets: "contiguous", "chunked", "compact" or "virtual".
        public var layout: String?
        /// Datasets: "early", "incremental", "late".
        public var allocationTime: String?
        /// Datasets: "alloc", "never", "ifset".
        public var fillTime: String?
        /// Datasets: "undefined", "default", "user".
        public var fillValue: String?
        /// Datasets: filters in the pipeline.
        public var filterCount: Int?
        /// Datasets: whether storage is allocated (false: the layout address is undefined).
        public var allocated: Bool?
    }

    /// One attribute.
    public struct Attribute: Equatable, Sendable {
        /// The attribute's element type, see ``HDF5Oracle/describe(type:)``.
        public var dtypeDescription: String
        /// Dimensions (`[]` scalar), nil for a null dataspace.
        public var shape: [Int]?
        /// The elements.
        public var value: Value

        /// Creates an attribute; tests use it to write down what they expect.
        public init(dtypeDescription: String, shape: [Int]?, value: Value) {
            self.dtypeDescription = dtypeDescription
            self.shape = shape
            self.value = value
        }
    }

    /// Attribute elements, flattened in C order.
    public enum Value: Equatable, Sendable {
        /// Strings as h5py reads them: variable-length ones end at their first NUL, fixed-length ones
        /// lose trailing NUL bytes whatever their padding type (spaces are kept).
        case strings([String])
        /// Strings whose bytes are not all UTF-8, shaped like ``strings(_:)``.
        case byteStrings([[UInt8]])
        /// Signed integers, and enumerations over them, converted to 64 bits.
        case integers([Int64])
        /// Unsigned integers, and enumerations over them, converted to 64 bits.
        case unsignedIntegers([UInt64])
        /// Floating-point numbers, converted to double.
        case floats([Double])
        /// Anything else: the elements' bytes in the file's type, little-endian; `[]` for a null
        /// dataspace, whatever its type (as the Swift reader reports it).
        case other([UInt8])
    }

    /// File-level properties, for structural checks.
    public struct FileInfo: Equatable, Sendable {
        /// Superblock version (0 for h5py's default profile).
        public var superblockVersion: Int
        /// Size of offsets in bytes.
        public var sizeOfOffsets: Int
        /// Size of lengths in bytes.
        public var sizeOfLengths: Int
        /// Symbol-table group leaf node K.
        public var groupLeafK: Int
        /// Symbol-table group internal node K.
        public var groupInternalK: Int
        /// User block size in bytes.
        public var userBlockSize: Int

        /// Creates file properties; tests use it to write down what they expect.
        public init(
            superblockVersion: Int, sizeOfOffsets: Int, sizeOfLengths: Int, groupLeafK: Int, groupInternalK: Int,
            userBlockSize: Int
        ) {
            self.superblockVersion = superblockVersion
            self.sizeOfOffsets = sizeOfOffsets
            self.sizeOfLengths = sizeOfLengths
            self.groupLeafK = groupLeafK
            self.groupInternalK = groupInternalK
            self.userBlockSize = userBlockSize
        }
    }

    /// libhdf5 refused the image or a call on it.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        /// The libhdf5 function that failed.
        public var call: String
        /// The object path being read.
        public var path: String
        /// libhdf5's error stack.
        public var detail: String
        public var description: String { "libhdf5 \(call) failed at \(path): \(detail)" }
    }

    /// Every link in the file, preceded by the root, depth first in the order h5py iterates
    /// (byte order of names, or creation order in groups that track it); every dataset is read
    /// whole. A group reached again through a hard-link cycle is listed but not entered again.
    public static func read(_ image: [UInt8]) throws(Failure) -> [Node] {
        try withFile(image) { file throws(Failure) in try readTree(file) }
    }

    /// Superblock and file-creation properties of the image.
    public static func fileInfo(_ image: [UInt8]) throws(Failure) -> FileInfo {
        try withFile(image) { file throws(Failure) in try readFileInfo(file) }
    }

    // MARK: - Opening

    private static func withFile<Result: Sendable>(
        _ image: [UInt8], _ body: (hid_t) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        var buffer = image
        var outcome: Swift.Result<Result, Failure> = .failure(Failure(call: "open", path: "/", detail: "empty image"))
        guard !buffer.isEmpty else { return try outcome.get() }
        buffer.withUnsafeMutableBytes { bytes in
            outcome = HDF5Library.withLock { () -> Swift.Result<Result, Failure> in
                do throws(Failure) {
                    let flags = UInt32(H5LT_FILE_IMAGE_DONT_COPY | H5LT_FILE_IMAGE_DONT_RELEASE)
                    let file = try valid(
                        H5LTopen_file_image(bytes.baseAddress, bytes.count, flags), "H5LTopen_file_image", "/")
                    defer { _ = H5Fclose(file) }
                    let result = try body(file)
                    let open = kc_H5Fget_open_count(file)
                    guard open == 1 else {
                        throw Failure(call: "H5Fget_obj_count", path: "/", detail: "\(open - 1) identifiers left open")
                    }
                    return .success(result)
                } catch {
                    return .failure(error)
                }
            }
        }
        return try outcome.get()
    }

    private static func check<Status: BinaryInteger>(
        _ status: Status, _ call: String, _ path: String
    ) throws(Failure) {
        guard status >= 0 else {
            throw Failure(call: call, path: path, detail: HDF5Library.takeErrorStack())
        }
    }

    private static func valid(_ id: hid_t, _ call: String, _ path: String) throws(Failure) -> hid_t {
        try check(id, call, path)
        return id
    }

    private static func readFileInfo(_ file: hid_t) throws(Failure) -> FileInfo {
        var info = H5F_info2_t()
        try check(H5Fget_info2(file, &info), "H5Fget_info2", "/")
        let creation = try valid(H5Fget_create_plist(file), "H5Fget_create_plist", "/")
        defer { _ = H5Pclose(creation) }
        var offsets = 0
        var lengths = 0
        try check(H5Pget_sizes(creation, &offsets, &lengths), "H5Pget_sizes", "/")
        var internalK: UInt32 = 0
        var leafK: UInt32 = 0
        try check(H5Pget_sym_k(creation, &internalK, &leafK), "H5Pget_sym_k", "/")
        var userBlock: hsize_t = 0
        try check(H5Pget_userblock(creation, &userBlock), "H5Pget_userblock", "/")
        return FileInfo(
            superblockVersion: Int(info.super.version), sizeOfOffsets: offsets, sizeOfLengths: lengths,
            groupLeafK: Int(leafK), groupInternalK: Int(internalK), userBlockSize: Int(userBlock))
    }

    // MARK: - Tree

    private final class LinkList {
        var links: [(name: String, type: H5L_type_t, valueSize: Int)] = []
    }

    private static func readTree(_ file: hid_t) throws(Failure) -> [Node] {
        let root = try valid(H5Oopen(file, "/", kc_H5P_DEFAULT()), "H5Oopen", "/")
        defer { _ = H5Oclose(root) }
        let node = try readObject(root, path: "/")
        var nodes = [node]
        try visitLinks(of: root, path: "/", ancestors: [node.storage?.objectAddress ?? 0], into: &nodes)
        return nodes
    }

    /// Appends the links of the open group at `path`, recursing into child groups that are not
    /// among `ancestors` (a hard-link cycle), in the order h5py iterates them.
    private static func visitLinks(
        of group: hid_t, path: String, ancestors: [UInt64], into nodes: inout [Node]
    ) throws(Failure) {
        let list = LinkList()
        let order = try linkOrder(of: group, path: path)
        var index: hsize_t = 0
        let status = withExtendedLifetime(list) {
            H5Literate(group, order, H5_ITER_INC, &index, { _, name, info, context in
                guard let name, let info, let context else { return -1 }
                let list = Unmanaged<LinkList>.fromOpaque(context).takeUnretainedValue()
                let valueSize = info.pointee.type == H5L_TYPE_HARD ? 0 : Int(info.pointee.u.val_size)
                list.links.append((String(cString: name), info.pointee.type, valueSize))
                return 0
            }, Unmanaged.passUnretained(list).toOpaque())
        }
        try check(status, "H5Literate", path)
        for link in list.links {
            let childPath = (path == "/" ? "" : path) + "/" + link.name
            switch link.type {
            case H5L_TYPE_HARD:
                let object = try valid(H5Oopen(group, link.name, kc_H5P_DEFAULT()), "H5Oopen", childPath)
                defer { _ = H5Oclose(object) }
                let node = try readObject(object, path: childPath)
                nodes.append(node)
                if node.kind == .group, let address = node.storage?.objectAddress, !ancestors.contains(address) {
                    try visitLinks(of: object, path: childPath, ancestors: ancestors + [address], into: &nodes)
                }
            case H5L_TYPE_SOFT, H5L_TYPE_EXTERNAL:
                nodes.append(
                    try readLink(group, name: link.name, path: childPath, type: link.type, size: link.valueSize))
            default:
                nodes.append(Node(path: childPath, kind: .other, attributes: [:]))
            }
        }
    }

    /// Creation order when the group tracks it, else name order: what h5py iterates.
    private static func linkOrder(of group: hid_t, path: String) throws(Failure) -> H5_index_t {
        let creation = try valid(H5Gget_create_plist(group), "H5Gget_create_plist", path)
        defer { _ = H5Pclose(creation) }
        var flags: UInt32 = 0
        try check(H5Pget_link_creation_order(creation, &flags), "H5Pget_link_creation_order", path)
        return flags & UInt32(H5P_CRT_ORDER_TRACKED) != 0 ? H5_INDEX_CRT_ORDER : H5_INDEX_NAME
    }

    private static func readLink(
        _ group: hid_t, name: String, path: String, type: H5L_type_t, size: Int
    ) throws(Failure) -> Node {
        var value = [UInt8](repeating: 0, count: max(size, 1))
        try check(H5Lget_val(group, name, &value, value.count, kc_H5P_DEFAULT()), "H5Lget_val", path)
        if type == H5L_TYPE_SOFT {
            return Node(path: path, kind: .softLink, attributes: [:], linkTarget: cString(value))
        }
        var flags: UInt32 = 0
        var fileName: UnsafePointer<CChar>?
        var objectName: UnsafePointer<CChar>?
        try check(H5Lunpack_elink_val(&value, size, &flags, &fileName, &objectName), "H5Lunpack_elink_val", path)
        let target = (fileName.map { String(cString: $0) } ?? "") + ":" + (objectName.map { String(cString: $0) } ?? "")
        return Node(path: path, kind: .externalLink, attributes: [:], linkTarget: target)
    }

    private static func readObject(_ object: hid_t, path: String) throws(Failure) -> Node {
        var info = H5O_info_t()
        try check(H5Oget_info2(object, &info, kc_H5O_INFO_ALL()), "H5Oget_info2", path)
        let present = info.hdr.mesg.present
        var storage = Storage(
            objectAddress: UInt64(info.addr),
            objectHeaderVersion: Int(info.hdr.version),
            messageTypes: (0..<64).filter { present & (UInt64(1) << UInt64($0)) != 0 },
            recordsTimes: info.atime != 0 || info.mtime != 0 || info.ctime != 0 || info.btime != 0)
        var node = Node(path: path, kind: .other, attributes: try readAttributes(object, path: path))
        switch info.type {
        case H5O_TYPE_GROUP:
            node.kind = .group
            var groupInfo = H5G_info_t()
            try check(H5Gget_info(object, &groupInfo), "H5Gget_info", path)
            storage.groupStorage =
                switch groupInfo.storage_type {
                case H5G_STORAGE_TYPE_SYMBOL_TABLE: "symbol-table"
                case H5G_STORAGE_TYPE_COMPACT: "compact"
                case H5G_STORAGE_TYPE_DENSE: "dense"
                default: "unknown"
                }
        case H5O_TYPE_DATASET:
            node.kind = .dataset
            try readDataset(object, path: path, into: &node, storage: &storage)
        case H5O_TYPE_NAMED_DATATYPE:
            node.kind = .namedDatatype
        default:
            break
        }
        node.storage = storage
        return node
    }

    private static func readDataset(
        _ dataset: hid_t, path: String, into node: inout Node, storage: inout Storage
    ) throws(Failure) {
        let type = try valid(H5Dget_type(dataset), "H5Dget_type", path)
        defer { _ = H5Tclose(type) }
        let space = try valid(H5Dget_space(dataset), "H5Dget_space", path)
        defer { _ = H5Sclose(space) }
        node.dtypeDescription = describe(type: type)
        node.shape = try shape(of: space, path: path)
        let creation = try valid(H5Dget_create_plist(dataset), "H5Dget_create_plist", path)
        defer { _ = H5Pclose(creation) }
        let elsewhere = H5Pget_external_count(creation) > 0 || H5Pget_layout(creation) == H5D_VIRTUAL
        node.data = elsewhere ? nil : try readData(dataset, type: type, space: space, path: path)

        storage.layout =
            switch H5Pget_layout(creation) {
            case H5D_CONTIGUOUS: "contiguous"
            case H5D_CHUNKED: "chunked"
            case H5D_COMPACT: "compact"
            case H5D_VIRTUAL: "virtual"
            default: "unknown"
            }
        var allocation = H5D_ALLOC_TIME_DEFAULT
        try check(H5Pget_alloc_time(creation, &allocation), "H5Pget_alloc_time", path)
        storage.allocationTime =
            switch allocation {
            case H5D_ALLOC_TIME_EARLY: "early"
            case H5D_ALLOC_TIME_INCR: "incremental"
            case H5D_ALLOC_TIME_LATE: "late"
            default: "default"
            }
        var fillTime = H5D_FILL_TIME_IFSET
        try check(H5Pget_fill_time(creation, &fillTime), "H5Pget_fill_time", path)
        storage.fillTime =
            switch fillTime {
            case H5D_FILL_TIME_ALLOC: "alloc"
            case H5D_FILL_TIME_NEVER: "never"
            default: "ifset"
            }
        var fillValue = H5D_FILL_VALUE_DEFAULT
        try check(H5Pfill_value_defined(creation, &fillValue), "H5Pfill_value_defined", path)
        storage.fillValue =
            switch fillValue {
            case H5D_FILL_VALUE_UNDEFINED: "undefined"
            case H5D_FILL_VALUE_USER_DEFINED: "user"
            default: "default"
            }
        storage.filterCount = Int(H5Pget_nfilters(creation))
        storage.allocated = H5Dget_offset(dataset) != kc_HADDR_UNDEF() || H5Dget_storage_size(dataset) > 0
    }

    private static func shape(of space: hid_t, path: String) throws(Failure) -> [Int]? {
        let kind = H5Sget_simple_extent_type(space)
        if kind == H5S_NULL { return nil }
        if kind == H5S_SCALAR { return [] }
        let rank = H5Sget_simple_extent_ndims(space)
        try check(rank, "H5Sget_simple_extent_ndims", path)
        var dimensions = [hsize_t](repeating: 0, count: Int(rank))
        try check(H5Sget_simple_extent_dims(space, &dimensions, nil), "H5Sget_simple_extent_dims", path)
        return dimensions.map { Int($0) }
    }

    private static func elementCount(_ space: hid_t, path: String) throws(Failure) -> Int {
        let count = H5Sget_simple_extent_npoints(space)
        try check(count, "H5Sget_simple_extent_npoints", path)
        return Int(count)
    }

    // MARK: - Data

    private static func readData(
        _ dataset: hid_t, type: hid_t, space: hid_t, path: String
    ) throws(Failure) -> [UInt8]? {
        let count = try elementCount(space, path: path)
        if H5Tget_class(type) == H5T_STRING && H5Tis_variable_str(type) > 0 {
            let strings = try readVariableStrings(count: count, type: type, space: space, path: path) {
                (memory, buffer) throws(Failure) in
                try check(
                    H5Dread(dataset, memory, kc_H5S_ALL(), kc_H5S_ALL(), kc_H5P_DEFAULT(), buffer), "H5Dread", path)
            }
            return strings.flatMap { $0 + [0] }
        }
        let nestedString = H5Tget_class(type) != H5T_STRING && H5Tdetect_class(type, H5T_STRING) > 0
        if H5Tdetect_class(type, H5T_VLEN) > 0 || nestedString {
            return nil
        }
        if count == 0 { return [] }
        return try readRaw(count: count, type: type, path: path) { (memory, buffer) throws(Failure) in
            try check(H5Dread(dataset, memory, kc_H5S_ALL(), kc_H5S_ALL(), kc_H5P_DEFAULT(), buffer), "H5Dread", path)
        }
    }

    /// Reads `count` elements with a copy of the file type made little-endian (no conversion for
    /// little-endian files).
    private static func readRaw(
        count: Int, type: hid_t, path: String, _ read: (hid_t, UnsafeMutableRawPointer?) throws(Failure) -> Void
    ) throws(Failure) -> [UInt8] {
        let memory = try valid(H5Tcopy(type), "H5Tcopy", path)
        defer { _ = H5Tclose(memory) }
        if H5Tget_order(memory) == H5T_ORDER_BE {
            try check(H5Tset_order(memory, H5T_ORDER_LE), "H5Tset_order", path)
        }
        let size = H5Tget_size(memory)
        guard size > 0, let total = Checked.multiply(count, size) else {
            throw Failure(call: "H5Tget_size", path: path, detail: "no usable element size")
        }
        var buffer = [UInt8](repeating: 0, count: max(total, 1))
        var failure: Failure?
        buffer.withUnsafeMutableBytes { bytes in
            do throws(Failure) { try read(memory, bytes.baseAddress) } catch { failure = error }
        }
        if let failure { throw failure }
        return Array(buffer.prefix(total))
    }

    /// Reads variable-length strings (as byte arrays) and reclaims libhdf5's memory.
    private static func readVariableStrings(
        count: Int, type: hid_t, space: hid_t, path: String,
        _ read: (hid_t, UnsafeMutableRawPointer?) throws(Failure) -> Void
    ) throws(Failure) -> [[UInt8]] {
        if count == 0 { return [] }
        let memory = try valid(H5Tcopy(kc_H5T_C_S1()), "H5Tcopy", path)
        defer { _ = H5Tclose(memory) }
        try check(H5Tset_size(memory, kc_H5T_VARIABLE()), "H5Tset_size", path)
        try check(H5Tset_cset(memory, H5Tget_cset(type)), "H5Tset_cset", path)
        var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
        var failure: Failure?
        pointers.withUnsafeMutableBytes { bytes in
            do throws(Failure) { try read(memory, bytes.baseAddress) } catch { failure = error }
        }
        if let failure { throw failure }
        let strings = pointers.map { pointer -> [UInt8] in
            guard let pointer else { return [] }
            return Array(UnsafeRawBufferPointer(start: pointer, count: strlen(pointer)))
        }
        pointers.withUnsafeMutableBytes { bytes in
            _ = H5Dvlen_reclaim(memory, space, kc_H5P_DEFAULT(), bytes.baseAddress)
        }
        return strings
    }

    // MARK: - Attributes

    private final class NameList {
        var names: [String] = []
    }

    private static func readAttributes(_ object: hid_t, path: String) throws(Failure) -> [String: Attribute] {
        let list = NameList()
        var index: hsize_t = 0
        let status = withExtendedLifetime(list) {
            H5Aiterate2(object, H5_INDEX_NAME, H5_ITER_INC, &index, { _, name, _, context in
                guard let name, let context else { return -1 }
                Unmanaged<NameList>.fromOpaque(context).takeUnretainedValue().names.append(String(cString: name))
                return 0
            }, Unmanaged.passUnretained(list).toOpaque())
        }
        try check(status, "H5Aiterate2", path)
        var attributes: [String: Attribute] = [:]
        for name in list.names {
            let attribute = try valid(H5Aopen(object, name, kc_H5P_DEFAULT()), "H5Aopen", path + "@" + name)
            defer { _ = H5Aclose(attribute) }
            attributes[name] = try readAttribute(attribute, path: path + "@" + name)
        }
        return attributes
    }

    private static func readAttribute(_ attribute: hid_t, path: String) throws(Failure) -> Attribute {
        let type = try valid(H5Aget_type(attribute), "H5Aget_type", path)
        defer { _ = H5Tclose(type) }
        let space = try valid(H5Aget_space(attribute), "H5Aget_space", path)
        defer { _ = H5Sclose(space) }
        let shape = try shape(of: space, path: path)
        guard shape != nil else {
            return Attribute(dtypeDescription: describe(type: type), shape: nil, value: .other([]))
        }
        let count = try elementCount(space, path: path)
        let value = try readAttributeValue(attribute, type: type, space: space, count: count, path: path)
        return Attribute(dtypeDescription: describe(type: type), shape: shape, value: value)
    }

    private static func readAttributeValue(
        _ attribute: hid_t, type: hid_t, space: hid_t, count: Int, path: String
    ) throws(Failure) -> Value {
        let read = { (memory: hid_t, buffer: UnsafeMutableRawPointer?) throws(Failure) in
            try check(H5Aread(attribute, memory, buffer), "H5Aread", path)
        }
        switch H5Tget_class(type) {
        case H5T_STRING:
            if H5Tis_variable_str(type) > 0 {
                let strings = try readVariableStrings(count: count, type: type, space: space, path: path, read)
                return decode(strings)
            }
            let size = H5Tget_size(type)
            let bytes = count == 0 ? [] : try readRaw(count: count, type: type, path: path, read)
            let strings = stride(from: 0, to: bytes.count, by: max(size, 1)).map { start -> [UInt8] in
                let element = bytes[start..<min(start + size, bytes.count)]
                return Array(element.reversed().drop(while: { $0 == 0 }).reversed())
            }
            return decode(strings)
        case H5T_INTEGER:
            let signed = H5Tget_sign(type) != H5T_SGN_NONE
            let memory = signed ? kc_H5T_NATIVE_INT64() : kc_H5T_NATIVE_UINT64()
            var values = [UInt64](repeating: 0, count: max(count, 1))
            if count > 0 {
                var failure: Failure?
                values.withUnsafeMutableBytes { bytes in
                    do throws(Failure) { try read(memory, bytes.baseAddress) } catch { failure = error }
                }
                if let failure { throw failure }
            }
            let elements = values.prefix(count)
            return signed ? .integers(elements.map { Int64(bitPattern: $0) }) : .unsignedIntegers(Array(elements))
        case H5T_FLOAT:
            var values = [Double](repeating: 0, count: max(count, 1))
            if count > 0 {
                var failure: Failure?
                values.withUnsafeMutableBytes { bytes in
                    do throws(Failure) { try read(kc_H5T_NATIVE_DOUBLE(), bytes.baseAddress) } catch { failure = error }
                }
                if let failure { throw failure }
            }
            return .floats(Array(values.prefix(count)))
        case H5T_ENUM:
            let base = H5Tget_super(type)
            defer { _ = H5Tclose(base) }
            let width = H5Tget_size(base)
            let bytes = count == 0 ? [] : try readRaw(count: count, type: type, path: path, read)
            guard (1...8).contains(width) else { return .other(bytes) }
            let elements = stride(from: 0, to: bytes.count, by: max(width, 1)).map { start in
                bytes[start..<start + width].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            }
            guard H5Tget_sign(base) != H5T_SGN_NONE else { return .unsignedIntegers(elements) }
            let unused = UInt64(64 - 8 * width)
            return .integers(elements.map { Int64(bitPattern: $0 << unused) >> Int64(unused) })
        default:
            if H5Tdetect_class(type, H5T_VLEN) > 0 || H5Tdetect_class(type, H5T_STRING) > 0 {
                return .other([])
            }
            return .other(count == 0 ? [] : try readRaw(count: count, type: type, path: path, read))
        }
    }

    private static func decode(_ strings: [[UInt8]]) -> Value {
        var decoded: [String] = []
        for bytes in strings {
            guard let string = String(validating: bytes, as: UTF8.self) else { return .byteStrings(strings) }
            decoded.append(string)
        }
        return .strings(decoded)
    }

    private static func cString(_ bytes: [UInt8]) -> String {
        String(decoding: bytes.prefix(while: { $0 != 0 }), as: UTF8.self)
    }

    // MARK: - Datatypes

    /// A short name for a datatype: `float16`/`float32`/`float64` (IEEE layouts), `int8`...`uint64`,
    /// `bool` (h5py's enum over int8 with exactly FALSE=0, TRUE=1), `opaqueN` (`opaqueN:tag` with
    /// a tag), `complex64`/`complex128` (h5py's compound `r`, `i`), `vlen-utf8-string`,
    /// `vlen-ascii-string`, `fixed-ascii-string-N-nullpad`, ...; a `-be` suffix for big-endian
    /// numbers; anything else spelled out field by field.
    public static func describe(type: hid_t) -> String {
        let size = H5Tget_size(type)
        switch H5Tget_class(type) {
        case H5T_INTEGER:
            let signed = H5Tget_sign(type) != H5T_SGN_NONE
            var name = (signed ? "int" : "uint") + String(size * 8)
            if H5Tget_precision(type) != size * 8 || H5Tget_offset(type) != 0 {
                name += "-precision\(H5Tget_precision(type))-offset\(H5Tget_offset(type))"
            }
            return name + orderSuffix(type)
        case H5T_FLOAT:
            return describeFloat(type, size: size) + orderSuffix(type)
        case H5T_STRING:
            let charset = H5Tget_cset(type) == H5T_CSET_UTF8 ? "utf8" : "ascii"
            let pad =
                switch H5Tget_strpad(type) {
                case H5T_STR_NULLTERM: "nullterm"
                case H5T_STR_NULLPAD: "nullpad"
                default: "spacepad"
                }
            if H5Tis_variable_str(type) > 0 {
                return "vlen-\(charset)-string" + (pad == "nullterm" ? "" : "-\(pad)")
            }
            return "fixed-\(charset)-string-\(size)-\(pad)"
        case H5T_OPAQUE:
            var tag = ""
            if let pointer = H5Tget_tag(type) {
                tag = String(cString: pointer)
                H5free_memory(pointer)
            }
            return "opaque\(size)" + (tag.isEmpty ? "" : ":\(tag)")
        case H5T_ENUM:
            return describeEnum(type)
        case H5T_COMPOUND:
            return describeCompound(type, size: size)
        case H5T_BITFIELD:
            return "bitfield\(size * 8)" + orderSuffix(type)
        case H5T_REFERENCE:
            return "reference\(size)"
        case H5T_VLEN:
            let base = H5Tget_super(type)
            defer { _ = H5Tclose(base) }
            return "vlen(\(describe(type: base)))"
        case H5T_ARRAY:
            let base = H5Tget_super(type)
            defer { _ = H5Tclose(base) }
            let rank = max(0, Int(H5Tget_array_ndims(type)))
            var dimensions = [hsize_t](repeating: 0, count: rank)
            _ = H5Tget_array_dims2(type, &dimensions)
            return "array\(dimensions.map { Int($0) })(\(describe(type: base)))"
        default:
            return "class\(H5Tget_class(type).rawValue)-size\(size)"
        }
    }

    private static func orderSuffix(_ type: hid_t) -> String {
        H5Tget_order(type) == H5T_ORDER_BE ? "-be" : ""
    }

    private static func describeFloat(_ type: hid_t, size: Int) -> String {
        var sign = 0
        var exponentPosition = 0
        var exponentSize = 0
        var mantissaPosition = 0
        var mantissaSize = 0
        _ = H5Tget_fields(type, &sign, &exponentPosition, &exponentSize, &mantissaPosition, &mantissaSize)
        let fields: [Int] = [
            size * 8, H5Tget_precision(type), Int(H5Tget_offset(type)), sign, exponentPosition, exponentSize,
            mantissaPosition, mantissaSize, H5Tget_ebias(type),
        ]
        let standard: [String: [Int]] = [
            "float16": [16, 16, 0, 15, 10, 5, 0, 10, 15],
            "float32": [32, 32, 0, 31, 23, 8, 0, 23, 127],
            "float64": [64, 64, 0, 63, 52, 11, 0, 52, 1023],
        ]
        let normalization = H5Tget_norm(type) == H5T_NORM_IMPLIED
        if normalization, let name = standard.first(where: { $0.value == fields })?.key { return name }
        return "float\(size * 8)-custom\(fields)" + (normalization ? "" : "-norm\(H5Tget_norm(type).rawValue)")
    }

    private static func describeEnum(_ type: hid_t) -> String {
        let base = H5Tget_super(type)
        defer { _ = H5Tclose(base) }
        let baseName = describe(type: base)
        let baseSize = H5Tget_size(base)
        var members: [(String, Int64)] = []
        for index in 0..<max(0, H5Tget_nmembers(type)) {
            guard let pointer = H5Tget_member_name(type, UInt32(index)) else { continue }
            let name = String(cString: pointer)
            H5free_memory(pointer)
            var raw = [UInt8](repeating: 0, count: max(baseSize, 8))
            _ = H5Tget_member_value(type, UInt32(index), &raw)
            var value: Int64 = 0
            for (offset, byte) in raw.prefix(baseSize).enumerated() { value |= Int64(byte) << (8 * Int64(offset)) }
            if H5Tget_sign(base) != H5T_SGN_NONE, (1..<8).contains(baseSize) {
                let unused = Int64(64 - 8 * baseSize)
                value = (value << unused) >> unused
            }
            members.append((name, value))
        }
        if baseName == "int8", members.count == 2, members[0] == ("FALSE", 0), members[1] == ("TRUE", 1) {
            return "bool"
        }
        return "enum(\(baseName)){" + members.map { "\($0.0)=\($0.1)" }.joined(separator: ",") + "}"
    }

    private static func describeCompound(_ type: hid_t, size: Int) -> String {
        var members: [(name: String, offset: Int, type: String)] = []
        for index in 0..<max(0, H5Tget_nmembers(type)) {
            guard let pointer = H5Tget_member_name(type, UInt32(index)) else { continue }
            let name = String(cString: pointer)
            H5free_memory(pointer)
            let member = H5Tget_member_type(type, UInt32(index))
            defer { _ = H5Tclose(member) }
            members.append((name, H5Tget_member_offset(type, UInt32(index)), describe(type: member)))
        }
        for (name, part) in [("complex64", "float32"), ("complex128", "float64")]
        where members.count == 2 && members[0].name == "r" && members[1].name == "i"
            && members[0].type == part && members[1].type == part
            && members[0].offset == 0 && members[1].offset == size / 2 && size == (part == "float32" ? 8 : 16) {
            return name
        }
        return "compound\(size){" + members.map { "\($0.name)@\($0.offset):\($0.type)" }.joined(separator: ",") + "}"
    }
}
