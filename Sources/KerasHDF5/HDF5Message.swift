import KerasBytes

/// One header message of an object header: its type, flags and body.
struct HDF5Message {
    /// The message type (format spec IV.A.2).
    let type: UInt16
    /// The message flags (bit 0 constant, bit 1 shared, bit 7 fail if unknown, ...).
    let flags: UInt8
    /// The message body.
    let body: ByteView
    /// The file address of the body's first byte.
    let address: UInt64
    /// The creation order from a version 2 message header, when the object tracks it.
    var creationOrder: UInt16? = nil

    /// Whether the body is a shared-message reference rather than the message itself.
    var isShared: Bool { flags & HDF5Message.sharedFlag != 0 }

    static let sharedFlag: UInt8 = 0x02
    static let dontShareFlag: UInt8 = 0x04
    static let failIfUnknownFlag: UInt8 = 0x80

    // Message types (format spec IV.A.2.a-y).
    static let nilType: UInt16 = 0x00
    static let dataspace: UInt16 = 0x01
    static let linkInfo: UInt16 = 0x02
    static let datatype: UInt16 = 0x03
    static let oldFillValue: UInt16 = 0x04
    static let fillValue: UInt16 = 0x05
    static let link: UInt16 = 0x06
    static let externalFiles: UInt16 = 0x07
    static let layout: UInt16 = 0x08
    static let bogus: UInt16 = 0x09
    static let groupInfo: UInt16 = 0x0A
    static let filterPipeline: UInt16 = 0x0B
    static let attribute: UInt16 = 0x0C
    static let comment: UInt16 = 0x0D
    static let oldModificationTime: UInt16 = 0x0E
    static let sharedMessageTable: UInt16 = 0x0F
    static let continuation: UInt16 = 0x10
    static let symbolTable: UInt16 = 0x11
    static let modificationTime: UInt16 = 0x12
    static let bTreeK: UInt16 = 0x13
    static let driverInfo: UInt16 = 0x14
    static let attributeInfo: UInt16 = 0x15
    static let referenceCount: UInt16 = 0x16
    static let fileSpaceInfo: UInt16 = 0x17
    static let cacheImage: UInt16 = 0x18

    /// The highest message type the reader knows; higher types are "unknown".
    static let lastKnownType: UInt16 = cacheImage

    /// A name for messages in error reasons.
    static func name(_ type: UInt16) -> String {
        switch type {
        case dataspace: return "dataspace message"
        case linkInfo: return "link info message"
        case datatype: return "datatype message"
        case oldFillValue: return "old fill value message"
        case fillValue: return "fill value message"
        case link: return "link message"
        case externalFiles: return "external file list message"
        case layout: return "data layout message"
        case groupInfo: return "group info message"
        case filterPipeline: return "filter pipeline message"
        case attribute: return "attribute message"
        case continuation: return "continuation message"
        case symbolTable: return "symbol table message"
        case attributeInfo: return "attribute info message"
        default: return "message 0x" + String(type, radix: 16)
        }
    }
}
