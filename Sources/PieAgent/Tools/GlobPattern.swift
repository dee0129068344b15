import PiePolicy

/// Shell-style globs on `/`-separated paths, shared by `.gitignore` rules and the `glob` and
/// `pattern` arguments of `grep` and `find`.
///
/// Within a path component: `*` (any run), `?` (one character), `[abc]`, `[a-z]`, `[!x]`/`[^x]`
/// and `\` escapes. A component that is exactly `**` matches zero or more whole components.
struct GlobPattern: Sendable, Equatable {
    private enum Segment: Sendable, Equatable {
        case anyComponents
        case component([Unicode.Scalar])
    }

    private let segments: [Segment]
    /// True when the pattern names a path (has a `/`), false when it names a single component.
    let hasSlash: Bool

    init(_ pattern: String) {
        hasSlash = pattern.utf8.contains(UInt8(ascii: "/"))
        segments = PathBytes.components(pattern).map { part in
            PathBytes.equal(part, "**") ? .anyComponents : .component(Array(part.unicodeScalars))
        }
    }

    /// Matches a whole relative path, given as its components.
    func matches(components: [Substring]) -> Bool {
        Self.match(segments[...], components[...])
    }

    /// Matches a single name (a pattern without `/`).
    func matches(name: Substring) -> Bool {
        matches(components: [name])
    }

    private static func match(_ segments: ArraySlice<Segment>, _ components: ArraySlice<Substring>) -> Bool {
        guard let first = segments.first else { return components.isEmpty }
        switch first {
        case .anyComponents:
            let rest = segments.dropFirst()
            var tail = components
            while true {
                if match(rest, tail) { return true }
                guard !tail.isEmpty else { return false }
                tail = tail.dropFirst()
            }
        case .component(let pattern):
            guard let name = components.first, matchComponent(pattern, Array(name.unicodeScalars)) else { return false }
            return match(segments.dropFirst(), components.dropFirst())
        }
    }

    /// One component, with single-star backtracking (linear in practice).
    static func matchComponent(_ pattern: [Unicode.Scalar], _ name: [Unicode.Scalar]) -> Bool {
        var p = 0
        var n = 0
        var starP: Int?
        var starN = 0
        while n < name.count {
            if p < pattern.count {
                switch pattern[p] {
                case "*":
                    starP = p
                    starN = n
                    p += 1
                    continue
                case "?":
                    p += 1
                    n += 1
                    continue
                case "[":
                    if let (matched, next) = matchClass(pattern, at: p, name[n]) {
                        if matched {
                            p = next
                            n += 1
                            continue
                        }
                    } else if name[n] == "[" {
                        p += 1
                        n += 1
                        continue
                    }
                case "\\" where p + 1 < pattern.count:
                    if pattern[p + 1] == name[n] {
                        p += 2
                        n += 1
                        continue
                    }
                default:
                    if pattern[p] == name[n] {
                        p += 1
                        n += 1
                        continue
                    }
                }
            }
            guard let star = starP else { return false }
            p = star + 1
            starN += 1
            n = starN
        }
        while p < pattern.count && pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }

    /// `[...]` at `start`: whether `scalar` is in the class and the index after `]`, or nil when
    /// the bracket is not closed (it is then a literal `[`).
    private static func matchClass(_ pattern: [Unicode.Scalar], at start: Int, _ scalar: Unicode.Scalar)
        -> (Bool, Int)?
    {
        var index = start + 1
        var negated = false
        if index < pattern.count && (pattern[index] == "!" || pattern[index] == "^") {
            negated = true
            index += 1
        }
        var matched = false
        var first = true
        while index < pattern.count {
            var low = pattern[index]
            if low == "]" && !first { return (matched != negated, index + 1) }
            first = false
            if low == "\\" && index + 1 < pattern.count {
                index += 1
                low = pattern[index]
            }
            if index + 2 < pattern.count && pattern[index + 1] == "-" && pattern[index + 2] != "]" {
                let high = pattern[index + 2]
                if low.value <= scalar.value && scalar.value <= high.value { matched = true }
                index += 3
            } else {
                if low == scalar { matched = true }
                index += 1
            }
        }
        return nil
    }
}
