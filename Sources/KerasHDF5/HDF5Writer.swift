import CHDF5
import KerasBytes

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes an HDF5 file in memory through libhdf5, laid out the way h5py 3 lays out Keras files.
///
/// The profile is h5py's default one (FORMAT.md 11): superblock version 0, earliest library
/// format, symbol-table groups, version 1 object headers without timestamps, contiguous datasets
/// with late allocation and fill-if-set, variable-length string attributes in the global heap.
/// Given the same calls in the same order as Keras makes through h5py (and the matching
/// ``Destination`` and ``DatasetCreation``), libhdf5 1.10.8 writes the same bytes as h5py 3.16
/// with HDF5 2.0. Only our own data is written: libhdf5 never sees untrusted bytes here (HDF5.md).
///
/// One writer builds one file; it is not thread-safe, but different writers (and the test
/// oracle) may run on different threads, since every call takes ``HDF5Library``'s lock.
/// Paths are `/`-separated, relative to the root; a leading `/` is allowed, `""` and `"/"` name
/// the root.
public final class HDF5Writer {
    private var file: hid_t?

    /// Bytes by which the in-memory file grows (the core driver's increment).
    private static let coreIncrement = 64 * 1024

    /// Opens a new, empty in-memory file laid out as h5py would lay it out at `destination`.
    public init(destination: Destination = .path) throws(HDF5WriteError) {
        file = try HDF5Library.withLock { () throws(HDF5WriteError) -> hid_t in
            let path = ""
            let access = try Self.valid(H5Pcreate(kc_H5P_FILE_ACCESS()), "H5Pcreate", path: path)
            defer { _ = H5Pclose(access) }
            try Self.check(H5Pset_fapl_core(access, Self.coreIncrement, false), "H5Pset_fapl_core", path: path)
            try Self.check(
                H5Pset_libver_bounds(access, H5F_LIBVER_EARLIEST, kc_H5F_LIBVER_LATEST()), "H5Pset_libver_bounds",
                path: path)
            try Self.check(H5Pset_fclose_degree(access, H5F_CLOSE_STRONG), "H5Pset_fclose_degree", path: path)
            if destination == .fileObject {
                try Self.check(H5Pset_meta_block_size(access, 0), "H5Pset_meta_block_size", path: path)
                try Self.check(H5Pset_small_data_block_size(access, 0), "H5Pset_small_data_block_size", path: path)
            }
            let name = "kconform-hdf5-writer-\(HDF5Library.nextFileNumber()).h5"
            return try Self.valid(
                H5Fcreate(name, kc_H5F_ACC_TRUNC(), kc_H5P_DEFAULT(), access), "H5Fcreate", path: path)
        }
    }

    deinit {
        if let file {
            HDF5Library.withLock { _ = H5Fclose(file) }
        }
    }

    /// Creates the group at `path` and any missing groups above it; existing groups are kept
    /// (h5py's `require_group`). Fails when a component names a dataset.
    public func createGroup(_ path: String) throws(HDF5WriteError) {
        let names = try Self.components(path, call: "createGroup")
        try locked(path) { file throws(HDF5WriteError) in
            let group = try Self.requireGroup(names[...], in: file, path: path)
            _ = H5Gclose(group)
        }
    }

    /// Sets a scalar variable-length string attribute on the object at `path`, replacing any
    /// attribute of that name (h5py's `attrs[name] = str` for UTF-8, `= bytes` for ASCII).
    public func setStringAttribute(
        _ path: String, name: String, value: String, charset: Charset = .utf8
    ) throws(HDF5WriteError) {
        try writeStrings(path, name: name, values: [value], shape: nil, charset: charset, call: "setStringAttribute")
    }

    /// Sets a 1-D variable-length string attribute (legacy `layer_names`, `weight_names`).
    public func setStringArrayAttribute(
        _ path: String, name: String, values: [String], charset: Charset = .utf8
    ) throws(HDF5WriteError) {
        try writeStrings(
            path, name: name, values: values, shape: [values.count], charset: charset,
            call: "setStringArrayAttribute")
    }

