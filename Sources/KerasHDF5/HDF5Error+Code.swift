import KerasBytes

extension HDF5Error {
    /// Every code of the HDF5 reader. Numbers are stable: never renumbered, never reused.
    public enum Code {
        private static func code(_ number: Int, _ name: String, _ category: ErrorCategory, _ summary: String) -> ErrorCode {
            ErrorCode(domain: "H5", number: number, name: name, category: category, summary: summary)
        }

        // MARK: File and superblock

        /// The file is shorter than the end-of-file address its superblock declares.
        public static let fileTruncated = code(1, "fileTruncated", .malformed,
            "the file is shorter than the end-of-file address in its superblock")
        /// No HDF5 signature at offset 0, 512, 1024, ...
        public static let superblockNotFound = code(2, "superblockNotFound", .malformed,
            "no HDF5 superblock signature at offset 0 or any power of two from 512")
        /// The superblock version is not 0, 1, 2 or 3.
        public static let superblockVersionUnsupported = code(3, "superblockVersionUnsupported", .unsupported,
            "superblock version other than 0, 1, 2 or 3")
        /// A superblock field is invalid (sizes, versions of sub-structures, base or end-of-file address).
        public static let superblockInvalid = code(4, "superblockInvalid", .malformed,
            "a superblock field is invalid")
        /// Bytes follow the end-of-file address (allowed only with `HDF5Limits.allowBytesAfterEndOfFile`).
        public static let bytesAfterEndOfFile = code(5, "bytesAfterEndOfFile", .malformed,
            "bytes follow the end-of-file address declared in the superblock")
        /// An address points at or beyond the end of the file, or is the undefined address where one is required.
        public static let addressOutOfBounds = code(6, "addressOutOfBounds", .malformed,
            "an address lies outside the file or is undefined where a structure is required")
        /// A structure starts inside the file but runs past its end.
        public static let structureTruncated = code(7, "structureTruncated", .malformed,
            "a structure runs past the end-of-file address")
        /// A Jenkins lookup3 metadata checksum does not match.
        public static let checksumMismatch = code(8, "checksumMismatch", .malformed,
            "a metadata checksum (Jenkins lookup3) does not match")

        // MARK: Object headers and messages

        /// An object header is neither version 1 nor starts with `OHDR`; a continuation block lacks `OCHK`.
        public static let objectHeaderSignatureInvalid = code(9, "objectHeaderSignatureInvalid", .malformed,
            "an object header or continuation block has a wrong signature")
        /// An object header version other than 1 or 2.
        public static let objectHeaderVersionUnsupported = code(10, "objectHeaderVersionUnsupported", .unsupported,
            "object header version other than 1 or 2")
        /// An object header's framing is broken: message count, sizes, alignment, flags, gaps.
        public static let objectHeaderInvalid = code(11, "objectHeaderInvalid", .malformed,
            "an object header's message framing is inconsistent")
        /// A message's fields are inconsistent with each other or with its size.
        public static let messageInvalid = code(12, "messageInvalid", .malformed,
            "a header message is malformed")
        /// A message version the reader does not know.
        public static let messageVersionUnsupported = code(13, "messageVersionUnsupported", .unsupported,
            "a header message has a version the reader does not implement")
        /// A message type the reader does not know, flagged "fail if unknown".
        public static let unknownRequiredMessage = code(14, "unknownRequiredMessage", .unsupported,
            "an unknown message type is marked as required to understand the object")
        /// A message that may appear once appears twice.
        public static let duplicateMessage = code(15, "duplicateMessage", .malformed,
            "a message that may appear only once appears more than once")
        /// A message an object needs is absent (a dataset without layout, ...).
        public static let missingMessage = code(16, "missingMessage", .malformed,
            "an object lacks a message its kind requires")
        /// An object header is neither a group, a dataset nor a named datatype.
        public static let unknownObjectClass = code(17, "unknownObjectClass", .malformed,
            "an object header is neither a group, a dataset nor a named datatype")
        /// A message is stored in the shared-message heap (SOHM), which the reader does not implement.
        public static let sharedMessageUnsupported = code(18, "sharedMessageUnsupported", .unsupported,
            "a message is stored in the shared object header message heap")

