/// Matches one path component against a glob with `*` (any run) and `?` (any one character).
///
/// Deny patterns such as `**/.env.*` reduce to a component glob (`.env.*`) tested against every
/// component of a path, which keeps the check allocation-free and linear.
public struct ComponentGlob: Sendable, Equatable {
    let pattern: [UInt8]

    public init(_ pattern: String) {
        self.pattern = Array(pattern.utf8)
    }

    public func matches<C: Collection>(_ name: C) -> Bool where C.Element == UInt8, C.Index == Int {
        var p = 0
        var n = name.startIndex
        var starP = -1
        var starN = 0
        while n < name.endIndex {
            if p < pattern.count, pattern[p] == UInt8(ascii: "?") || pattern[p] == name[n] {
                p += 1
                n += 1
            } else if p < pattern.count, pattern[p] == UInt8(ascii: "*") {
                starP = p
                starN = n
                p += 1
            } else if starP >= 0 {
                p = starP + 1
                starN += 1
                n = starN
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == UInt8(ascii: "*") { p += 1 }
        return p == pattern.count
    }
}