    /// Sets a 1-D fixed-length ASCII NULLPAD string attribute as h5py writes a numpy `S` array:
    /// the length is that of the longest value in UTF-8 bytes (at least 1), shorter values padded
    /// with NUL bytes (legacy chunked `layer_names0`, `layer_names1`, ...).
    public func setFixedStringArrayAttribute(_ path: String, name: String, values: [String]) throws(HDF5WriteError) {
        let call = "setFixedStringArrayAttribute"
        try Self.requireNoNUL(values, call: call, path: path)
        let width = max(1, values.map(\.utf8.count).max() ?? 0)
        guard let total = Checked.multiply(width, values.count) else {
            throw HDF5WriteError(kind: .invalidArgument, call: call, path: path, detail: "attribute too large")
        }
        var buffer = [UInt8](repeating: 0, count: max(total, 1))
        for (index, value) in values.enumerated() {
            buffer.replaceSubrange(index * width..<(index * width + value.utf8.count), with: value.utf8)
        }
        let objectPath = try Self.objectPath(path, call: call)
        try locked(path) { file throws(HDF5WriteError) in
            let type = try Self.valid(H5Tcopy(kc_H5T_C_S1()), "H5Tcopy", path: path)
            defer { _ = H5Tclose(type) }
            try Self.check(H5Tset_size(type, width), "H5Tset_size", path: path)
            try Self.check(H5Tset_strpad(type, H5T_STR_NULLPAD), "H5Tset_strpad", path: path)
            try Self.check(H5Tset_cset(type, H5T_CSET_ASCII), "H5Tset_cset", path: path)
            try Self.withBytes(of: buffer) { bytes throws(HDF5WriteError) in
                try Self.writeAttribute(
                    file, objectPath: objectPath, name: name, type: type, shape: [values.count], buffer: bytes,
                    path: path)
            }
        }
    }

    /// Sets a 1-D float64 attribute; an empty array gives the shape-`(0,)` attribute Keras writes
    /// for a weightless layer's `weight_names`.
    public func setFloat64ArrayAttribute(_ path: String, name: String, values: [Double]) throws(HDF5WriteError) {
        let objectPath = try Self.objectPath(path, call: "setFloat64ArrayAttribute")
        let buffer = values.isEmpty ? [0] : values.map { $0.bitPattern.littleEndian }
        try locked(path) { file throws(HDF5WriteError) in
            let type = try Self.valid(H5Tcopy(kc_H5T_IEEE_F64LE()), "H5Tcopy", path: path)
            defer { _ = H5Tclose(type) }
            try Self.withBytes(of: buffer) { bytes throws(HDF5WriteError) in
                try Self.writeAttribute(
                    file, objectPath: objectPath, name: name, type: type, shape: [values.count], buffer: bytes,
                    path: path)
            }
        }
    }

