/// Builds the plain-text reports: sections, aligned fields and tables.
struct TextOutput {
    private(set) var text = ""

    mutating func line(_ string: String) {
        text += string + "\n"
    }

    mutating func field(_ name: String, _ value: String) {
        line("  " + name.padding(to: 12) + value)
    }

    mutating func section(_ title: String) {
        line("")
        line(title)
    }

    /// Rows with the first as a header; columns padded to their widest cell.
    mutating func table(_ rows: [[String]], rightAligned: Set<Int> = []) {
        guard let columns = rows.map(\.count).max() else { return }
        var widths = [Int](repeating: 0, count: columns)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        for row in rows {
            var cells: [String] = []
            for (index, cell) in row.enumerated() {
                let isLast = index == row.count - 1
                if rightAligned.contains(index) {
                    cells.append(String(repeating: " ", count: widths[index] - cell.count) + cell)
                } else {
                    cells.append(isLast ? cell : cell.padding(to: widths[index]))
                }
            }
            line("  " + cells.joined(separator: "  "))
        }
    }
}

extension String {
    /// The string padded with spaces to `width` characters.
    func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
