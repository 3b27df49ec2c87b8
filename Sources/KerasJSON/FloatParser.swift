/// Python's `float(text)` for a lexeme the JSON number grammar has accepted: correctly rounded,
/// `1e400` to infinity, `1e-400` to zero, the sign of zero kept.
enum FloatParser {
    /// Below 2^53 every integer is exact in a `Double`; 15 digits stay below it.
    private static let exactDigits = 15
    /// Powers of ten up to 10^22 are exact in a `Double`.
    private static let exactPowers: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// The value of `lexeme` (`-?digits(.digits)?([eE][+-]?digits)?`).
    static func parse(_ lexeme: UnsafeBufferPointer<UInt8>) -> Double {
        // Clinger's fast path: an exact mantissa times an exact power of ten is one correctly rounded operation.
        if let value = fastPath(lexeme) { return value }
        return Double(String(decoding: lexeme, as: UTF8.self)) ?? .nan
    }

    private static func fastPath(_ lexeme: UnsafeBufferPointer<UInt8>) -> Double? {
        var index = 0
        let negative = lexeme[0] == ASCII.minus
        if negative { index += 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var fractionDigits = 0
        var inFraction = false
        while index < lexeme.count {
            let byte = lexeme[index]
            if ASCII.isDigit(byte) {
                if mantissa != 0 || byte != ASCII.zero { digits += 1 }
                guard digits <= exactDigits else { return nil }
                mantissa = mantissa * 10 + UInt64(byte - ASCII.zero)
                if inFraction { fractionDigits += 1 }
            } else if byte == ASCII.dot {
                inFraction = true
            } else {
                break
            }
            index += 1
        }
        var exponent = 0
        if index < lexeme.count {
            index += 1
            var exponentNegative = false
            if lexeme[index] == ASCII.minus || lexeme[index] == ASCII.plus {
                exponentNegative = lexeme[index] == ASCII.minus
                index += 1
            }
            let exponentDigits = lexeme.count - index
            guard exponentDigits <= 3 else { return nil }
            while index < lexeme.count {
                exponent = exponent * 10 + Int(lexeme[index] - ASCII.zero)
                index += 1
            }
            if exponentNegative { exponent = -exponent }
        }
        let scale = exponent - fractionDigits
        let magnitude: Double
        if scale >= 0 {
            guard scale < exactPowers.count else { return nil }
            magnitude = Double(mantissa) * exactPowers[scale]
        } else {
            guard -scale < exactPowers.count else { return nil }
            magnitude = Double(mantissa) / exactPowers[-scale]
        }
        return negative ? -magnitude : magnitude
    }
}