        // MARK: Symbol-table groups

        /// A local heap lacks its `HEAP` signature.
        public static let localHeapSignatureInvalid = code(19, "localHeapSignatureInvalid", .malformed,
            "a local heap lacks its HEAP signature")
        /// A local heap version other than 0.
        public static let localHeapVersionUnsupported = code(20, "localHeapVersionUnsupported", .unsupported,
            "a local heap has a version other than 0")
        /// A local heap's data segment or a name offset into it is invalid.
        public static let localHeapInvalid = code(21, "localHeapInvalid", .malformed,
            "a local heap offset or string is invalid")
        /// A version 1 B-tree node lacks its `TREE` signature.
        public static let bTreeSignatureInvalid = code(22, "bTreeSignatureInvalid", .malformed,
            "a version 1 B-tree node lacks its TREE signature")
        /// A version 1 B-tree node has a wrong type, level or entry count.
        public static let bTreeNodeInvalid = code(23, "bTreeNodeInvalid", .malformed,
            "a version 1 B-tree node has a wrong type, level or entry count")
        /// B-tree keys or the entries below them are out of order, so a lookup by name or offset would miss.
        public static let bTreeKeyOrder = code(24, "bTreeKeyOrder", .malformed,
            "B-tree keys or entries are out of order")
        /// A symbol-table node lacks its `SNOD` signature.
        public static let symbolNodeSignatureInvalid = code(25, "symbolNodeSignatureInvalid", .malformed,
            "a symbol-table node lacks its SNOD signature")
        /// A symbol-table node version other than 1.
        public static let symbolNodeVersionUnsupported = code(26, "symbolNodeVersionUnsupported", .unsupported,
            "a symbol-table node has a version other than 1")
        /// A symbol-table node has too many entries or an unknown cache type.
        public static let symbolNodeInvalid = code(27, "symbolNodeInvalid", .malformed,
            "a symbol-table node or entry is invalid")

        // MARK: Heaps and version 2 B-trees

        /// A global heap collection lacks its `GCOL` signature.
        public static let globalHeapSignatureInvalid = code(28, "globalHeapSignatureInvalid", .malformed,
            "a global heap collection lacks its GCOL signature")
        /// A global heap collection version other than 1.
        public static let globalHeapVersionUnsupported = code(29, "globalHeapVersionUnsupported", .unsupported,
            "a global heap collection has a version other than 1")
        /// A global heap collection's objects overrun it, repeat an index or have a wrong size.
        public static let globalHeapInvalid = code(30, "globalHeapInvalid", .malformed,
            "a global heap collection is malformed")
        /// A variable-length value names a global heap object that does not exist or has another size.
        public static let globalHeapObjectMissing = code(31, "globalHeapObjectMissing", .malformed,
            "a variable-length value refers to a missing or differently sized global heap object")
        /// A fractal heap header or block lacks its `FRHP`, `FHDB` or `FHIB` signature.
        public static let fractalHeapSignatureInvalid = code(32, "fractalHeapSignatureInvalid", .malformed,
            "a fractal heap header or block has a wrong signature")
        /// A fractal heap structure version other than 0.
        public static let fractalHeapVersionUnsupported = code(33, "fractalHeapVersionUnsupported", .unsupported,
            "a fractal heap structure has a version other than 0")
        /// A fractal heap's parameters, block offsets or heap IDs are invalid.
        public static let fractalHeapInvalid = code(34, "fractalHeapInvalid", .malformed,
            "a fractal heap parameter, block or heap ID is invalid")
        /// A version 2 B-tree header or node lacks its `BTHD`, `BTIN` or `BTLF` signature.
        public static let v2BTreeSignatureInvalid = code(35, "v2BTreeSignatureInvalid", .malformed,
            "a version 2 B-tree header or node has a wrong signature")
        /// A version 2 B-tree structure version other than 0.
        public static let v2BTreeVersionUnsupported = code(36, "v2BTreeVersionUnsupported", .unsupported,
            "a version 2 B-tree structure has a version other than 0")
        /// A version 2 B-tree's type, sizes, depth or record counts are inconsistent.
        public static let v2BTreeInvalid = code(37, "v2BTreeInvalid", .malformed,
            "a version 2 B-tree header or node is inconsistent")

