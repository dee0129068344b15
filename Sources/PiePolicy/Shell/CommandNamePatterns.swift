/// A set of command-name patterns: exact names, and names ending in `*` that match by prefix
/// (`cargo-*` matches `cargo-nextest`). Matching is on the whole word after quote removal, so
/// `ls` never matches `lsof`, and a name containing `/` only matches an entry written as that
/// path (`./ls` and `/tmp/ls` are not `ls`). Names are compared as bytes, as `execve` sees them,
/// never by Unicode canonical equivalence (`\u{212A}` is not `K`).
struct CommandNamePatterns: Sendable, Equatable {
    /// Looked up by `String` (no allocation), then confirmed byte for byte: of two canonically
    /// equivalent spellings only the first is kept, so the second never matches (fails closed).
    private var exact: Set<String>
    private var prefixes: [String]

    init(_ patterns: [String]) {
        exact = []
        prefixes = []
        for pattern in patterns {
            if pattern.utf8.last == UInt8(ascii: "*") {
                prefixes.append(String(Substring(pattern.utf8.dropLast())))
            } else {
                exact.insert(pattern)
            }
        }
    }

    var isEmpty: Bool { exact.isEmpty && prefixes.isEmpty }

    func matches(_ name: String) -> Bool {
        if let index = exact.firstIndex(of: name), PathBytes.equal(exact[index], name) { return true }
        return prefixes.contains { Self.prefix($0, matches: name) }
    }

    /// Whether one pattern (as written in `--allow-command`) matches a name.
    static func pattern(_ pattern: String, matches name: String) -> Bool {
        guard pattern.utf8.last == UInt8(ascii: "*") else { return PathBytes.equal(pattern, name) }
        return prefix(String(Substring(pattern.utf8.dropLast())), matches: name)
    }

    /// A wildcard never lets a bare-name entry match a path, nor a path entry reach outside
    /// its directory through `..`.
    private static func prefix(_ prefix: String, matches name: String) -> Bool {
        guard PathBytes.hasPrefix(name, prefix) else { return false }
        let nameHasSlash = name.utf8.contains(UInt8(ascii: "/"))
        if !nameHasSlash { return true }
        guard prefix.utf8.contains(UInt8(ascii: "/")) else { return false }
        return !PathBytes.components(name).contains(where: PathBytes.isDotDot)
    }
}
