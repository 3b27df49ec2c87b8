import KerasBytes

extension HDF5Decoder {
    private static let fletcherChecksumSize = 4
    private static let filterMaskBits = 32

    /// Format spec IV.A.2.i and VII: the element bytes of `dataset` in C order.
    func data(of dataset: HDF5Dataset) throws(HDF5Error) -> ByteView {
        guard dataset.externalFiles.isEmpty else {
            throw HDF5Error(HDF5Error.Code.externalStorageNotRead,
                "the values live in external file \"\(dataset.externalFiles[0].name)\"", address: dataset.address, path: dataset.path)
        }
        guard let declared = dataset.declaredByteCount, declared <= limits.maxDeclaredDatasetBytes else {
            throw HDF5Error(HDF5Error.Code.declaredBytesLimitExceeded,
                "the dataset declares more than maxDeclaredDatasetBytes (\(limits.maxDeclaredDatasetBytes))",
                address: dataset.address, path: dataset.path)
        }
        do throws(HDF5Error) {
            switch dataset.layout {
            case .virtual:
                throw HDF5Error(HDF5Error.Code.virtualDatasetNotRead, "the dataset is virtual", address: dataset.address)
            case .compact:
                guard let data = dataset.compactData, data.count == declared else {
                    throw HDF5Error(HDF5Error.Code.dataSizeMismatch, "compact data differs from \(declared) declared bytes", address: dataset.address)
                }
                return data
            case let .contiguous(address, size):
                guard let address else { return filled(declared, with: dataset.fillValue) }
                guard size == declared else {
                    throw HDF5Error(HDF5Error.Code.dataSizeMismatch, "contiguous data of \(size) bytes for \(declared) declared bytes",
                        address: dataset.address)
                }
                return try dataView(at: address, length: size, what: "contiguous data")
            case let .chunked(chunkShape, indexAddress, index):
                guard declared > 0 else { return ByteView.empty }
                let chunks = try chunks(of: dataset, chunkShape: chunkShape, indexAddress: indexAddress, index: index)
                return try assemble(dataset, chunks: chunks, chunkShape: chunkShape, declared: declared)
            }
        } catch {
            throw error.within(dataset.path)
        }
    }

    /// The stored bytes of `dataset` (see ``HDF5File/storageSize(of:)``).
    func storageSize(of dataset: HDF5Dataset) throws(HDF5Error) -> Int {
        switch dataset.layout {
        case .virtual: return 0
        case let .compact(size): return size
        case let .contiguous(address, size): return address == nil && dataset.externalFiles.isEmpty ? 0 : size
        case let .chunked(chunkShape, indexAddress, index):
            do throws(HDF5Error) {
                let chunks = try chunks(of: dataset, chunkShape: chunkShape, indexAddress: indexAddress, index: index)
                return chunks.reduce(0) { Checked.add($0, $1.size) ?? Int.max }
            } catch {
                throw error.within(dataset.path)
            }
        }
    }

    /// `count` bytes of the repeated fill value (zeros without one).
    private func filled(_ count: Int, with fill: [UInt8]?) -> ByteView {
        guard let fill, !fill.isEmpty, fill.contains(where: { $0 != 0 }) else {
            return ByteView(copying: repeatElement(0 as UInt8, count: count))
        }
        let size = fill.count
        return ByteView(copying: (0..<count).lazy.map { fill[$0 % size] })
    }

    /// Decodes every chunk and copies its in-bounds part into a buffer of the dataset's shape.
    private func assemble(_ dataset: HDF5Dataset, chunks: [HDF5Chunk], chunkShape: [Int], declared: Int) throws(HDF5Error) -> ByteView {
        let elementSize = dataset.datatype.size
        let chunkBytes = Checked.product(chunkShape + [elementSize])!
        let shape = dataset.shape
        var output = [UInt8](repeating: 0, count: declared)
        if let fill = dataset.fillValue, fill.contains(where: { $0 != 0 }) {
            for index in 0..<declared { output[index] = fill[index % fill.count] }
        }
        for chunk in chunks {
            try spend(at: chunk.address)
            let isEdge = zip(zip(chunk.origin, chunkShape), shape).contains { $0.0 + $0.1 > $1 }
            let skipFilters = isEdge && dataset.unfilteredEdgeChunks
            let stored = try dataView(at: chunk.address, length: chunk.size, what: "chunk at \(chunk.origin)")
            let decoded: ByteView
            if dataset.filters.isEmpty || skipFilters {
                guard chunk.size == chunkBytes else {
                    throw HDF5Error(HDF5Error.Code.chunkInvalid,
                        "unfiltered chunk at \(chunk.origin) has \(chunk.size) bytes, not \(chunkBytes)", address: chunk.address)
                }
                decoded = stored
            } else {
                decoded = try unfilter(stored, filters: dataset.filters, mask: chunk.filterMask, expected: chunkBytes,
                    elementSize: elementSize, at: chunk.address)
            }
            decoded.withUnsafeBytes { source in
                output.withUnsafeMutableBytes { target in
                    HDF5Decoder.copy(source, origin: chunk.origin, chunkShape: chunkShape, shape: shape,
                        elementSize: elementSize, into: target)
                }
            }
        }
        return ByteView(copying: output)
    }

