/// Numbers (integers in four bases, floats, inf and nan) and dates and times.
extension TOMLParser {
    // MARK: numbers

    /// An integer or float at the cursor, or nil (cursor unmoved) if none starts there.
    static func number(_ s: inout TOMLScanner) throws(TOMLError) -> TOMLValue? {
        let start = s.pos
        if s.current == "0", let base = s.at(s.pos + 1), let radix = ["x": 16, "o": 8, "b": 2][base] {
            var p = s.pos + 2
            if let digits = digitRun(s, &p, radix: radix) {
                guard let n = Int64(digits, radix: radix) else {
                    throw s.error("integer 0\(base)\(digits) does not fit in 64 bits", at: start)
                }
                s.pos = p
                return .integer(n)
            }
        }
        var p = s.pos
        var text = ""
        if let sign = s.at(p), sign == "+" || sign == "-" {
            text.unicodeScalars.append(sign)
            p += 1
        }
        if let special = ["inf", "nan"].first(where: { s.startsWith($0, at: p) }) {
            s.pos = p + 3
            return .float(special == "nan" ? .nan : (text == "-" ? -.infinity : .infinity))
        }
        guard let first = s.at(p), TOMLScanner.isDigit(first) else { return nil }
        if first == "0" {
            p += 1
            text += "0"
            if let next = s.at(p), TOMLScanner.isDigit(next) || next == "_" {
                throw s.error("leading zeros are not allowed in a number (write 0x, 0o or 0b for other bases)", at: start)
            }
        } else {
            guard let digits = digitRun(s, &p, radix: 10) else { return nil }
            text += digits
        }
        var isFloat = false
        if s.at(p) == ".", let digits = digitRunAfter(s, &p, skipping: 1) {
            text += "." + digits
            isFloat = true
        }
        if let e = s.at(p), e == "e" || e == "E" {
            var q = p + 1
            var sign = ""
            if let c = s.at(q), c == "+" || c == "-" {
                sign = String(c)
                q += 1
            }
            if let digits = digitRun(s, &q, radix: 10) {
                text += "e" + sign + digits
                p = q
                isFloat = true
            }
        }
        s.pos = p
        if isFloat {
            guard let d = Double(text) else { throw s.error("cannot read the float \(text)", at: start) }
            return .float(d)
        }
        guard let n = Int64(text) else {
            throw s.error("integer \(text) does not fit in 64 bits (-9223372036854775808 to 9223372036854775807)", at: start)
        }
        return .integer(n)
    }

    /// Digits of `radix` from `p`, single underscores allowed between them: `1_000`. Nil (p
    /// unmoved) if no digit is at `p`; the run ends before an underscore not followed by a digit.
    private static func digitRun(_ s: TOMLScanner, _ p: inout Int, radix: Int) -> String? {
        func isDigit(_ c: Unicode.Scalar?) -> Bool {
            guard let c, let v = Int(String(c), radix: 16) else { return false }
            return TOMLScanner.isHexDigit(c) && v < radix
        }
        guard isDigit(s.at(p)) else { return nil }
        var out = ""
        while true {
            if isDigit(s.at(p)) {
                out.unicodeScalars.append(s.src[p])
                p += 1
            } else if s.at(p) == "_" && isDigit(s.at(p + 1)) {
                p += 1
            } else {
                return out
            }
        }
    }

    private static func digitRunAfter(_ s: TOMLScanner, _ p: inout Int, skipping: Int) -> String? {
        var q = p + skipping
        guard let digits = digitRun(s, &q, radix: 10) else { return nil }
        p = q
        return digits
    }

    // MARK: dates and times

    /// A date, a date-time or a time at the cursor, or nil (cursor unmoved).
    static func dateTime(_ s: inout TOMLScanner) throws(TOMLError) -> TOMLValue? {
        let start = s.pos
        if let date = dateFields(s, start) {
            var p = start + 10
            var value = TOMLDateTime(date: .init(year: date.0, month: date.1, day: date.2))
            if let sep = s.at(p), sep == "T" || sep == "t" || sep == " ", let (time, end) = timeFields(s, p + 1) {
                value.time = time
                p = end
                if let z = s.at(p), z == "Z" || z == "z" {
                    value.offsetMinutes = 0
                    p += 1
                } else if let sign = s.at(p), sign == "+" || sign == "-", let h = twoDigits(s, p + 1, max: 23),
                    s.at(p + 3) == ":", let m = twoDigits(s, p + 4, max: 59)
                {
                    value.offsetMinutes = (h * 60 + m) * (sign == "-" ? -1 : 1)
                    p += 6
                }
            }
            guard (1...9999).contains(date.0), date.2 <= daysIn(month: date.1, year: date.0) else {
                throw s.error("\(TOMLDateTime(date: value.date)) is not a date of the calendar", at: start)
            }
            s.pos = p
            return .dateTime(value)
        }
        if let (time, end) = timeFields(s, start) {
            s.pos = end
            return .dateTime(TOMLDateTime(time: time))
        }
        return nil
    }

    /// `YYYY-MM-DD` at `p` (month 01-12, day 01-31; whether the day exists is checked after).
    private static func dateFields(_ s: TOMLScanner, _ p: Int) -> (Int, Int, Int)? {
        guard let y = digits(s, p, 4), s.at(p + 4) == "-", let m = twoDigits(s, p + 5, max: 12), m >= 1,
            s.at(p + 7) == "-", let d = twoDigits(s, p + 8, max: 31), d >= 1
        else { return nil }
        return (y, m, d)
    }

    /// `HH:MM:SS` with an optional fraction at `p`, and where it ends.
    private static func timeFields(_ s: TOMLScanner, _ p: Int) -> (TOMLDateTime.Time, Int)? {
        guard let h = twoDigits(s, p, max: 23), s.at(p + 2) == ":", let m = twoDigits(s, p + 3, max: 59),
            s.at(p + 5) == ":", let sec = twoDigits(s, p + 6, max: 59)
        else { return nil }
        var end = p + 8
        var micro = 0
        if s.at(end) == ".", let c = s.at(end + 1), TOMLScanner.isDigit(c) {
            end += 1
            var count = 0
            while let c = s.at(end), TOMLScanner.isDigit(c) {
                if count < 6 { micro = micro * 10 + Int(c.value - 48) }
                count += 1
                end += 1
            }
            for _ in min(count, 6)..<6 { micro *= 10 }
        }
        return (TOMLDateTime.Time(hour: h, minute: m, second: sec, microsecond: micro), end)
    }

    private static func digits(_ s: TOMLScanner, _ p: Int, _ count: Int) -> Int? {
        var v = 0
        for i in 0..<count {
            guard let c = s.at(p + i), TOMLScanner.isDigit(c) else { return nil }
            v = v * 10 + Int(c.value - 48)
        }
        return v
    }

    private static func twoDigits(_ s: TOMLScanner, _ p: Int, max: Int) -> Int? {
        guard let v = digits(s, p, 2), v <= max else { return nil }
        return v
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