    /// Creates a dataset at `path` (missing groups above it are created) holding `data`: raw
    /// little-endian elements in C order, exactly `product(shape) * dtype.itemSize` bytes.
    ///
    /// `shape == []` makes a scalar. A dataset with no elements gets no storage (layout address
    /// undefined), as in h5py. For `bfloat16` the dataset also gets the attribute
    /// `dtype = "bfloat16"` (UTF-8) that Keras adds. `creation` names the h5py idiom to follow
    /// (it changes where objects land in the file, never what the file holds).
    public func createDataset(
        _ path: String, dtype: DType, shape: [Int], data: ByteView, creation: DatasetCreation = .createDataset
    ) throws(HDF5WriteError) {
        let call = "createDataset"
        let names = try Self.components(path, call: call)
        guard let name = names.last else {
            throw HDF5WriteError(kind: .invalidArgument, call: call, path: path, detail: "the root is not a dataset")
        }
        guard shape.allSatisfy({ $0 >= 0 }), let elements = Checked.product(shape),
            let expected = Checked.multiply(elements, dtype.itemSize)
        else {
            throw HDF5WriteError(
                kind: .invalidArgument, call: call, path: path, detail: "invalid shape \(shape)")
        }
        guard data.count == expected else {
            throw HDF5WriteError(
                kind: .invalidArgument, call: call, path: path,
                detail: "\(data.count) data bytes for shape \(shape) of \(dtype.rawValue) (\(expected) expected)")
        }
        if dtype == .bool, let offset = data.firstIndex(where: { $0 > 1 }) {
            throw HDF5WriteError(
                kind: .invalidArgument, call: call, path: path,
                detail: "bool element \(offset) is \(data[offset]), not 0 or 1")
        }
        try locked(path) { file throws(HDF5WriteError) in
            let parent = try Self.requireGroup(names.dropLast(), in: file, path: path)
            defer { _ = H5Gclose(parent) }
            let exists = H5Lexists(parent, name, kc_H5P_DEFAULT())
            try Self.check(exists, "H5Lexists", path: path)
            guard exists == 0 else {
                throw HDF5WriteError(kind: .invalidArgument, call: call, path: path, detail: "the name exists already")
            }
            let type = try dtype.makeDatatype(path: path)
            defer { _ = H5Tclose(type) }
            let space = try Self.makeDataspace(shape, path: path)
            defer { _ = H5Sclose(space) }
            let properties = try Self.valid(H5Pcreate(kc_H5P_DATASET_CREATE()), "H5Pcreate", path: path)
            defer { _ = H5Pclose(properties) }
            try Self.check(H5Pset_obj_track_times(properties, false), "H5Pset_obj_track_times", path: path)
            let linkCreation = try Self.makeLinkCreation(for: name, path: path)
            defer { _ = H5Pclose(linkCreation) }
            let dataset: hid_t
            switch creation {
            case .createDataset:
                dataset = try Self.valid(
                    H5Dcreate2(parent, name, type, space, linkCreation, properties, kc_H5P_DEFAULT()), "H5Dcreate2",
                    path: path)
            case .assignment:
                dataset = try Self.valid(
                    H5Dcreate_anon(parent, type, space, properties, kc_H5P_DEFAULT()), "H5Dcreate_anon", path: path)
            }
            defer { _ = H5Dclose(dataset) }
            if elements > 0 {
                try data.withUnsafeBytes { bytes throws(HDF5WriteError) in
                    try Self.check(
                        H5Dwrite(dataset, type, kc_H5S_ALL(), kc_H5S_ALL(), kc_H5P_DEFAULT(), bytes.baseAddress),
                        "H5Dwrite", path: path)
                }
            }
            if creation == .assignment {
                try Self.check(H5Olink(dataset, parent, name, linkCreation, kc_H5P_DEFAULT()), "H5Olink", path: path)
            }
            if dtype == .bfloat16 {
                try Self.writeStringAttribute(
                    dataset, name: "dtype", values: [DType.bfloat16.rawValue], shape: nil, charset: .utf8, path: path)
            }
        }
    }

    /// Flushes and closes the file and returns its bytes. The writer cannot be used afterwards.
    public func finish() throws(HDF5WriteError) -> [UInt8] {
        guard let file else {
            throw HDF5WriteError(kind: .finished, call: "finish", path: "", detail: "finish() was called already")
        }
        self.file = nil
        return try HDF5Library.withLock { () throws(HDF5WriteError) -> [UInt8] in
            defer { _ = H5Fclose(file) }
            let open = kc_H5Fget_open_count(file)
            guard open == 1 else {
                throw HDF5WriteError(
                    kind: .library, call: "H5Fget_obj_count", path: "", detail: "\(open - 1) identifiers left open")
            }
            try Self.check(H5Fflush(file, H5F_SCOPE_GLOBAL), "H5Fflush", path: "")
            let size = H5Fget_file_image(file, nil, 0)
            guard size > 0 else {
                try Self.check(-1, "H5Fget_file_image", path: "")
                return []
            }
            var image = [UInt8](repeating: 0, count: size)
            let copied = image.withUnsafeMutableBytes { H5Fget_file_image(file, $0.baseAddress, $0.count) }
            guard copied == size else {
                throw HDF5WriteError(
                    kind: .library, call: "H5Fget_file_image", path: "",
                    detail: "copied \(copied) of \(size) bytes\n" + HDF5Library.takeErrorStack())
            }
            return image
        }
    }
}

@available(*, unavailable)
extension HDF5Writer: Sendable {}

extension HDF5Writer {
    /// Throws the library error with libhdf5's error stack when `status` is negative.
    static func check<Status: BinaryInteger>(_ status: Status, _ call: String, path: String) throws(HDF5WriteError) {
        guard status >= 0 else {
            throw HDF5WriteError(kind: .library, call: call, path: path, detail: HDF5Library.takeErrorStack())
        }
    }

    /// `id` when it is a valid identifier, else the library error.
    static func valid(_ id: hid_t, _ call: String, path: String) throws(HDF5WriteError) -> hid_t {
        try check(id, call, path: path)
        return id
    }

