/// Parses one field of a cron expression into the set of values it matches, as a bit set
/// (bit n set = value n matches). The grammar is Vixie cron's, with ranges and steps on names:
///
///     field = item ("," item)*
///     item  = ("*" | value | value "-" value | value) ("/" step)?
///     value = digits | three-letter name (month and day-of-week fields, any case)
///
/// `a/step` means `a-highest/step` (Saturday for day-of-week). Anything else (Quartz's `?`, `L`, `W`, `#`, backwards ranges,
/// steps of zero or longer than the field) is refused with a message naming the item.
struct CronFieldParser {
    let field: CronField

    func parse(_ text: String) throws(CronError) -> UInt64 {
        var bits: UInt64 = 0
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard !item.isEmpty else {
                throw CronError(field: field, value: text, "empty list entry in '\(text)'; separate values with single commas")
            }
            bits |= try parseItem(Substring(item))
        }
        return bits
    }

    private func parseItem(_ item: Substring) throws(CronError) -> UInt64 {
        let parts = item.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let base = parts[0]
        var low: Int
        var high: Int
        if base == "*" {
            (low, high) = (field.lowest, field.implicitHighest)
        } else if let dash = base.firstIndex(of: "-") {
            low = try value(base[..<dash], in: item)
            high = try value(base[base.index(after: dash)...], in: item)
            guard low <= high else {
                let (first, last) = Self.decimal(base[..<dash]) == nil
                    ? (field.names.first ?? "", field.names.last ?? "")
                    : ("\(field.lowest)", "\(field.implicitHighest)")
                throw CronError(
                    field: field, value: String(item),
                    "range '\(base)' runs backwards; write it as two ranges: '\(base[..<dash])-\(last),\(first)-\(base[base.index(after: dash)...])'")
            }
        } else {
            low = try value(base, in: item)
            high = parts.count == 2 ? max(low, field.implicitHighest) : low
        }
        var step = 1
        if parts.count == 2 {
            step = try self.step(parts[1], in: item)
        }
        var bits: UInt64 = 0
        for value in stride(from: low, through: high, by: step) {
            bits |= field.bit(for: value)
        }
        return bits
    }

    private func value(_ text: Substring, in item: Substring) throws(CronError) -> Int {
        if let number = Self.decimal(text) {
            guard number >= field.lowest, number <= field.highest else {
                throw CronError(field: field, value: String(text), "\(text) is out of range \(field.lowest)–\(field.highest)")
            }
            return number
        }
        // ASCII case folding in place: names are letters, and no other byte folds onto a letter.
        if let index = field.names.firstIndex(where: { $0.utf8.elementsEqual(text.utf8.lazy.map { $0 | 0x20 }) }) {
            return field.lowest + index
        }
        let context = text == item ? "" : " in '\(item)'"
        throw CronError(field: field, value: String(text), "'\(text)'\(context) is not \(field.valueDescription)")
    }

    private func step(_ text: Substring, in item: Substring) throws(CronError) -> Int {
        guard let step = Self.decimal(text) else {
            throw CronError(field: field, value: String(item), "step '\(text)' in '\(item)' is not a number")
        }
        let span = field.implicitHighest - field.lowest + 1
        guard step >= 1, step <= span else {
            throw CronError(
                field: field, value: String(item),
                "step \(text) in '\(item)' must be 1–\(span): a longer step could only match the first value")
        }
        return step
    }

    /// ASCII digits only (no sign, no spaces), at most four, so a long run of digits is reported
    /// as out of range rather than overflowing.
    static func decimal(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return text.utf8.count > 4 ? Int.max : Int(text)
    }
}
