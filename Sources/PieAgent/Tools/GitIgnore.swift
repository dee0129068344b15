import PiePolicy

/// The rules of one `.gitignore` file, matched the way git matches them.
///
/// Supported: blank lines and `#` comments, `!` negation, `\#`/`\!` escapes, a trailing `/` for
/// directories only, a leading or inner `/` anchoring the pattern to the file's directory, `*`,
/// `?`, `[...]` and `**`. The last matching rule wins. Like git, nothing below an ignored
/// directory can be re-included, because walkers never enter it.
struct GitIgnore: Sendable, Equatable {
    struct Rule: Sendable, Equatable {
        var glob: GlobPattern
        var negated: Bool
        var directoryOnly: Bool
        /// Anchored rules match the whole path relative to the `.gitignore`; others match any name.
        var anchored: Bool
    }

    var rules: [Rule]

    init(_ contents: String) {
        rules = Truncation.lines(contents).compactMap { Self.parse(String($0)) }
    }

    private static func parse(_ line: String) -> Rule? {
        var text = Substring(line)
        if text.hasSuffix("\r") { text = text.dropLast() }
        while text.hasSuffix(" ") && !text.hasSuffix("\\ ") { text = text.dropLast() }
        guard !text.isEmpty, !text.hasPrefix("#") else { return nil }
        var negated = false
        if text.hasPrefix("!") {
            negated = true
            text = text.dropFirst()
        } else if text.hasPrefix("\\!") || text.hasPrefix("\\#") {
            text = text.dropFirst()
        }
        // Slashes are found as bytes, as git does: `a\u{600}/b` is anchored although U+0600 and the
        // `/` form one grapheme cluster.
        let slash = UInt8(ascii: "/")
        var directoryOnly = false
        if text.utf8.last == slash {
            directoryOnly = true
            text = Substring(text.utf8.dropLast())
        }
        let anchored = text.utf8.contains(slash)
        if text.utf8.first == slash { text = Substring(text.utf8.dropFirst()) }
        guard !text.isEmpty else { return nil }
        return Rule(glob: GlobPattern(String(text)), negated: negated, directoryOnly: directoryOnly, anchored: anchored)
    }

    /// true: ignored, false: re-included by a negation, nil: no rule speaks about the path.
    func verdict(relativePath components: [Substring], isDirectory: Bool) -> Bool? {
        guard let name = components.last else { return nil }
        var verdict: Bool?
        for rule in rules where !rule.directoryOnly || isDirectory {
            let hit = rule.anchored ? rule.glob.matches(components: components) : rule.glob.matches(name: name)
            if hit { verdict = !rule.negated }
        }
        return verdict
    }
}

/// The `.gitignore` files in effect for a directory: its own and its ancestors', outermost first.
struct GitIgnoreStack: Sendable {
    private var files: [(directory: String, rules: GitIgnore)] = []

    func adding(_ rules: GitIgnore, in directory: String) -> GitIgnoreStack {
        guard !rules.rules.isEmpty else { return self }
        var copy = self
        copy.files.append((directory, rules))
        return copy
    }

    func isIgnored(_ path: String, isDirectory: Bool) -> Bool {
        var ignored = false
        for file in files {
            guard let relative = ToolPath.relative(path, to: file.directory) else { continue }
            let components = PathBytes.components(relative)
            if let verdict = file.rules.verdict(relativePath: components, isDirectory: isDirectory) {
                ignored = verdict
            }
        }
        return ignored
    }
}
