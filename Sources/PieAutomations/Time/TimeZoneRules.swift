/// The UT offsets of one time zone over all of time: the transitions of an IANA zone's TZif file
/// (or none, for a bare POSIX TZ string) followed by its POSIX rule, which is expanded into the
/// table up to `tableEnd` so that most lookups are one binary search.
public struct TimeZoneRules: Sendable, CustomStringConvertible {
    /// "Europe/Berlin", "UTC", a TZ string, or a path from `TZ`.
    public let identifier: String
    /// Ascending instants at which the offset changes.
    let transitions: [Int64]
    /// `offsets[i]`: seconds east of UTC from `transitions[i]` on.
    let offsets: [Int32]
    /// In force before the first transition.
    let initialOffset: Int32
    /// Answers outside the table: before `ruleBefore` (a rule-only zone) and from `ruleFrom` on.
    let rule: PosixTimeZoneRule?
    let ruleBefore: Int64
    let ruleFrom: Int64

    /// The rule is expanded into the table through this year; later instants evaluate it.
    static let tableEndYear = 2200

    public var description: String { identifier }

    /// Coordinated Universal Time, needing no file.
    public static let utc = TimeZoneRules(
        identifier: "UTC", transitions: [], offsets: [], initialOffset: 0, footer: PosixTimeZoneRule(standardOffset: 0, daylight: nil))

    /// Seconds east of UTC in force at `instant`.
    public func offset(at instant: Instant) -> Int32 {
        let time = instant.secondsSinceEpoch
        if let rule, time < ruleBefore || time >= ruleFrom { return rule.offset(at: time) }
        var low = 0
        var high = transitions.count
        while low < high {
            let middle = (low + high) / 2
            if transitions[middle] <= time { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? initialOffset : offsets[low - 1]
    }

    /// Builds the table from a TZif file's data (or nothing) and its footer rule: RFC 8536 applies
    /// the rule after the last transition, and everywhere when there is none.
    init(identifier: String, transitions: [Int64], offsets: [Int32], initialOffset: Int32, footer: PosixTimeZoneRule?) {
        self.identifier = identifier
        self.rule = footer
        var table = (transitions: transitions, offsets: offsets)
        var initial = initialOffset
        var ruleBefore = Int64.min
        var ruleFrom = Int64.max
        if let footer {
            let lastTransition = transitions.last
            if lastTransition == nil { initial = footer.standardOffset }
            if footer.daylight != nil {
                let firstYear = lastTransition.map { CivilDate(daysSinceEpoch: floorDivide($0, 86_400)).year } ?? 1900
                for year in firstYear...max(firstYear, Self.tableEndYear) {
                    for change in footer.transitions(in: year) where change.instant > (lastTransition ?? .min) {
                        Self.append(change, to: &table, initial: initial)
                    }
                }
                if lastTransition == nil { ruleBefore = table.transitions.first ?? .max }
                ruleFrom = footer.transitions(in: max(firstYear, Self.tableEndYear) + 1).first?.instant ?? .max
            } else if lastTransition == nil {
                ruleBefore = .max
            }
        }
        self.transitions = table.transitions
        self.offsets = table.offsets
        self.initialOffset = initial
        self.ruleBefore = ruleBefore
        self.ruleFrom = ruleFrom
    }

    /// Appends a change, merging one at the same instant as the last (the later wins, as in
    /// all-year daylight time) and dropping one that changes nothing.
    private static func append(_ change: (instant: Int64, offset: Int32), to table: inout (transitions: [Int64], offsets: [Int32]), initial: Int32) {
        if table.transitions.last == change.instant {
            table.transitions.removeLast()
            table.offsets.removeLast()
        }
        guard change.offset != (table.offsets.last ?? initial) else { return }
        table.transitions.append(change.instant)
        table.offsets.append(change.offset)
    }
}
