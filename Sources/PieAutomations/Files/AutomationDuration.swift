/// A length of time written as whole numbers with units, largest first: `45s`, `15m`, `1h30m`,
/// `2d`. No fractions, no spaces, each unit at most once: one spelling per duration, so a file
/// reads the same to a person and to pie.
public struct AutomationDuration: Sendable, Hashable, CustomStringConvertible {
    public let seconds: Int64

    public init(seconds: Int64) { self.seconds = seconds }

    /// The longest duration a file may give (a year): more is certainly a typo.
    public static let maximumSeconds: Int64 = 366 * 86_400

    public static let rule = "whole numbers with units d, h, m, s, largest first, e.g. \"45s\", \"15m\", \"1h30m\""

    /// Parses `text`; nil when it is not a duration, is zero or longer than a year.
    public init?(parsing text: String) {
        let units: [(Character, Int64)] = [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)]
        var total: Int64 = 0
        var digits = ""
        var nextUnit = 0
        for character in text {
            if character.isASCII, character.isNumber {
                guard digits.count < 9 else { return nil }
                digits.append(character)
                continue
            }
            guard !digits.isEmpty, let number = Int64(digits),
                let index = units[nextUnit...].firstIndex(where: { $0.0 == character })
            else { return nil }
            total += number * units[index].1
            nextUnit = index + 1
            digits = ""
        }
        guard digits.isEmpty, total > 0, total <= Self.maximumSeconds else { return nil }
        seconds = total
    }

    /// The canonical spelling: `1h30m`, `45s`, `2d`.
    public var description: String {
        var rest = seconds
        var text = ""
        for (unit, size) in [("d", Int64(86_400)), ("h", 3_600), ("m", 60), ("s", 1)] where rest >= size {
            text += "\(rest / size)\(unit)"
            rest %= size
        }
        return text.isEmpty ? "0s" : text
    }
}
