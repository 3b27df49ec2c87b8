/// Python's `repr(float)` (`float_repr_style == 'short'`) for finite values.
///
/// The digits are the shortest that read back to the same double, closest to it (Swift's
/// `description` computes exactly those); the layout is CPython's `format_float_short` in mode
/// 'r': scientific when the decimal exponent is below -4 or at least 16 (`1e-05`, `1e+16`,
/// `1.5e+300`, at least two exponent digits), positional otherwise with `.0` for integral values.
enum PythonFloatFormatter {
    /// With the value written 0.DDD × 10^decimalPoint, positional notation is used while
    /// `scientificBelow < decimalPoint <= scientificAbove` (CPython: `decpt <= -4 || decpt > 16`).
    private static let scientificBelow = -4
    private static let scientificAbove = 16
    /// Exponents are written with at least this many digits (`%+.02d`).
    private static let minimumExponentDigits = 2
    private static let positiveZero = Array("0.0".utf8)
    private static let negativeZero = Array("-0.0".utf8)

    /// Appends the repr of finite `value`.
    static func append(_ value: Double, to bytes: inout [UInt8]) {
        // CPython Python/pystrtod.c format_float_short, mode 'r', flags Py_DTSF_ADD_DOT_0.
        if value == 0 {
            bytes.append(contentsOf: value.sign == .minus ? negativeZero : positiveZero)
            return
        }
        var text = value.description
        text.withUTF8 { utf8 in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: utf8.count) { digitBuffer in
                var digitCount = 0
                var digitsBeforePoint: Int?
                var exponent = 0
                var exponentNegative = false
                var inExponent = false
                for byte in utf8 {
                    if inExponent {
                        if byte == ASCII.minus {
                            exponentNegative = true
                        } else if ASCII.isDigit(byte) {
                            exponent = exponent * 10 + Int(byte - ASCII.zero)
                        }
                    } else if ASCII.isDigit(byte) {
                        digitBuffer[digitCount] = byte
                        digitCount += 1
                    } else if byte == ASCII.dot {
                        digitsBeforePoint = digitCount
                    } else if byte == ASCII.lowerE || byte == ASCII.upperE {
                        inExponent = true
                    }
                }
                if exponentNegative { exponent = -exponent }
                var first = 0
                while first < digitCount, digitBuffer[first] == ASCII.zero { first += 1 }
                var last = digitCount
                while last > first, digitBuffer[last - 1] == ASCII.zero { last -= 1 }
                let digits = UnsafeBufferPointer(rebasing: digitBuffer[first..<last])
                let decimalPoint = (digitsBeforePoint ?? digitCount) + exponent - first
                layOut(digits: digits, decimalPoint: decimalPoint, negative: value.sign == .minus, to: &bytes)
            }
        }
    }

    /// Writes 0.DIGITS × 10^decimalPoint in the layout of `format_float_short`, mode 'r'.
    private static func layOut(
        digits: UnsafeBufferPointer<UInt8>, decimalPoint: Int, negative: Bool, to bytes: inout [UInt8]
    ) {
        if negative { bytes.append(ASCII.minus) }
        if decimalPoint <= scientificBelow || decimalPoint > scientificAbove {
            bytes.append(digits[0])
            if digits.count > 1 {
                bytes.append(ASCII.dot)
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[1...]))
            }
            bytes.append(ASCII.lowerE)
            let written = decimalPoint - 1
            bytes.append(written < 0 ? ASCII.minus : ASCII.plus)
            let magnitude = Array(String(abs(written)).utf8)
            for _ in magnitude.count..<max(magnitude.count, minimumExponentDigits) { bytes.append(ASCII.zero) }
            bytes.append(contentsOf: magnitude)
        } else if decimalPoint <= 0 {
            bytes.append(ASCII.zero)
            bytes.append(ASCII.dot)
            for _ in 0..<(-decimalPoint) { bytes.append(ASCII.zero) }
            bytes.append(contentsOf: digits)
        } else if decimalPoint >= digits.count {
            bytes.append(contentsOf: digits)
            for _ in 0..<(decimalPoint - digits.count) { bytes.append(ASCII.zero) }
            bytes.append(ASCII.dot)
            bytes.append(ASCII.zero)
        } else {
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[..<decimalPoint]))
            bytes.append(ASCII.dot)
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[decimalPoint...]))
        }
    }
}