    private func locked(_ path: String, _ body: (hid_t) throws(HDF5WriteError) -> Void) throws(HDF5WriteError) {
        guard let file else {
            throw HDF5WriteError(kind: .finished, call: "write", path: path, detail: "finish() was called already")
        }
        try HDF5Library.withLock { () throws(HDF5WriteError) in try body(file) }
    }

    /// The non-empty components of `path`; `.` and empty components in the middle are refused.
    private static func components(_ path: String, call: String) throws(HDF5WriteError) -> [String] {
        var trimmed = Substring(path)
        if trimmed.hasPrefix("/") { trimmed = trimmed.dropFirst() }
        if trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        if trimmed.isEmpty { return [] }
        let names = trimmed.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        for name in names where name.isEmpty || name == "." || name.utf8.contains(0) {
            throw HDF5WriteError(
                kind: .invalidArgument, call: call, path: path, detail: "invalid path component \"\(name)\"")
        }
        return names
    }

    /// `path` as libhdf5 accepts it for `H5Oopen`, validated.
    private static func objectPath(_ path: String, call: String) throws(HDF5WriteError) -> String {
        "/" + (try components(path, call: call)).joined(separator: "/")
    }

    private static func requireNoNUL(_ values: [String], call: String, path: String) throws(HDF5WriteError) {
        if let index = values.firstIndex(where: { $0.utf8.contains(0) }) {
            throw HDF5WriteError(
                kind: .invalidArgument, call: call, path: path, detail: "value \(index) contains a NUL character")
        }
    }

    /// Opens (creating when missing) the group reached by `names` from the root; the caller closes it.
    private static func requireGroup(
        _ names: ArraySlice<String>, in file: hid_t, path: String
    ) throws(HDF5WriteError) -> hid_t {
        var current = try valid(H5Gopen2(file, "/", kc_H5P_DEFAULT()), "H5Gopen2", path: path)
        do throws(HDF5WriteError) {
            for name in names {
                let exists = H5Lexists(current, name, kc_H5P_DEFAULT())
                try check(exists, "H5Lexists", path: path)
                let next: hid_t
                if exists > 0 {
                    var info = H5O_info_t()
                    try check(
                        H5Oget_info_by_name2(current, name, &info, UInt32(H5O_INFO_BASIC), kc_H5P_DEFAULT()),
                        "H5Oget_info_by_name2", path: path)
                    guard info.type == H5O_TYPE_GROUP else {
                        throw HDF5WriteError(
                            kind: .invalidArgument, call: "requireGroup", path: path,
                            detail: "\"\(name)\" exists and is not a group")
                    }
                    next = try valid(H5Gopen2(current, name, kc_H5P_DEFAULT()), "H5Gopen2", path: path)
                } else {
                    next = try createGroup(name, in: current, path: path)
                }
                _ = H5Gclose(current)
                current = next
            }
            return current
        } catch {
            _ = H5Gclose(current)
            throw error
        }
    }

    private static func createGroup(_ name: String, in parent: hid_t, path: String) throws(HDF5WriteError) -> hid_t {
        let creation = try valid(H5Pcreate(kc_H5P_GROUP_CREATE()), "H5Pcreate", path: path)
        defer { _ = H5Pclose(creation) }
        try check(H5Pset_obj_track_times(creation, false), "H5Pset_obj_track_times", path: path)
        let linkCreation = try makeLinkCreation(for: name, path: path)
        defer { _ = H5Pclose(linkCreation) }
        return try valid(
            H5Gcreate2(parent, name, linkCreation, creation, kc_H5P_DEFAULT()), "H5Gcreate2", path: path)
    }

    /// h5py's link creation list: intermediate groups, ASCII names as ASCII, others as UTF-8.
    private static func makeLinkCreation(for name: String, path: String) throws(HDF5WriteError) -> hid_t {
        let list = try valid(H5Pcreate(kc_H5P_LINK_CREATE()), "H5Pcreate", path: path)
        do throws(HDF5WriteError) {
            try check(H5Pset_create_intermediate_group(list, 1), "H5Pset_create_intermediate_group", path: path)
            let charset = name.utf8.allSatisfy { $0 < 0x80 } ? H5T_CSET_ASCII : H5T_CSET_UTF8
            try check(H5Pset_char_encoding(list, charset), "H5Pset_char_encoding", path: path)
            return list
        } catch {
            _ = H5Pclose(list)
            throw error
        }
    }