        // MARK: Datatypes, dataspaces, layouts, filters

        /// A datatype message version the reader does not know (or too old for its class).
        public static let datatypeVersionUnsupported = code(38, "datatypeVersionUnsupported", .unsupported,
            "a datatype has a version the reader does not implement")
        /// A datatype class or variant the reader does not implement (VAX floats, packed integers, ...).
        public static let datatypeUnsupported = code(39, "datatypeUnsupported", .unsupported,
            "a datatype class or variant the reader does not implement")
        /// A datatype's fields are inconsistent with its size or with each other.
        public static let datatypeInvalid = code(40, "datatypeInvalid", .malformed,
            "a datatype is inconsistent with its size")
        /// A dataspace message version other than 1 or 2.
        public static let dataspaceVersionUnsupported = code(41, "dataspaceVersionUnsupported", .unsupported,
            "a dataspace has a version other than 1 or 2")
        /// A dataspace's rank, type or dimensions are invalid (rank over 32, maximum below current, overflow).
        public static let dataspaceInvalid = code(42, "dataspaceInvalid", .malformed,
            "a dataspace is invalid")
        /// A data layout message version other than 3, 4 or 5 (versions 1 and 2 predate HDF5 1.6.3).
        public static let layoutVersionUnsupported = code(43, "layoutVersionUnsupported", .unsupported,
            "a data layout message has a version other than 3, 4 or 5")
        /// A data layout's class, chunk dimensions or sizes are invalid.
        public static let layoutInvalid = code(44, "layoutInvalid", .malformed,
            "a data layout is invalid")
        /// A version 4 chunk index the reader does not implement (extensible array, version 2 B-tree).
        public static let chunkIndexUnsupported = code(45, "chunkIndexUnsupported", .unsupported,
            "a chunk index type the reader does not implement")
        /// A filter other than deflate, shuffle and Fletcher-32 (szip, LZF, n-bit, scale-offset, ...).
        public static let filterUnsupported = code(46, "filterUnsupported", .unsupported,
            "a filter other than deflate, shuffle and Fletcher-32")
        /// A filter pipeline message is malformed or attached to a non-chunked dataset.
        public static let filterPipelineInvalid = code(47, "filterPipelineInvalid", .malformed,
            "a filter pipeline is malformed")
        /// A filter failed on a chunk: corrupt deflate stream, wrong decoded size, bad shuffle parameters.
        public static let filterFailed = code(48, "filterFailed", .malformed,
            "a filter could not decode a chunk")
        /// A chunk's Fletcher-32 checksum does not match.
        public static let chunkChecksumMismatch = code(49, "chunkChecksumMismatch", .malformed,
            "a chunk's Fletcher-32 checksum does not match")
        /// A chunk lies outside the dataset, repeats, is misaligned or has a wrong size.
        public static let chunkInvalid = code(50, "chunkInvalid", .malformed,
            "a chunk index entry is invalid")
        /// Contiguous or compact storage does not hold exactly the bytes the dataspace and datatype declare.
        public static let dataSizeMismatch = code(51, "dataSizeMismatch", .malformed,
            "stored data size differs from element count times element size")

        // MARK: Attributes and links

        /// An attribute message is malformed (name, sizes, value shorter than declared).
        public static let attributeInvalid = code(52, "attributeInvalid", .malformed,
            "an attribute message is malformed")
        /// An attribute message version other than 1, 2 or 3.
        public static let attributeVersionUnsupported = code(53, "attributeVersionUnsupported", .unsupported,
            "an attribute message has a version other than 1, 2 or 3")
        /// Two attributes of one object have the same name.
        public static let duplicateAttributeName = code(54, "duplicateAttributeName", .malformed,
            "two attributes of one object have the same name")
        /// A link message (or link info, group info message) is malformed.
        public static let linkInvalid = code(55, "linkInvalid", .malformed,
            "a link or link info message is malformed")
        /// A link name is empty, `.`, contains `/` or is not UTF-8.
        public static let linkNameInvalid = code(56, "linkNameInvalid", .malformed,
            "a link or attribute name is empty, '.', contains '/' or NUL, or is not UTF-8")
        /// Two links of one group have the same name.
        public static let duplicateLinkName = code(57, "duplicateLinkName", .malformed,
            "two links of one group have the same name")
        /// A user-defined link type other than external links.
        public static let linkTypeUnsupported = code(58, "linkTypeUnsupported", .unsupported,
            "a link type other than hard, soft and external")
        /// A group contains one of its ancestors, or an index or header block points back into itself.
        public static let cycle = code(59, "cycle", .malformed,
            "a structural cycle: a group containing an ancestor, or a block pointing back")

