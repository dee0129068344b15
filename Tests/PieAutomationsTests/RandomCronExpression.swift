/// A seeded generator of valid cron expressions for the oracle test: every form of the grammar
/// (single values, names in any case, ranges, steps, `a/step`, lists, `*`), in both day-rule modes.
/// Ranges are always increasing and never `a-a` (croniter reads an equal range as the whole
/// cycle); 7 appears only alone in day-of-week (croniter wraps ranges ending in 7).
struct RandomCronExpression {
    /// SplitMix64: small, seedable, and the same sequence on every machine.
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> String {
        [field(.minute), field(.hour), field(.dayOfMonth), field(.month), field(.dayOfWeek)].joined(separator: " ")
    }

    private mutating func field(_ field: CronFieldKind) -> String {
        switch below(10) {
        case 0, 1: return "*"
        case 2: return "*/\(1 + below(min(field.span, 12)))"
        default:
            let count = below(4) == 0 ? 2 + below(2) : 1
            return (0..<count).map { _ in item(field) }.joined(separator: ",")
        }
    }

    private mutating func item(_ field: CronFieldKind) -> String {
        switch below(5) {
        case 0, 1:
            if field == .dayOfWeek, below(8) == 0 { return "7" }
            return value(field, field.low + below(field.span))
        case 2, 3:
            let low = field.low + below(field.span - 1)
            let high = low + 1 + below(field.low + field.span - 1 - low)
            let step = below(3) == 0 ? "/\(1 + below(field.span))" : ""
            return value(field, low) + "-" + value(field, high) + step
        default:
            return value(field, field.low + below(field.span)) + "/\(1 + below(field.span))"
        }
    }

    /// A number, or (for months and days, half the time) its name in a random case.
    private mutating func value(_ field: CronFieldKind, _ number: Int) -> String {
        guard !field.names.isEmpty, below(2) == 0 else { return "\(number)" }
        let name = field.names[number - field.low]
        switch below(3) {
        case 0: return name
        case 1: return name.uppercased()
        default: return name.prefix(1).uppercased() + name.dropFirst()
        }
    }

    private mutating func below(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        mixed ^= mixed >> 31
        return Int(mixed % UInt64(bound))
    }
}

/// The fields as the generator sees them: the values 0–6 for days of the week (7 separately).
enum CronFieldKind {
    case minute, hour, dayOfMonth, month, dayOfWeek

    var low: Int { self == .dayOfMonth || self == .month ? 1 : 0 }

    var span: Int {
        switch self {
        case .minute: 60
        case .hour: 24
        case .dayOfMonth: 31
        case .month: 12
        case .dayOfWeek: 7
        }
    }

    var names: [String] {
        switch self {
        case .month: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        case .dayOfWeek: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
        default: []
        }
    }
}
