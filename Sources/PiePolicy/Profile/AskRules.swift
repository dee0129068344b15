/// The calls a person must approve one by one: `ask_commands` and `ask_paths`.
///
/// An ask only holds back what every other check allowed; a deny always wins. Matching leans
/// towards asking: what cannot be seen (an argument known only at run time, arguments `xargs`
/// adds, a script a shell reads) counts as matching, because an ask a pattern missed would run
/// unapproved.
public struct AskRules: Sendable, Equatable {
    /// `ask_commands` as written: words separated by spaces, e.g. `git push*`.
    public private(set) var commands: [String]
    /// `ask_paths` resolved: absolute normalized paths (a path and everything below it).
    public private(set) var paths: [String]
    /// `ask_paths` entries written `**/NAME`: NAME (a component glob) anywhere.
    public private(set) var namePatterns: [String]
    /// Each path entry as the user wrote it, by resolved path, for reasons.
    private var written: [String: String]

    public static let none = AskRules(commands: [], paths: [], home: "/", projectRoot: "/")

    /// `paths` entries are absolute, `~/…` or relative to `projectRoot`; `**/NAME` is a name pattern.
    public init(commands: [String], paths entries: [String], home: String, projectRoot: String) {
        self.commands = commands.filter { !Self.words($0).isEmpty }
        paths = []
        namePatterns = []
        written = [:]
        for entry in entries {
            if PathBytes.hasPrefix(entry, "**/") {
                namePatterns.append(PathBytes.dropFirst(entry, bytes: 3))
                continue
            }
            let expanded = PathNormalizer.expandHome(entry, home: home) ?? entry
            let absolute = PathNormalizer.normalize(PathNormalizer.join(projectRoot, expanded))
            for path in [absolute, PathResolver.canonicalize(absolute)] where !paths.contains(path) {
                paths.append(path)
                written[path] = entry
            }
        }
    }

    public var isEmpty: Bool { commands.isEmpty && paths.isEmpty && namePatterns.isEmpty }

    /// The `ask_commands` pattern a command matches. The pattern's first word is the command
    /// name (as `allow_commands` matches it, or the last component of a name written as a
    /// path); each later word must appear, in order, among the arguments, not necessarily
    /// next to each other (`git -C . push` is `git push`). A word ending in `*` matches by
    /// prefix. `nil` arguments are only known at run time and match any word.
    public func command(named name: String, arguments: [String?], unknownArguments: Bool) -> String? {
        let base = PathBytes.lastComponent(name)
        for pattern in commands {
            let words = Self.words(pattern)
            guard let first = words.first.map(String.init),
                CommandNamePatterns.pattern(first, matches: name) || CommandNamePatterns.pattern(first, matches: base)
            else { continue }
            var remaining = words.dropFirst()[...]
            for argument in arguments {
                guard let next = remaining.first else { break }
                if argument.map({ Self.word(next, matches: $0) }) ?? true { remaining = remaining.dropFirst() }
            }
            if remaining.isEmpty || unknownArguments { return pattern }
        }
        return nil
    }

    /// The `ask_paths` entry (as written) that covers a normalized absolute path being written.
    public func path(_ path: String) -> String? {
        for entry in paths where PathNormalizer.isWithin(path, entry) { return written[entry] ?? entry }
        for component in path.utf8.split(separator: UInt8(ascii: "/")) {
            for glob in namePatterns where ComponentGlob(glob).matches(Array(component)) { return "**/" + glob }
        }
        return nil
    }

    /// The `ask_paths` entry a recursive write of everything below `path` may reach: an entry
    /// at or below it, or any `**/NAME` entry (what lies below cannot be judged by name).
    public func tree(_ path: String) -> String? {
        if let entry = self.path(path) { return entry }
        for entry in paths where PathNormalizer.isWithin(entry, path) { return written[entry] ?? entry }
        return namePatterns.first.map { "**/" + $0 }
    }

    private static func words(_ pattern: String) -> [Substring] {
        pattern.split(separator: " ", omittingEmptySubsequences: true)
    }

    private static func word(_ pattern: Substring, matches argument: String) -> Bool {
        guard pattern.utf8.last == UInt8(ascii: "*") else { return PathBytes.equal(pattern, argument) }
        return PathBytes.hasPrefix(argument, Substring(pattern.utf8.dropLast()))
    }
}
