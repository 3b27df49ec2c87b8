#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An MS-DOS date and time as zip headers store them: local wall-clock time, two-second resolution,
/// years 1980 to 2107, no time zone.
///
/// Decoding is lossless: ``date`` and ``time`` give back the exact 16-bit fields, even when they hold
/// impossible values (month 0, hour 31); ``isValid`` says whether they do.
public struct DOSDateTime: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// 1980 to 2107.
    public let year: Int
    /// 1 to 12 when valid (the field holds 0 to 15).
    public let month: Int
    /// 1 to 31 when valid (the field holds 0 to 31).
    public let day: Int
    /// 0 to 23 when valid (the field holds 0 to 31).
    public let hour: Int
    /// 0 to 59 when valid (the field holds 0 to 63).
    public let minute: Int
    /// An even number, 0 to 58 when valid (the field holds 0 to 62).
    public let second: Int

    /// Decodes the 16-bit date and time fields of a zip header.
    public init(date: UInt16, time: UInt16) {
        year = 1980 + Int(date >> 9)
        month = Int((date >> 5) & 0x0F)
        day = Int(date & 0x1F)
        hour = Int(time >> 11)
        minute = Int((time >> 5) & 0x3F)
        second = Int(time & 0x1F) * 2
    }

    /// A date and time from its parts, or nil when a part is out of range. Odd seconds round down, as
    /// Python's zipfile does.
    public init?(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        guard (1980...2107).contains(year), (1...12).contains(month), (1...31).contains(day),
              (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second) else { return nil }
        self.init(
            date: UInt16(year - 1980) << 9 | UInt16(month) << 5 | UInt16(day),
            time: UInt16(hour) << 11 | UInt16(minute) << 5 | UInt16(second / 2))
    }

    /// The 16-bit DOS date field.
    public var date: UInt16 { UInt16(year - 1980) << 9 | UInt16(month) << 5 | UInt16(day) }

    /// The 16-bit DOS time field.
    public var time: UInt16 { UInt16(hour) << 11 | UInt16(minute) << 5 | UInt16(second / 2) }

    /// Whether every part is in range (the day is not checked against the month's length).
    public var isValid: Bool {
        (1...12).contains(month) && (1...31).contains(day) && hour <= 23 && minute <= 59 && second <= 58
    }

    /// 1980-01-01 00:00:00, the earliest DOS time and what Python's zipfile writes for `writestr(name, ...)`.
    public static let zipEpoch = DOSDateTime(date: 0x0021, time: 0)

    /// The current local wall-clock time, as Python's zipfile stamps members (`time.localtime()`); times
    /// before 1980 become ``zipEpoch``.
    public static func now() -> DOSDateTime {
        var seconds = currentTime()
        var parts = tm()
        guard localtime_r(&seconds, &parts) != nil else { return zipEpoch }
        return DOSDateTime(
            year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday),
            hour: Int(parts.tm_hour), minute: Int(parts.tm_min), second: min(Int(parts.tm_sec), 59)) ?? zipEpoch
    }

    public static func < (lhs: DOSDateTime, rhs: DOSDateTime) -> Bool {
        (lhs.date, lhs.time) < (rhs.date, rhs.time)
    }

    /// `1980-01-01 00:00:00`.
    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2)) \(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2))"
    }
}

/// `time(2)`, named apart from ``DOSDateTime/time``.
private func currentTime() -> time_t {
    time(nil)
}
