import KerasJSON

/// `keras.saving.serialize_keras_object` of a deserialized value inside one `ObjectSharingScope`
/// (SER:157-313; FORMAT.md 2.1): what Keras writes when it saves the Python object that
/// ``ValueDeserializer`` stands for.
///
/// Keras writes `id(obj)`, a memory address, as the `shared_object_id` of an instance met more than once;
/// kconform writes ``firstID``, ``firstID`` + 1, ... in order of first appearance, skipping any
/// `shared_object_id` a plain dict of the value holds as data. Two serializations compare after ``canonicalSharedIDs(_:)``. A symbolic tensor is written with `keras_history: null`
/// (Keras keeps the history read from a file aside and does not write it again, SER:206-216), a 0-d NumPy
/// array as its bare element (`obj.item()`, SER:236-238), and a lambda or type spec as it was read.
public enum ValueSerializer {
    /// The config Keras writes for `value`.
    public static func serialize(_ value: KerasValue) -> JSONValue {
        var counts: [ObjectIdentifier: Int] = [:]
        count(value, &counts)
        var ids: [ObjectIdentifier: Int] = [:]
        var taken: Set<Int> = []
        plainIDs(value, &taken)
        var next = firstID
        let shared = counts.values.filter { $0 > 1 }.count
        var available: [Int] = []
        while available.count < shared {
            if !taken.contains(next) { available.append(next) }
            next &+= 1
        }
        return write(value, counts: counts, ids: &ids, available: available)
    }

    /// The first `shared_object_id` written: address-like, as Keras's `id(obj)`.
    public static let firstID = 0x7F00_0000_0000

    /// The integers under a `shared_object_id` key of a plain dict (data, not sharing): written ids skip
    /// them, so that they never collide, as Keras's addresses in practice never do.
    private static func plainIDs(_ value: KerasValue, _ taken: inout Set<Int>) {
        switch value {
        case .list(let items): items.forEach { plainIDs($0, &taken) }
        case .dict(let items):
            for (key, item) in items {
                if key == "shared_object_id", case .int(let number) = item, let id = number.intValue { taken.insert(id) }
                plainIDs(item, &taken)
            }
        case .slice(let start, let stop, let step): [start, stop, step].forEach { plainIDs($0, &taken) }
        case .object(let instance): plainIDs(instance.config, &taken)
        default: break
        }
    }

    /// Renumbers every `shared_object_id` by the order in which its value first appears in a depth-first
    /// walk (object members in order, array items in order): the form in which two serializations of one
    /// value compare equal whatever addresses Keras wrote.
    public static func canonicalSharedIDs(_ json: JSONValue) -> JSONValue {
        var order: [JSONValue: Int] = [:]
        func walk(_ value: JSONValue) -> JSONValue {
            switch value {
            case .array(let items):
                return .array(items.map(walk))
            case .object(let object):
                var result = JSONObject()
                for (key, item) in object {
                    if key == "shared_object_id" {
                        let index = order[item] ?? order.count
                        order[item] = index
                        _ = result.updateValue(.number(.integer(index)), forKey: key)
                    } else {
                        _ = result.updateValue(walk(item), forKey: key)
                    }
                }
                return .object(result)
            default:
                return value
            }
        }
        return walk(json)
    }

    private static func count(_ value: KerasValue, _ counts: inout [ObjectIdentifier: Int]) {
        switch value {
        case .list(let items): items.forEach { count($0, &counts) }
        case .dict(let items): items.forEach { count($0.value, &counts) }
        case .slice(let start, let stop, let step): [start, stop, step].forEach { count($0, &counts) }
        case .object(let instance):
            let key = ObjectIdentifier(instance)
            counts[key, default: 0] += 1
            if counts[key] == 1 { count(instance.config, &counts) }
        default: break
        }
    }

    private static func write(_ value: KerasValue, counts: [ObjectIdentifier: Int], ids: inout [ObjectIdentifier: Int], available: [Int]) -> JSONValue {
        func marker(_ name: String, _ config: JSONObject) -> JSONValue {
            .object(JSONObject([("class_name", .string(name)), ("config", .object(config))]))
        }
        switch value {
        case .none: return .null
        case .bool(let flag): return .bool(flag)
        case .int(let number): return .number(number)
        case .float(let double): return .number(.float(double))
        case .string(let text): return .string(text)
        case .list(let items): return .array(items.map { write($0, counts: counts, ids: &ids, available: available) })
        case .dict(let items):
            var object = JSONObject()
            for (key, item) in items { _ = object.updateValue(write(item, counts: counts, ids: &ids, available: available), forKey: key) }
            return .object(object)
        case .bytes(let bytes):
            return marker("__bytes__", JSONObject([("value", .string(String(decoding: bytes, as: UTF8.self)))]))
        case .slice(let start, let stop, let step):
            return marker("__slice__", JSONObject([("start", write(start, counts: counts, ids: &ids, available: available)), ("stop", write(stop, counts: counts, ids: &ids, available: available)),
                                                   ("step", write(step, counts: counts, ids: &ids, available: available))]))
        case .ellipsis:
            return marker("__ellipsis__", JSONObject())
        case .array(let array):
            if array.kind == .numpy && array.shape.isEmpty { return array.nestedList }
            return marker(array.kind.rawValue, JSONObject([("value", array.nestedList), ("dtype", .string(array.dtype))]))
        case .kerasTensor(let tensor):
            let shape = JSONValue.array(tensor.shape.map { $0.map { .number(.integer($0)) } ?? .null })
            return marker("__keras_tensor__", JSONObject([("shape", shape), ("dtype", .string(tensor.dtype)), ("keras_history", .null)]))
        case .lambda(let object):
            return .object(object)
        case .function(let function) where function.isKerasFunction:
            // A Keras function is written by its name, whatever module the file named (observed).
            return .object(JSONObject([
                ("module", .string("builtins")), ("class_name", .string("function")), ("config", .string(function.name)),
                ("registered_name", .string("function")),
            ]))
        case .function(let function):
            return .object(JSONObject([
                ("module", function.module.map(JSONValue.string) ?? .null), ("class_name", .string("function")),
                ("config", .string(function.name)), ("registered_name", function.registeredName.map(JSONValue.string) ?? .null),
            ]))
        case .object(let instance):
            var object = JSONObject([
                ("module", instance.module.map(JSONValue.string) ?? .null), ("class_name", .string(instance.className)),
                ("config", write(instance.config, counts: counts, ids: &ids, available: available)),
                ("registered_name", instance.registeredName.map(JSONValue.string) ?? .null),
            ])
            if let build = instance.buildConfig { _ = object.updateValue(build, forKey: "build_config") }
            if let compile = instance.compileConfig { _ = object.updateValue(compile, forKey: "compile_config") }
            let key = ObjectIdentifier(instance)
            if counts[key, default: 0] > 1 {
                let id = ids[key] ?? ids.count
                ids[key] = id
                _ = object.updateValue(.number(.integer(available[id])), forKey: "shared_object_id")
            }
            return .object(object)
        }
    }
}
