import KerasJSON

/// `np.array(value, dtype=dtype)` (`__numpy__`) and `jnp.asarray(value, dtype=dtype)` (`__tensor__`, JAX with
/// 64-bit types off) on the JSON of a marker, with NumPy 2's conversion rules (observed with NumPy 2.4 and
/// JAX 0.10): the shape is the nesting of equal-length lists (ragged nesting is an error); a float element
/// of an integer dtype is truncated toward zero, then range-checked (NaN, infinities and magnitudes of
/// 2^63 and above are errors, as `int(x)` into a C long is); an integer out of the dtype's range is an error;
/// bools are 0 and 1; None is NaN in a NumPy float array, False in a NumPy bool array, and an error
/// elsewhere. A null dtype infers one: bool when every element is, else int (int64 in NumPy, int32 in JAX)
/// when every element is an int or bool, else float (float64 in NumPy, float32 in JAX).
enum ArrayConversion {
    /// The array of a `__numpy__` or `__tensor__` config located at `pointer`.
    static func array(_ kind: KerasArray.Kind, value: JSONValue, dtype: JSONValue, _ pointer: String) throws(ReferenceError) -> KerasArray {
        var shape: [Int] = []
        var leaves: [JSONValue] = []
        try flatten(value, shape: &shape, leaves: &leaves, pointer + "/value")
        var type: ArrayDType
        switch dtype {
        case .null:
            guard leaves.allSatisfy({ $0.boolValue != nil || $0.numberValue != nil }) else {
                throw ValueDeserializer.invalid("no dtype, and elements that are not numbers (an object array)", pointer + "/value")
            }
            type = infer(leaves)
        case .string(let name):
            // NumPy also takes Python's type names: `np.dtype("float")` is float64, `np.dtype("int")` int64.
            let aliases: [String: ArrayDType] = kind == .numpy ? ["float": .float64, "int": .int64] : [:]
            // bfloat16 and float8 too: NumPy alone lacks them, but Keras with JAX imports `ml_dtypes`, which registers them.
            guard let known = ArrayDType(rawValue: name) ?? aliases[name] else {
                throw ValueDeserializer.invalid(kind == .tensor ? "Invalid dtype: \(name)" : "data type '\(name)' not understood", pointer + "/dtype")
            }
            type = known
        default:
            throw ValueDeserializer.invalid("dtype is \(ValueDeserializer.kind(dtype)), not a str", pointer + "/dtype")
        }
        if kind == .tensor { type = type.jaxNarrowed }
        let elements = try convert(leaves, to: type, kind: kind, pointer + "/value")
        return KerasArray(kind: kind, dtype: type.rawValue, shape: shape, elements: elements)
    }

    /// The shape of nested lists (NumPy's discovery: every list at one depth has the same length and the
    /// same depth below it) and the leaves in C order.
    private static func flatten(_ value: JSONValue, shape: inout [Int], leaves: inout [JSONValue], _ pointer: String) throws(ReferenceError) {
        var level: [JSONValue] = [value]
        var dimensions: [Int] = []
        while true {
            let lists = level.compactMap(\.arrayValue)
            if lists.isEmpty { break }
            guard lists.count == level.count, let length = lists.first?.count, lists.allSatisfy({ $0.count == length }) else {
                throw ValueDeserializer.invalid("setting an array element with a sequence: the nested lists have an inhomogeneous shape "
                    + "after \(dimensions.count) dimensions", pointer)
            }
            dimensions.append(length)
            guard dimensions.count <= ValueDeserializer.maxDimensions else {
                throw ValueDeserializer.invalid("more than \(ValueDeserializer.maxDimensions) dimensions", pointer)
            }
            level = lists.flatMap { $0 }
            if length == 0 { break }
        }
        shape = dimensions
        leaves = level
    }

    private static func infer(_ leaves: [JSONValue]) -> ArrayDType {
        if leaves.allSatisfy({ $0.boolValue != nil }) && !leaves.isEmpty { return .bool }
        if leaves.allSatisfy({ $0.boolValue != nil || $0.numberValue?.isInteger == true }) && !leaves.isEmpty { return .int64 }
        return .float64
    }

