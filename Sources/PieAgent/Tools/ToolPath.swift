import PiePolicy

/// pi's path handling for tool arguments.
///
/// Models copy paths from prompts (`@src/a.ts`), from macOS screenshots (narrow no-break spaces)
/// and from shell habits (`~/x`); pi accepts all of them, so models trained on it expect that.
/// Confinement is not done here: the policy judges the resolved path and the file backend
/// enforces it.
public enum ToolPath {
    /// The odd spaces pi turns into a plain space before resolving.
    static let oddSpaces: Set<Unicode.Scalar> = [
        "\u{00A0}", "\u{2000}", "\u{2001}", "\u{2002}", "\u{2003}", "\u{2004}", "\u{2005}", "\u{2006}",
        "\u{2007}", "\u{2008}", "\u{2009}", "\u{200A}", "\u{202F}", "\u{205F}", "\u{3000}",
    ]

    /// Strips a leading `@`, normalises odd spaces and expands a leading `~` or `~/` (not `~user`).
    public static func expand(_ path: String, home: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in path.unicodeScalars {
            scalars.append(oddSpaces.contains(scalar) ? " " : scalar)
        }
        var text = String(scalars)
        if PathBytes.hasPrefix(text, "@") { text = PathBytes.dropFirst(text, bytes: 1) }
        if PathBytes.equal(text, "~") { return home }
        if PathBytes.hasPrefix(text, "~/") { return home + PathBytes.dropFirst(text, bytes: 1) }
        return text
    }

    /// `expand`, then resolve against `cwd` and normalise `.` and `..` lexically.
    public static func resolve(_ path: String, cwd: String, home: String) -> String {
        PathNormalizer.join(cwd, expand(path, home: home))
    }

    /// `path` relative to `base` with forward slashes, or nil when it is not beneath `base`.
    /// Split on bytes, like every path operation (`PathBytes`).
    static func relative(_ path: String, to base: String) -> String? {
        PathBytes.relative(path, to: base)
    }

    static func basename(_ path: String) -> String {
        PathBytes.lastComponent(path)
    }

    static func parent(_ path: String) -> String {
        PathBytes.parent(path) ?? "/"
    }
}