    /// Copies the part of a chunk that lies inside the dataset, row by row.
    private static func copy(
        _ chunk: UnsafeRawBufferPointer, origin: [Int], chunkShape: [Int], shape: [Int], elementSize: Int,
        into output: UnsafeMutableRawBufferPointer
    ) {
        let rank = shape.count
        let extent = (0..<rank).map { min(chunkShape[$0], shape[$0] - origin[$0]) }
        var chunkStride = [Int](repeating: elementSize, count: rank)
        var outputStride = [Int](repeating: elementSize, count: rank)
        for dimension in stride(from: rank - 2, through: 0, by: -1) {
            chunkStride[dimension] = chunkStride[dimension + 1] * chunkShape[dimension + 1]
            outputStride[dimension] = outputStride[dimension + 1] * shape[dimension + 1]
        }
        let rowBytes = extent[rank - 1] * elementSize
        var index = [Int](repeating: 0, count: rank)
        while true {
            var source = 0
            var target = 0
            for dimension in 0..<rank {
                source += index[dimension] * chunkStride[dimension]
                target += (origin[dimension] + index[dimension]) * outputStride[dimension]
            }
            output.baseAddress!.advanced(by: target).copyMemory(from: chunk.baseAddress!.advanced(by: source), byteCount: rowBytes)
            var dimension = rank - 2
            while dimension >= 0 {
                index[dimension] += 1
                if index[dimension] < extent[dimension] { break }
                index[dimension] = 0
                dimension -= 1
            }
            if dimension < 0 { return }
        }
    }

    /// Undoes the filter pipeline, last filter first, skipping filters set in `mask`.
    private func unfilter(
        _ stored: ByteView, filters: [HDF5Filter], mask: UInt32, expected: Int, elementSize: Int, at address: UInt64
    ) throws(HDF5Error) -> ByteView {
        var data = stored
        let checksumCount = filters.filter { $0.id == HDF5Filter.fletcher32 }.count
        let cap = expected + HDF5Decoder.fletcherChecksumSize * checksumCount
        for (position, filter) in filters.enumerated().reversed() {
            if position < HDF5Decoder.filterMaskBits, mask & (UInt32(1) << UInt32(position)) != 0 { continue }
            switch filter.id {
            case HDF5Filter.fletcher32:
                data = try verifyFletcher32(data, at: address)
            case HDF5Filter.deflate:
                switch Inflate.all(data, format: .zlib, maxOutput: cap) {
                case let .success(bytes): data = ByteView(copying: bytes)
                case let .failure(failure):
                    throw HDF5Error(HDF5Error.Code.filterFailed, "deflate: \(failure)", address: address)
                }
            case HDF5Filter.shuffle:
                let size = filter.clientData.first.map(Int.init) ?? elementSize
                guard size > 0 else { throw HDF5Error(HDF5Error.Code.filterFailed, "shuffle with element size 0", address: address) }
                data = HDF5Decoder.unshuffle(data, elementSize: size)
            default:
                throw HDF5Error(HDF5Error.Code.filterUnsupported,
                    "filter \(filter.id) (\(filter.name)); the reader decodes deflate, shuffle and fletcher32", address: address)
            }
        }
        guard data.count == expected else {
            throw HDF5Error(HDF5Error.Code.filterFailed, "a chunk decodes to \(data.count) bytes, expected \(expected)", address: address)
        }
        return data
    }

    /// Checks and strips the trailing Fletcher-32 checksum (also accepting the byte-swapped form
    /// HDF5 1.6.0-1.6.2 wrote, as libhdf5 does).
    private func verifyFletcher32(_ data: ByteView, at address: UInt64) throws(HDF5Error) -> ByteView {
        let size = HDF5Decoder.fletcherChecksumSize
        guard data.count >= size else {
            throw HDF5Error(HDF5Error.Code.filterFailed, "a Fletcher-32 chunk of \(data.count) bytes has no checksum", address: address)
        }
        let body = data.slice(offset: 0, length: data.count - size)!
        let stored = data.loadLittleEndian(UInt32.self, at: data.count - size)!
        let computed = body.withUnsafeBytes { Fletcher32.checksum($0) }
        let swapped = (computed & 0x00FF_00FF) << 8 | (computed & 0xFF00_FF00) >> 8
        guard stored == computed || stored == swapped else {
            throw HDF5Error(HDF5Error.Code.chunkChecksumMismatch,
                "chunk checksum is 0x\(String(stored, radix: 16)) but its bytes sum to 0x\(String(computed, radix: 16))", address: address)
        }
        return body
    }

    /// Reverses the shuffle filter: byte j of element i was stored at j * count + i.
    static func unshuffle(_ data: ByteView, elementSize: Int) -> ByteView {
        let count = data.count / elementSize
        guard elementSize > 1, count > 1 else { return data }
        var output = [UInt8](repeating: 0, count: data.count)
        data.withUnsafeBytes { source in
            for byte in 0..<elementSize {
                let plane = byte * count
                for element in 0..<count { output[element * elementSize + byte] = source[plane + element] }
            }
            for index in (count * elementSize)..<data.count { output[index] = source[index] }
        }
        return ByteView(copying: output)
    }
}
