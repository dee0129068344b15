/// A set of command-name patterns: exact names, and names ending in `*` that match by prefix
/// (`cargo-*` matches `cargo-nextest`). Matching is on the whole word after quote removal, so
/// `ls` never matches `lsof`, and a name containing `/` only matches an entry written as that
/// path (`./ls` and `/tmp/ls` are not `ls`).
struct CommandNamePatterns: Sendable, Equatable {
    private var exact: Set<String>
    private var prefixes: [String]

    init(_ patterns: [String]) {
        exact = []
        prefixes = []
        for pattern in patterns {
            if pattern.hasSuffix("*") {
                prefixes.append(String(pattern.dropLast()))
            } else {
                exact.insert(pattern)
            }
        }
    }

    var isEmpty: Bool { exact.isEmpty && prefixes.isEmpty }

    func matches(_ name: String) -> Bool {
        exact.contains(name) || prefixes.contains { Self.prefix($0, matches: name) }
    }

    /// Whether one pattern (as written in `--allow-command`) matches a name.
    static func pattern(_ pattern: String, matches name: String) -> Bool {
        guard pattern.hasSuffix("*") else { return pattern == name }
        return prefix(String(pattern.dropLast()), matches: name)
    }

    /// A wildcard never lets a bare-name entry match a path, nor a path entry reach outside
    /// its directory through `..`.
    private static func prefix(_ prefix: String, matches name: String) -> Bool {
        guard name.hasPrefix(prefix) else { return false }
        let nameHasSlash = name.utf8.contains(UInt8(ascii: "/"))
        if !nameHasSlash { return true }
        guard prefix.utf8.contains(UInt8(ascii: "/")) else { return false }
        return !name.split(separator: "/").contains("..")
    }
}
