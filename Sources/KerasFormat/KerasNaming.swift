/// Keras's naming rules, for code that reads or writes configs and weights as Keras names them.
public enum KerasNaming {
    /// `keras.src.utils.naming.to_snake_case` (NAM:27-31): the base of a layer's automatic name and of its
    /// path in a weights file (`LSTMCell` -> `lstm_cell`, `ReLU` -> `re_lu`, `PReLU` -> `p_re_lu`).
    public static func snakeCase(_ name: String) -> String {
        let characters = Array(name.filter { $0.isLetter || $0.isNumber || $0 == "_" })
        // (.)([A-Z][a-z]+) → \1_\2, left to right, non-overlapping.
        var first: [Character] = []
        var index = 0
        while index < characters.count {
            if index + 2 < characters.count, isUpper(characters[index + 1]), isLower(characters[index + 2]) {
                var end = index + 2
                while end < characters.count, isLower(characters[end]) { end += 1 }
                first.append(characters[index])
                first.append("_")
                first += characters[(index + 1)..<end]
                index = end
            } else {
                first.append(characters[index])
                index += 1
            }
        }
        // ([a-z])([A-Z]) → \1_\2.
        var second: [Character] = []
        index = 0
        while index < first.count {
            if index + 1 < first.count, isLower(first[index]), isUpper(first[index + 1]) {
                second += [first[index], "_", first[index + 1]]
                index += 2
            } else {
                second.append(first[index])
                index += 1
            }
        }
        return String(second).lowercased()
    }

    /// Python's `[A-Z]` and `[a-z]` are ASCII classes.
    private static func isUpper(_ character: Character) -> Bool { character.isASCII && character.isUppercase }
    private static func isLower(_ character: Character) -> Bool { character.isASCII && character.isLowercase }
}