    private static func convert(_ leaves: [JSONValue], to type: ArrayDType, kind: KerasArray.Kind, _ pointer: String) throws(ReferenceError) -> KerasArray.Elements {
        func fail(_ reason: String) -> ReferenceError { ValueDeserializer.invalid(reason, pointer) }
        if type.isFloat {
            var values: [Double] = []
            values.reserveCapacity(leaves.count)
            for leaf in leaves {
                switch leaf {
                case .null where kind == .numpy: values.append(.nan)
                case .bool(let flag): values.append(flag ? 1 : 0)
                case .number(let number):
                    guard let double = number.doubleValue, double.isFinite || !number.isInteger else { throw fail("int too large to convert to float") }
                    if type == .bfloat16, number.isInteger {
                        // ml_dtypes converts a Python int through int64 (NumPy) or JAX's int32: beyond, an error.
                        let bound: ClosedRange<Int128> = kind == .tensor ? Int128(Int32.min)...Int128(Int32.max) : Int128(Int64.min)...Int128(Int64.max)
                        guard let integer = number.integerDecimal.flatMap({ Int128($0) }), bound.contains(integer) else {
                            throw fail("Python integer \(number) out of bounds for \(kind == .tensor ? "int32" : "int64") (bfloat16 conversion)")
                        }
                    }
                    values.append(type.round(double))
                case .string(let text):
                    guard let double = PythonNumberText.float(text) else { throw fail("could not convert string to float: '\(text)'") }
                    values.append(type.round(double))
                default: throw fail("could not convert \(ValueDeserializer.kind(leaf)) to float")
                }
            }
            return .floats(values)
        }
        if type.isBool {
            var values: [Bool] = []
            values.reserveCapacity(leaves.count)
            for leaf in leaves {
                switch leaf {
                case .null where kind == .numpy: values.append(false)
                case .bool(let flag): values.append(flag)
                case .number(let number):
                    values.append(number.isInteger ? number.integerDecimal.flatMap { Int128($0) } != 0 : number.doubleValue != 0)
                case .string(let text): values.append(!text.isEmpty)
                default: throw fail("could not convert \(ValueDeserializer.kind(leaf)) to bool")
                }
            }
            return .bools(values)
        }
        guard let range = type.integerRange else { throw fail("unsupported dtype \(type.rawValue)") }
        var integers: [Int128] = []
        integers.reserveCapacity(leaves.count)
        for leaf in leaves {
            switch leaf {
            case .bool(let flag): integers.append(flag ? 1 : 0)
            case .number(let number) where number.isInteger:
                guard let decimal = number.integerDecimal, let integer = Int128(decimal), range.contains(integer) else {
                    throw fail("Python integer \(number) out of bounds for \(type.rawValue)")
                }
                integers.append(integer)
            case .string(let text):
                guard let decimal = PythonNumberText.integer(text) else { throw fail("invalid literal for int() with base 10: '\(text)'") }
                guard let integer = Int128(decimal), range.contains(integer) else { throw fail("Python integer \(decimal) out of bounds for \(type.rawValue)") }
                integers.append(integer)
            case .number(let number):
                guard let double = number.doubleValue, !double.isNaN else { throw fail("cannot convert float NaN to integer") }
                guard double.isFinite else { throw fail("cannot convert float infinity to integer") }
                let truncated = double.rounded(.towardZero)
                guard abs(truncated) < 0x1p63 else { throw fail("Python int too large to convert to C long") }
                let integer = Int128(Int64(truncated))
                guard range.contains(integer) else { throw fail("Python integer \(integer) out of bounds for \(type.rawValue)") }
                integers.append(integer)
            default:
                throw fail("int() argument must be a real number, not \(ValueDeserializer.kind(leaf))")
            }
        }
        return type.isSigned ? .signed(integers.map { Int64($0) }) : .unsigned(integers.map { UInt64($0) })
    }
}
