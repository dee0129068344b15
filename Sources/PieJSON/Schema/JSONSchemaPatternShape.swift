/// A guard against patterns whose matching can take exponential time. `Regex` backtracks, and a
/// group with an unbounded quantifier inside, itself repeated without bound (`(a+)+`, `(\w*)*`,
/// `(?:x+y)*`), tries exponentially many ways to split a crafted string that fails to match:
/// twenty characters already take minutes. The pattern comes from a server, the string from a
/// model that may be steered by what it read, so such a pattern is refused rather than run.
///
/// Without nesting, backtracking is still polynomial: each unbounded repetition can multiply the
/// work by the string's length (pydantic's `Decimal` pattern, with four, takes half a minute on a
/// thousand zeros and an `x`). So a pattern is checked only on strings up to a length that keeps
/// length^(repetitions + 1) within 10^8 steps; a longer string is reported, not matched.
///
/// Repeated alternatives that overlap (`(a|a)+`) can also backtrack exponentially and are not
/// detected; docs/tools.md says so.
struct JSONSchemaPatternShape: Sendable, Equatable {
    /// The first repeated group that holds an unbounded repetition, as written (`(a+)+`).
    var nestedRepetition: String?
    /// `*`, `+` and `{n,}` outside character classes.
    var unboundedRepetitions = 0

    /// The longest string matched against the pattern; nil for no limit (no unbounded repetition).
    var lengthLimit: Int? {
        guard unboundedRepetitions > 0 else { return nil }
        var limit = 1
        // The largest n with n^(repetitions + 1) <= 10^8.
        while Self.power(limit + 1, unboundedRepetitions + 1) <= 100_000_000 { limit += 1 }
        return limit
    }

    private static func power(_ base: Int, _ exponent: Int) -> Int {
        var result = 1
        for _ in 0..<exponent {
            let (product, overflow) = result.multipliedReportingOverflow(by: base)
            guard !overflow else { return .max }
            result = product
        }
        return result
    }

    init(_ pattern: String) {
        let scalars = Array(pattern.unicodeScalars)
        // For each open group: where it starts and whether something inside repeats without bound.
        var groups: [(start: Int, repeatsInside: Bool)] = []
        var index = 0
        while index < scalars.count {
            if scalars[index] == "(" {
                groups.append((index, false))
                index += 1
                continue
            }
            if scalars[index] == ")", let group = groups.popLast() {
                let quantifier = Self.quantifier(scalars, after: index)
                if quantifier.unbounded {
                    unboundedRepetitions += 1
                    if group.repeatsInside, nestedRepetition == nil {
                        nestedRepetition = String(String.UnicodeScalarView(scalars[group.start..<quantifier.end]))
                    }
                }
                if group.repeatsInside || quantifier.unbounded, !groups.isEmpty {
                    groups[groups.count - 1].repeatsInside = true
                }
                index = quantifier.end
                continue
            }
            // An atom (a character, an escape, a class) and its quantifier.
            var atomEnd = index
            if scalars[index] == "\\" { atomEnd = min(index + 1, scalars.count - 1) }
            if scalars[index] == "[" { atomEnd = Self.endOfClass(scalars, from: index) }
            let quantifier = Self.quantifier(scalars, after: atomEnd)
            if quantifier.unbounded {
                unboundedRepetitions += 1
                if !groups.isEmpty { groups[groups.count - 1].repeatsInside = true }
            }
            index = max(quantifier.end, atomEnd + 1)
        }
    }

    /// The quantifier right after the atom ending at `index`: whether it is unbounded (`*`, `+`,
    /// `{n,}`) and where it ends (past a lazy or possessive suffix).
    private static func quantifier(_ scalars: [Unicode.Scalar], after index: Int) -> (unbounded: Bool, end: Int) {
        var next = index + 1
        guard next < scalars.count else { return (false, next) }
        var unbounded = false
        switch scalars[next] {
        case "*", "+":
            unbounded = true
            next += 1
        case "?":
            next += 1
        case "{":
            var close = next + 1
            while close < scalars.count, scalars[close] != "}" { close += 1 }
            guard close < scalars.count else { return (false, next) }
            let body = String(String.UnicodeScalarView(scalars[(next + 1)..<close]))
            let parts = body.split(separator: ",", omittingEmptySubsequences: false)
            guard parts.count <= 2, parts.allSatisfy({ $0.allSatisfy(\.isNumber) }), !(parts.first?.isEmpty ?? true) else {
                return (false, next)
            }
            unbounded = parts.count == 2 && parts[1].isEmpty
            next = close + 1
        default:
            return (false, next)
        }
        if next < scalars.count, scalars[next] == "?" || scalars[next] == "+" { next += 1 }
        return (unbounded, next)
    }

    /// The index of the `]` closing the class opened at `start` (escapes and a leading `]` or
    /// `^]` taken as members), or the last index when it is never closed.
    private static func endOfClass(_ scalars: [Unicode.Scalar], from start: Int) -> Int {
        var index = start + 1
        if index < scalars.count, scalars[index] == "^" { index += 1 }
        if index < scalars.count, scalars[index] == "]" { index += 1 }
        while index < scalars.count {
            if scalars[index] == "\\" {
                index += 2
                continue
            }
            if scalars[index] == "]" { return index }
            index += 1
        }
        return scalars.count - 1
    }
}
