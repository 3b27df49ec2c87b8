/// A byte count printed for people: `512 B`, `14.1 KiB`, `97.8 MiB`.
struct ByteCount: CustomStringConvertible {
    let value: Int

    init(_ value: Int) { self.value = value }

    var description: String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
        var scaled = Double(value)
        var unit = 0
        while scaled >= 1024, unit < units.count - 1 {
            scaled /= 1024
            unit += 1
        }
        if unit == 0 { return "\(value) B" }
        let tenths = (scaled * 10).rounded() / 10
        return "\(tenths) \(units[unit])"
    }
}
