import KerasBytes

extension HDF5Decoder {
    private static let gcolSignature: [UInt8] = Array("GCOL".utf8)
    private static let globalHeapAlignment = 8

    /// The global heap collection at `address`, parsed once.
    func globalHeap(at address: UInt64) throws(HDF5Error) -> HDF5GlobalHeapCollection {
        if let cached = globalHeaps[address] { return cached }
        let collection = try parseGlobalHeap(at: address)
        globalHeaps[address] = collection
        return collection
    }

    /// Format spec III.E: Global Heap collection.
    private func parseGlobalHeap(at address: UInt64) throws(HDF5Error) -> HDF5GlobalHeapCollection {
        try spend(at: address)
        let headerSize = 8 + lengthSize
        var header = try cursor(at: address, length: headerSize, code: HDF5Error.Code.globalHeapInvalid, what: "global heap collection")
        try header.expectSignature(HDF5Decoder.gcolSignature, code: HDF5Error.Code.globalHeapSignatureInvalid)
        let version = try header.u8()
        guard version == 1 else {
            throw header.error(HDF5Error.Code.globalHeapVersionUnsupported, "version \(version); only 1 is defined")
        }
        try header.skip(3)
        let size = try header.length()
        guard size >= headerSize else { throw header.error("collection size \(size) is smaller than its header") }
        var reader = try cursor(at: address, length: size, code: HDF5Error.Code.globalHeapInvalid, what: "global heap collection")
        try reader.skip(headerSize)
        let objectHeaderSize = 8 + lengthSize
        var objects: [UInt16: ByteView] = [:]
        while reader.remaining >= objectHeaderSize {
            let objectStart = reader.offset
            let index = try reader.u16()
            _ = try reader.u16()
            try reader.skip(4)
            let objectSize = try reader.length()
            if index == 0 {
                // The free-space object: its size counts its own header.
                guard objectSize >= objectHeaderSize, objectSize - objectHeaderSize <= reader.remaining else {
                    throw reader.error("free space of \(objectSize) bytes does not fit the collection")
                }
                try reader.seek(objectStart + objectSize)
                continue
            }
            try spend(at: reader.fileAddress)
            guard objectSize <= reader.remaining else {
                throw reader.error("object \(index) of \(objectSize) bytes overruns the collection")
            }
            let data = try reader.view(objectSize)
            try reader.skip(min(reader.remaining, HDF5Decoder.paddingAfter(objectSize)))
            guard objects.updateValue(data, forKey: index) == nil else {
                throw reader.error("object index \(index) appears twice")
            }
        }
        return HDF5GlobalHeapCollection(objects: objects)
    }

    /// Format spec IV.C.4 (variable-length data): the bytes of one element `{length, collection, index}`,
    /// `length * elementSize` bytes long.
    func variableLengthBytes(_ element: ByteView, elementSize: Int, at address: UInt64) throws(HDF5Error) -> ByteView {
        var reader = cursor(over: element, address: address, code: HDF5Error.Code.variableLengthInvalid, what: "variable-length element")
        let length = Int(try reader.u32())
        let collection = try reader.rawAddress()
        let index = try reader.u32()
        if length == 0 { return ByteView.empty }
        guard let expected = Checked.multiply(length, elementSize) else { throw reader.error("length \(length) overflows") }
        guard expected <= limits.maxStringLength else {
            throw reader.error(HDF5Error.Code.stringLengthLimitExceeded,
                "a value of \(expected) bytes exceeds maxStringLength (\(limits.maxStringLength))")
        }
        guard collection != geometry.undefinedAddress, let objectIndex = UInt16(exactly: index), objectIndex != 0 else {
            throw reader.error("element of length \(length) refers to collection \(HDF5Decoder.hex(collection)) object \(index)")
        }
        let heap = try globalHeap(at: collection)
        guard let object = heap.objects[objectIndex], object.count == expected else {
            throw HDF5Error(HDF5Error.Code.globalHeapObjectMissing,
                "collection \(HDF5Decoder.hex(collection)) has no object \(index) of \(expected) bytes", address: collection)
        }
        return object
    }
}
