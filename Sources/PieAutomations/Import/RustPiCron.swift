/// Converts rust-pi's cron expressions (Rust's `cron` crate: `sec min hour dom month dow [year]`,
/// days of the week 1–7 from Sunday, `start/step` without a range) to the 5-field Vixie form.
///
/// Only expressions that mean the same thing both ways are converted: the seconds field must be
/// `0` (five fields cannot fire at other seconds), the year `*` (five fields have no year), and
/// day-of-month and day-of-week may not both be restricted (the crate requires both to match,
/// Vixie cron either, unless one of them starts with `*`).
public enum RustPiCron {
    public static func convert(_ expression: String) -> Result<String, ImportRefusal> {
        let fields = expression.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 6 || fields.count == 7 else {
            return .failure(.init("cron '\(expression)' has \(fields.count) fields; rust-pi's have 6 or 7 (seconds first, year last)"))
        }
        guard fields[0] == "0" else {
            return .failure(.init("cron '\(expression)' fires at second '\(fields[0])'; a 5-field cron fires only at second 0"))
        }
        if fields.count == 7, fields[6] != "*" {
            return .failure(.init("cron '\(expression)' restricts the year to '\(fields[6])'; a 5-field cron has no year"))
        }
        let dayOfMonth = fields[3], dayOfWeek = fields[5]
        // Vixie cron ANDs the day fields as the crate does only when one of them starts with `*`.
        let starred = { (field: String) in field.hasPrefix("*") || field == "?" }
        if !starred(dayOfMonth), !starred(dayOfWeek) {
            return .failure(.init(
                "cron '\(expression)' restricts both day-of-month and day-of-week: rust-pi runs when both match, "
                    + "a 5-field cron when either does; write two automations or rewrite it by hand"))
        }
        let maxima = [59, 23, 31, 12]
        var converted: [String] = []
        for (index, field) in fields[1...4].enumerated() {
            converted.append(field == "?" ? "*" : expandStart(field, maximum: maxima[index]))
        }
        guard let weekdays = dayOfWeek == "?" ? "*" : weekdays(dayOfWeek) else {
            return .failure(.init("cron '\(expression)': day-of-week '\(dayOfWeek)' is not 1–7 (Sunday = 1) or day names"))
        }
        converted.append(weekdays)
        return .success(converted.joined(separator: " "))
    }

    /// `5/15` (the crate's "from 5, every 15") → `5-59/15`, which Vixie cron reads the same way.
    private static func expandStart(_ field: String, maximum: Int) -> String {
        field.split(separator: ",", omittingEmptySubsequences: false).map { item -> String in
            let parts = item.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, let start = Int(parts[0]) else { return String(item) }
            return "\(start)-\(maximum)/\(parts[1])"
        }.joined(separator: ",")
    }

    /// Day numbers 1–7 (Sunday first) → 0–6; names unchanged. Nil for a number out of range.
    private static func weekdays(_ field: String) -> String? {
        var items: [String] = []
        for item in field.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = item.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            var bounds: [String] = []
            for bound in parts[0].split(separator: "-", omittingEmptySubsequences: false) {
                guard let number = Int(bound) else {
                    bounds.append(String(bound))
                    continue
                }
                guard (1...7).contains(number) else { return nil }
                bounds.append(String(number - 1))
            }
            var text = bounds.joined(separator: "-")
            if parts.count == 2 {
                if bounds.count == 1, bounds[0] != "*" { text += "-6" }
                text += "/" + parts[1]
            }
            items.append(text)
        }
        return items.joined(separator: ",")
    }
}

/// Why one event file was not imported.
public struct ImportRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
