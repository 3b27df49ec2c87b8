import Foundation
import KerasBytes
import KerasHDF5
import KerasJSON

extension KerasModel {
    /// Saves the weights as `model.save_weights(path, max_shard_size=maxShardSize)` does (Keras's
    /// `ShardedH5IOStore`): `path` (ending in `.weights.json`) is the index `{"metadata": {"total_size"},
    /// "weight_map": {"/<object>/vars": shard}}` written with `json.dumps(indent=4)`, next to the shards
    /// `<base>_00000.weights.h5`, `<base>_00001.weights.h5`, ..., where `<base>` is the index's name without
    /// `.json` and every `.weights`.
    ///
    /// Every named object's `vars` group (with its `name` attribute) is created in the shard that is current
    /// when the walk reaches it; a variable whose bytes would take the current shard past `maxShardSize`
    /// GB (1024³ bytes) starts the next shard, where the object's group is created again without
    /// attributes, and the weight map lists both shards for it (an object's entry is its shard's name after
    /// its first variable and a list from its second on, as Keras records it). Sizes count `bits / 8` per element as
    /// Keras's `dtype_size` does (a bool is 1/8 byte), so `total_size` is a float; a dtype Keras cannot size
    /// (float8) is refused with Keras's "Invalid dtype" error, and a variable larger than a shard with
    /// Keras's "exceeds the maximum shard size" error.
    ///
    /// Each file is written atomically and the index last, so a failure never leaves an index naming a shard
    /// that was not written.
    public func saveShardedWeights(to path: String, maxShardSize: Double) throws(ReferenceError) {
        guard path.hasSuffix(".weights.json") else {
            throw ReferenceError(ReferenceError.Code.saveFailed,
                                 "The filename must end in `.weights.json` when `max_shard_size` is specified. Received: filepath=\(path)", at: path)
        }
        guard maxShardSize.isFinite, maxShardSize > 0 else {
            throw ReferenceError(ReferenceError.Code.saveFailed, "max_shard_size must be a positive number of GB, got \(maxShardSize)", at: path)
        }
        let limit = maxShardSize * 1024 * 1024 * 1024
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let base = url.deletingPathExtension().lastPathComponent.replacingOccurrences(of: ".weights", with: "")
        var shards: [(name: String, bytes: [UInt8])] = []
        // Per group, its shards and whether it became a list: Keras stores the first variable's shard as a
        // string and turns it into a list at the group's second variable.
        var weightMap: [(group: String, shards: [String], isList: Bool)] = []
        var total = 0.0
        var current = 0.0
        do throws(HDF5WriteError) {
            var writer = try HDF5Writer(destination: .path)
            var shardName = String(format: "%@_%05d.weights.h5", base, 0)
            var groupsInShard: Set<String> = []
            func nextShard() throws(HDF5WriteError) {
                shards.append((shardName, try writer.finish()))
                writer = try HDF5Writer(destination: .path)
                shardName = String(format: "%@_%05d.weights.h5", base, shards.count)
                groupsInShard = []
            }
            var objects: [(path: String, name: String?, variables: [(dtype: String, shape: [Int], bytes: ByteView)])] = []
            for (layer, objectPath) in SaveableTraversal.visit(root) {
                objects.append((objectPath, layer.name, layer.variables.map { variable in
                    let (dtype, bytes) = variable.bytesForSaving
                    return (dtype: dtype, shape: variable.shape, bytes: bytes)
                }))
            }
            for object in retainedObjects { objects.append((object.path, object.name, object.variables)) }
            for object in objects {
                let group = object.path.isEmpty ? "/vars" : "/\(object.path)/vars"
                if let name = object.name {
                    try writer.createGroup(group)
                    try writer.setStringAttribute(group, name: "name", value: name)
                    groupsInShard.insert(group)
                }
                for (index, variable) in object.variables.enumerated() {
                    guard let bits = Self.dtypeBits[variable.dtype], let dtype = HDF5Writer.DType(rawValue: variable.dtype) else {
                        throw HDF5WriteError(kind: .invalidArgument, call: "save_weights", path: group, detail: "Invalid dtype: \(variable.dtype)")
                    }
                    let size = Double(variable.shape.reduce(1, *)) * Double(bits) / 8
                    total += size
                    if size > limit {
                        throw HDF5WriteError(kind: .invalidArgument, call: "save_weights", path: group,
                                             detail: "The size of \(index) is \(Self.readable(size)) which exceeds the maximum shard size \(Self.readable(limit)). You can increase the `max_shard_size` parameter to accommodate the size.")
                    }
                    current += size
                    if current > limit {
                        try nextShard()
                        current = size
                    }
                    if !groupsInShard.contains(group) {
                        try writer.createGroup(group)
                        groupsInShard.insert(group)
                    }
                    try writer.createDataset("\(group)/\(index)", dtype: dtype, shape: variable.shape, data: variable.bytes,
                                             creation: dtype == .bfloat16 ? .createDataset : .assignment)
                    if let entry = weightMap.firstIndex(where: { $0.group == group }) {
                        weightMap[entry].isList = true
                        if !weightMap[entry].shards.contains(shardName) { weightMap[entry].shards.append(shardName) }
                    } else {
                        weightMap.append((group, [shardName], false))
                    }
                }
            }
            shards.append((shardName, try writer.finish()))
        } catch {
            throw ReferenceError(ReferenceError.Code.saveFailed, error.detail.hasPrefix("Invalid dtype") || error.detail.hasPrefix("The size of") ? error.detail : error.description, at: path)
        }
        let totalValue: JSONValue = total == 0 ? .number(JSONNumber(0)) : .number(JSONNumber(total))
        let map = JSONObject(weightMap.map { ($0.group, $0.isList ? JSONValue.array($0.shards.map { .string($0) }) : .string($0.shards[0])) })
        let index = JSONValue.object(JSONObject([
            ("metadata", .object(JSONObject([("total_size", totalValue)]))), ("weight_map", .object(map)),
        ]))
        for shard in shards { try AtomicWrite.file(shard.bytes, to: directory + "/" + shard.name) }
        try AtomicWrite.file(JSONWriter.dumpBytes(index, options: JSONWriter.Options(indent: 4)), to: path)
    }

    /// `dtype_utils.DTYPE_TO_SIZE`: bits per element of the dtypes Keras can shard.
    static let dtypeBits: [String: Int] = [
        "float16": 16, "float32": 32, "float64": 64, "int8": 8, "int16": 16, "int32": 32, "int64": 64,
        "uint8": 8, "uint16": 16, "uint32": 32, "uint64": 64, "bfloat16": 16, "bool": 1,
    ]

    /// `readable_memory_size`: `"{:.2f} {unit}"` in powers of 1024.
    static func readable(_ bytes: Double) -> String {
        var size = bytes
        for unit in ["B", "KB", "MB", "GB", "TB", "PB"] {
            if size / 1024 < 1 { return String(format: "%.2f %@", size, unit) }
            size /= 1024
        }
        return String(format: "%.2f PB", size)
    }
}