        // MARK: Budgets

        /// Groups nest deeper than `HDF5Limits.maxDepth`.
        public static let depthLimitExceeded = code(60, "depthLimitExceeded", .limitExceeded,
            "groups nest deeper than the depth limit")
        /// More structures than `HDF5Limits.maxObjects` would be visited.
        public static let objectLimitExceeded = code(61, "objectLimitExceeded", .limitExceeded,
            "more objects, messages or index nodes than the object limit")
        /// A dataset declares more bytes than `HDF5Limits.maxDeclaredDatasetBytes`.
        public static let declaredBytesLimitExceeded = code(62, "declaredBytesLimitExceeded", .limitExceeded,
            "a dataset declares more bytes than the per-dataset limit")
        /// All datasets together declare more bytes than `HDF5Limits.maxTotalDeclaredBytes`.
        public static let totalDeclaredBytesLimitExceeded = code(63, "totalDeclaredBytesLimitExceeded", .limitExceeded,
            "all datasets together declare more bytes than the total limit")
        /// A dataspace rank above `HDF5Limits.maxRank`.
        public static let rankLimitExceeded = code(64, "rankLimitExceeded", .limitExceeded,
            "a dataspace rank above the rank limit")
        /// An attribute value (or all of them) larger than the attribute limits.
        public static let attributeBytesLimitExceeded = code(65, "attributeBytesLimitExceeded", .limitExceeded,
            "an attribute value, or all of them together, exceed the attribute byte limits")
        /// A group with more links than `HDF5Limits.maxLinksPerGroup`.
        public static let linkCountLimitExceeded = code(66, "linkCountLimitExceeded", .limitExceeded,
            "a group has more links than the per-group limit")
        /// A B-tree or heap index deeper than `HDF5Limits.maxBTreeDepth`.
        public static let indexDepthLimitExceeded = code(67, "indexDepthLimitExceeded", .limitExceeded,
            "a B-tree or heap index is deeper than the index depth limit")
        /// A dataset with more chunks than `HDF5Limits.maxChunkCount`.
        public static let chunkCountLimitExceeded = code(68, "chunkCountLimitExceeded", .limitExceeded,
            "a dataset has more chunks than the chunk limit")
        /// A string value or name longer than `HDF5Limits.maxStringLength` or `maxNameLength`.
        public static let stringLengthLimitExceeded = code(69, "stringLengthLimitExceeded", .limitExceeded,
            "a string value or a name is longer than its limit")
        /// An object with more attributes than `HDF5Limits.maxAttributesPerObject`.
        public static let attributeCountLimitExceeded = code(70, "attributeCountLimitExceeded", .limitExceeded,
            "an object has more attributes than the per-object limit")
        /// Datatypes nest deeper than `HDF5Limits.maxDatatypeDepth`.
        public static let datatypeDepthLimitExceeded = code(71, "datatypeDepthLimitExceeded", .limitExceeded,
            "datatypes nest deeper than the datatype depth limit")

        // MARK: Features and policy