    /// A scalar dataspace for `[]`, else a simple one whose maximum dimensions equal `shape`.
    private static func makeDataspace(_ shape: [Int]?, path: String) throws(HDF5WriteError) -> hid_t {
        guard let shape, !shape.isEmpty else {
            return try valid(H5Screate(H5S_SCALAR), "H5Screate", path: path)
        }
        let dimensions = shape.map { hsize_t($0) }
        return try valid(H5Screate_simple(Int32(dimensions.count), dimensions, nil), "H5Screate_simple", path: path)
    }

    private func writeStrings(
        _ path: String, name: String, values: [String], shape: [Int]?, charset: Charset, call: String
    ) throws(HDF5WriteError) {
        try Self.requireNoNUL(values, call: call, path: path)
        let objectPath = try Self.objectPath(path, call: call)
        try locked(path) { file throws(HDF5WriteError) in
            let object = try Self.valid(H5Oopen(file, objectPath, kc_H5P_DEFAULT()), "H5Oopen", path: path)
            defer { _ = H5Oclose(object) }
            try Self.writeStringAttribute(
                object, name: name, values: values, shape: shape, charset: charset, path: path)
        }
    }

    /// Writes variable-length strings (NULLTERM, `charset`) as an attribute of the open `object`;
    /// `shape == nil` makes it scalar (one value).
    private static func writeStringAttribute(
        _ object: hid_t, name: String, values: [String], shape: [Int]?, charset: Charset, path: String
    ) throws(HDF5WriteError) {
        let type = try valid(H5Tcopy(kc_H5T_C_S1()), "H5Tcopy", path: path)
        defer { _ = H5Tclose(type) }
        try check(H5Tset_size(type, kc_H5T_VARIABLE()), "H5Tset_size", path: path)
        try check(H5Tset_cset(type, charset.libraryValue), "H5Tset_cset", path: path)
        try check(H5Tset_strpad(type, H5T_STR_NULLTERM), "H5Tset_strpad", path: path)
        let strings: [UnsafeMutablePointer<CChar>?] = values.map { strdup($0) }
        defer { strings.forEach { free($0) } }
        guard !strings.contains(where: { $0 == nil }) else {
            throw HDF5WriteError(kind: .library, call: "strdup", path: path, detail: "out of memory")
        }
        let pointers = strings.isEmpty ? [nil] : strings
        try withBytes(of: pointers) { bytes throws(HDF5WriteError) in
            try writeAttribute(object, name: name, type: type, shape: shape, buffer: bytes, path: path)
        }
    }

    private static func withBytes<Element>(
        of array: [Element], _ body: (UnsafeRawPointer?) throws(HDF5WriteError) -> Void
    ) throws(HDF5WriteError) {
        var failure: HDF5WriteError?
        array.withUnsafeBytes { bytes in
            do throws(HDF5WriteError) {
                try body(bytes.baseAddress)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }

    private static func writeAttribute(
        _ file: hid_t, objectPath: String, name: String, type: hid_t, shape: [Int]?, buffer: UnsafeRawPointer?,
        path: String
    ) throws(HDF5WriteError) {
        let object = try valid(H5Oopen(file, objectPath, kc_H5P_DEFAULT()), "H5Oopen", path: path)
        defer { _ = H5Oclose(object) }
        try writeAttribute(object, name: name, type: type, shape: shape, buffer: buffer, path: path)
    }

    /// Replaces attribute `name` of the open `object` with elements of `type` read from `buffer`.
    private static func writeAttribute(
        _ object: hid_t, name: String, type: hid_t, shape: [Int]?, buffer: UnsafeRawPointer?, path: String
    ) throws(HDF5WriteError) {
        guard !name.isEmpty, !name.utf8.contains(0) else {
            throw HDF5WriteError(
                kind: .invalidArgument, call: "attribute", path: path, detail: "invalid attribute name \"\(name)\"")
        }
        let exists = H5Aexists(object, name)
        try check(exists, "H5Aexists", path: path)
        if exists > 0 {
            try check(H5Adelete(object, name), "H5Adelete", path: path)
        }
        let space = try makeDataspace(shape, path: path)
        defer { _ = H5Sclose(space) }
        let attribute = try valid(
            H5Acreate2(object, name, type, space, kc_H5P_DEFAULT(), kc_H5P_DEFAULT()), "H5Acreate2", path: path)
        defer { _ = H5Aclose(attribute) }
        try check(H5Awrite(attribute, type, buffer), "H5Awrite", path: path)
    }
}
