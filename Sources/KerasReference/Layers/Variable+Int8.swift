import KerasBytes

extension Variable {
    /// Assigns int8 `values` (a quantized kernel, an int4 zero point), stored and saved as int8.
    public func assign(int8 values: [Int8]) throws(ReferenceError) {
        guard values.count == self.values.count else {
            throw ReferenceError(ReferenceError.Code.variableShapeMismatch, "\(values.count) values for a variable of shape \(shape)", at: name)
        }
        try assign(bytes: ByteView(copying: values.map { UInt8(bitPattern: $0) }), dtype: "int8", shape: shape)
    }
}
