import Foundation
import KerasBytes
import KerasFormat
import KerasReference
import KerasZip

/// Property 2, name stability: layer names, variable paths and variable order survive save, load and
/// save; saving a loaded model again reproduces `config.json` and `model.weights.h5` byte for byte (and
/// `metadata.json` too when both saves give the same `date_saved`, the only field allowed to differ).
public enum NameStabilityProperty {
    /// The property's name in reports.
    public static let name = "name-stability"

    /// Saves `model`, loads the archive, saves the loaded model and compares the two archives and the
    /// two models' saveable objects (path, class, variable names and shapes, in order).
    public static func check(_ model: KerasModel, caseName: String) throws(PropertyViolation) {
        let date = Date(timeIntervalSince1970: 0)
        let first: [UInt8], second: [UInt8]
        let reloaded: KerasModel
        do throws(ReferenceError) {
            first = try model.archiveBytes(date: date)
            reloaded = try loadModel(KerasFile.read(bytes: ByteView(copying: first), name: caseName + ".keras"))
            second = try reloaded.archiveBytes(date: date)
        } catch {
            throw PropertyViolation(name, "\(error.code.ruleID) \(error.code.name): \(error.reason) at \(error.location)")
        }
        try compare(signature(model), signature(reloaded))
        try compare(archive: first, with: second)
    }

    /// Fails unless two models' saveable objects agree line for line.
    static func compare(_ before: [String], _ after: [String]) throws(PropertyViolation) {
        if let index = before.firstMismatch(with: after) {
            let was = index < before.count ? before[index] : "nothing", now = index < after.count ? after[index] : "nothing"
            throw PropertyViolation(name, "saveable object \(index) was \(was), after a load it is \(now)")
        }
    }

    /// Fails unless two archives hold the same `metadata.json`, `config.json` and `model.weights.h5` bytes.
    static func compare(archive first: [UInt8], with second: [UInt8]) throws(PropertyViolation) {
        for member in ["metadata.json", "config.json", "model.weights.h5"] {
            let a = try Self.member(member, of: first), b = try Self.member(member, of: second)
            if let offset = a.firstMismatch(with: b) {
                throw PropertyViolation(name, "\(member) differs when a loaded model is saved again: \(a.count) and \(b.count) bytes, first difference at byte \(offset)")
            }
        }
    }

    /// One line per saveable object: its path, class and variables.
    static func signature(_ model: KerasModel) -> [String] {
        model.saveableObjects.map { path, layer in
            "\(path) \(layer.className) \(layer.name) [" + layer.variables.map { "\($0.name)\($0.shape) \($0.dtype)" }.joined(separator: ", ") + "]"
        }
    }

    static func member(_ name: String, of archive: [UInt8]) throws(PropertyViolation) -> [UInt8] {
        let contents: ByteView?
        do throws(ZipError) {
            let zip = try ZipArchive.read(ByteView(copying: archive))
            contents = try zip.entry(named: name).map { entry throws(ZipError) in try zip.contents(of: entry) }
        } catch {
            throw PropertyViolation(Self.name, "the saved archive does not read back: \(error.code.ruleID) \(error.reason)")
        }
        guard let contents else { throw PropertyViolation(Self.name, "the saved archive has no \(name)") }
        return contents.bytes
    }
}
