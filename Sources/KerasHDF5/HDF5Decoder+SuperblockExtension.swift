extension HDF5Decoder {
    /// Format spec II.B: the superblock extension's messages; returns the geometry with its B-tree K values.
    func superblockExtension(at address: UInt64) throws(HDF5Error) -> HDF5Geometry {
        do throws(HDF5Error) {
            let header = try objectHeader(at: address)
            var geometry = self.geometry
            for message in header.messages {
                switch message.type {
                case HDF5Message.bTreeK:
                    var reader = cursor(over: message.body, address: message.address, code: HDF5Error.Code.superblockInvalid,
                        what: "B-tree K values message")
                    let version = try reader.u8()
                    guard version == 0 else { throw reader.error(HDF5Error.Code.messageVersionUnsupported, "version \(version)") }
                    let chunkK = Int(try reader.u16())
                    let internalK = Int(try reader.u16())
                    let leafK = Int(try reader.u16())
                    guard chunkK > 0, internalK > 0, leafK > 0 else { throw reader.error("B-tree K values must be positive") }
                    geometry = HDF5Geometry(bytes: geometry.bytes, base: geometry.base, endOfFile: geometry.endOfFile,
                        offsetSize: geometry.offsetSize, lengthSize: geometry.lengthSize, groupLeafK: leafK,
                        groupInternalK: internalK, chunkInternalK: chunkK)
                case HDF5Message.driverInfo:
                    throw HDF5Error(HDF5Error.Code.featureUnsupported,
                        "the superblock extension has a driver information message (family, multi or split file driver)", address: message.address)
                case HDF5Message.cacheImage:
                    throw HDF5Error(HDF5Error.Code.featureUnsupported, "a metadata cache image", address: message.address)
                default:
                    continue
                }
            }
            return geometry
        } catch {
            throw error.within("superblock extension")
        }
    }
}