        /// A valid HDF5 feature the reader does not implement, named in the reason (driver info block,
        /// 16-byte addresses, huge fractal-heap objects, filtered heaps, metadata cache image, ...).
        public static let featureUnsupported = code(72, "featureUnsupported", .unsupported,
            "a valid HDF5 feature the reader does not implement")
        /// Dataset values live in external files (external storage message); the reader never opens them.
        public static let externalStorageNotRead = code(73, "externalStorageNotRead", .policyRejected,
            "dataset values stored in external files are never read")
        /// A virtual dataset maps other datasets or files; the reader never resolves the mapping.
        public static let virtualDatasetNotRead = code(74, "virtualDatasetNotRead", .policyRejected,
            "virtual dataset values are never read")
        /// A soft-link value or an external link's file name or path is not UTF-8 or contains NUL.
        public static let stringEncodingInvalid = code(75, "stringEncodingInvalid", .malformed,
            "a path or file name stored in a link is not UTF-8 or contains NUL")
        /// A variable-length element (length, heap address, index) is malformed.
        public static let variableLengthInvalid = code(76, "variableLengthInvalid", .malformed,
            "a variable-length element is malformed")
        /// The external file list (message 0x07) is malformed.
        public static let externalFileListInvalid = code(77, "externalFileListInvalid", .malformed,
            "an external file list message is malformed")
        /// A fill value message is malformed or its value size differs from the datatype's.
        public static let fillValueInvalid = code(78, "fillValueInvalid", .malformed,
            "a fill value message is malformed")
        /// A fixed array chunk index (`FAHD`/`FADB`) is malformed.
        public static let chunkIndexInvalid = code(79, "chunkIndexInvalid", .malformed,
            "a version 4 chunk index structure is malformed")

        /// More metadata bytes would be read, or path bytes built, than `HDF5Limits.maxMetadataBytes`.
        public static let metadataBytesLimitExceeded = code(80, "metadataBytesLimitExceeded", .limitExceeded,
            "more metadata bytes read and path bytes built than the metadata byte limit")

        /// Every code, in number order; the rule catalogue is built from this list.
        public static let all: [ErrorCode] = [
            fileTruncated, superblockNotFound, superblockVersionUnsupported, superblockInvalid,
            bytesAfterEndOfFile, addressOutOfBounds, structureTruncated, checksumMismatch,
            objectHeaderSignatureInvalid, objectHeaderVersionUnsupported, objectHeaderInvalid, messageInvalid,
            messageVersionUnsupported, unknownRequiredMessage, duplicateMessage, missingMessage,
            unknownObjectClass, sharedMessageUnsupported,
            localHeapSignatureInvalid, localHeapVersionUnsupported, localHeapInvalid,
            bTreeSignatureInvalid, bTreeNodeInvalid, bTreeKeyOrder,
            symbolNodeSignatureInvalid, symbolNodeVersionUnsupported, symbolNodeInvalid,
            globalHeapSignatureInvalid, globalHeapVersionUnsupported, globalHeapInvalid, globalHeapObjectMissing,
            fractalHeapSignatureInvalid, fractalHeapVersionUnsupported, fractalHeapInvalid,
            v2BTreeSignatureInvalid, v2BTreeVersionUnsupported, v2BTreeInvalid,
            datatypeVersionUnsupported, datatypeUnsupported, datatypeInvalid,
            dataspaceVersionUnsupported, dataspaceInvalid, layoutVersionUnsupported, layoutInvalid,
            chunkIndexUnsupported, filterUnsupported, filterPipelineInvalid, filterFailed,
            chunkChecksumMismatch, chunkInvalid, dataSizeMismatch,
            attributeInvalid, attributeVersionUnsupported, duplicateAttributeName,
            linkInvalid, linkNameInvalid, duplicateLinkName, linkTypeUnsupported, cycle,
            depthLimitExceeded, objectLimitExceeded, declaredBytesLimitExceeded, totalDeclaredBytesLimitExceeded,
            rankLimitExceeded, attributeBytesLimitExceeded, linkCountLimitExceeded, indexDepthLimitExceeded,
            chunkCountLimitExceeded, stringLengthLimitExceeded, attributeCountLimitExceeded,
            datatypeDepthLimitExceeded,
            featureUnsupported, externalStorageNotRead, virtualDatasetNotRead, stringEncodingInvalid,
            variableLengthInvalid, externalFileListInvalid, fillValueInvalid, chunkIndexInvalid,
            metadataBytesLimitExceeded,
        ]
    }
}
