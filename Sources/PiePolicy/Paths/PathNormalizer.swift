/// Lexical path arithmetic: no IO, so it is cheap and deterministic.
public enum PathNormalizer {
    /// Collapses `//`, `.` and `..` of an absolute path. `..` at the root stays at the root.
    public static func normalize(_ path: String) -> String {
        if isNormalized(path) { return path }
        var parts: [Substring] = []
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch component {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(component)
            }
        }
        return "/" + parts.joined(separator: "/")
    }

    /// Absolute, no empty, `.` or `..` component and no trailing slash: the common case, checked
    /// without allocating so hot policy paths skip the split-and-join.
    static func isNormalized(_ path: String) -> Bool {
        let bytes = path.utf8
        guard bytes.first == UInt8(ascii: "/") else { return false }
        if bytes.count == 1 { return true }
        if bytes.last == UInt8(ascii: "/") { return false }
        var previous = UInt8(ascii: "x")
        var componentStart = true
        var componentLength = 0
        var dots = 0
        for byte in bytes {
            if byte == UInt8(ascii: "/") {
                if previous == UInt8(ascii: "/") { return false }
                if !componentStart, componentLength == dots, dots <= 2 { return false }
                componentStart = true
                componentLength = 0
                dots = 0
            } else {
                componentStart = false
                componentLength += 1
                if byte == UInt8(ascii: ".") { dots += 1 }
            }
            previous = byte
        }
        return !(componentLength == dots && dots <= 2)
    }

    /// Joins `relative` onto `base` and normalizes; an absolute `relative` replaces `base`.
    public static func join(_ base: String, _ relative: String) -> String {
        if relative.hasPrefix("/") { return normalize(relative) }
        return normalize(base + "/" + relative)
    }

    /// `path` equals `root` or lies beneath it (component-wise, so `/a/bc` is not within `/a/b`).
    public static func isWithin(_ path: String, _ root: String) -> Bool {
        if root == "/" { return true }
        guard path.hasPrefix(root) else { return false }
        if path.utf8.count == root.utf8.count { return true }
        return path.utf8[path.utf8.index(path.utf8.startIndex, offsetBy: root.utf8.count)] == UInt8(ascii: "/")
    }

    /// Expands `~` and `~/…`; returns nil for `~user`, which pie does not resolve. Other paths pass through.
    public static func expandHome(_ path: String, home: String) -> String? {
        guard path.hasPrefix("~") else { return path }
        if path == "~" { return home }
        if path.hasPrefix("~/") { return home + path.dropFirst(1) }
        return nil
    }

    /// `/proc/<pid>/{root,cwd,exe,fd,map_files,…}` and their `self`/`thread-self` forms: links the
    /// kernel resolves to another process's view of the file system.
    public static func isMagicProcPath(_ path: String) -> Bool {
        guard path.hasPrefix("/proc/") else { return false }
        let parts = path.split(separator: "/")
        guard parts.count >= 3 else { return false }
        var index = 2
        if parts[1] == "thread-self" || parts[1] == "self" || parts[1].allSatisfy(\.isNumber) {
            if parts.count > 3, parts[2] == "task" { index = 4 }
        } else {
            return false
        }
        guard parts.count > index else { return false }
        return ["root", "cwd", "exe", "fd", "map_files", "fdinfo", "ns"].contains(parts[index])
    }
}
