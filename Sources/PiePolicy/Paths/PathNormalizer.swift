/// Lexical path arithmetic: no IO, so it is cheap and deterministic. Every operation works on
/// UTF-8 bytes (`PathBytes`), as the kernel does, never on grapheme clusters.
public enum PathNormalizer {
    /// Collapses `//`, `.` and `..` of an absolute path. `..` at the root stays at the root.
    public static func normalize(_ path: String) -> String {
        if isNormalized(path) { return path }
        return PathBytes.withBytes(of: path, normalized(_:))
    }

    /// The slow path of `normalize`, on the path's bytes: components are copied into one buffer
    /// and a `..` cuts it back to its last `/`, so nothing is split into substrings and joined.
    private static func normalized(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + 1)
        var index = 0
        while index < bytes.count {
            if bytes[index] == PathBytes.slash {
                index += 1
                continue
            }
            var end = index
            while end < bytes.count, bytes[end] != PathBytes.slash { end += 1 }
            let length = end - index
            if length == 1, bytes[index] == PathBytes.dot {
                // `.` names the directory it is in.
            } else if length == 2, bytes[index] == PathBytes.dot, bytes[index + 1] == PathBytes.dot {
                if let lastSlash = output.lastIndex(of: PathBytes.slash) { output.removeSubrange(lastSlash...) }
            } else {
                output.append(PathBytes.slash)
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<end]))
            }
            index = end
        }
        if output.isEmpty { return "/" }
        // Cut only at `/` bytes of a valid string, so the bytes are valid UTF-8.
        return String(decoding: output, as: UTF8.self)
    }

    /// Absolute, no empty, `.` or `..` component and no trailing slash: the common case, checked
    /// without allocating so hot policy paths skip the slow path. Walks the contiguous bytes:
    /// iterating `String.UTF8View` costs tens of instructions a byte, and every file a tool
    /// touches is checked here several times.
    static func isNormalized(_ path: String) -> Bool {
        PathBytes.withBytes(of: path, isNormalized(_:))
    }

    private static func isNormalized(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.first == PathBytes.slash else { return false }
        if bytes.count == 1 { return true }
        if bytes.last == PathBytes.slash { return false }
        var previous = UInt8(ascii: "x")
        var componentStart = true
        var componentLength = 0
        var dots = 0
        for byte in bytes {
            if byte == PathBytes.slash {
                if previous == PathBytes.slash { return false }
                if !componentStart, componentLength == dots, dots <= 2 { return false }
                componentStart = true
                componentLength = 0
                dots = 0
            } else {
                componentStart = false
                componentLength += 1
                if byte == PathBytes.dot { dots += 1 }
            }
            previous = byte
        }
        return !(componentLength == dots && dots <= 2)
    }

    /// Joins `relative` onto `base` and normalizes; an absolute `relative` replaces `base`.
    public static func join(_ base: String, _ relative: String) -> String {
        if PathBytes.isAbsolute(relative) { return normalize(relative) }
        return normalize(base + "/" + relative)
    }

    /// `path` equals `root` or lies beneath it (component-wise, so `/a/bc` is not within `/a/b`),
    /// comparing bytes: `String.hasPrefix` compares grapheme clusters by canonical equivalence.
    public static func isWithin(_ path: String, _ root: String) -> Bool {
        PathBytes.withBytes(of: path) { pathBytes in
            PathBytes.withBytes(of: root) { rootBytes in PathBytes.isWithin(pathBytes, rootBytes) }
        }
    }

    /// Expands `~` and `~/…`; returns nil for `~user`, which pie does not resolve. Other paths pass through.
    public static func expandHome(_ path: String, home: String) -> String? {
        guard PathBytes.hasPrefix(path, "~") else { return path }
        if PathBytes.equal(path, "~") { return home }
        if PathBytes.hasPrefix(path, "~/") { return home + PathBytes.dropFirst(path, bytes: 1) }
        return nil
    }

    /// `/proc/<pid>/{root,cwd,exe,fd,map_files,…}` and their `self`/`thread-self` forms: links the
    /// kernel resolves to another process's view of the file system.
    public static func isMagicProcPath(_ path: String) -> Bool {
        guard PathBytes.hasPrefix(path, "/proc/") else { return false }
        let parts = PathBytes.components(path)
        guard parts.count >= 3 else { return false }
        var index = 2
        let process = parts[1]
        if PathBytes.equal(process, "thread-self") || PathBytes.equal(process, "self")
            || process.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        {
            if parts.count > 3, PathBytes.equal(parts[2], "task") { index = 4 }
        } else {
            return false
        }
        guard parts.count > index else { return false }
        return ["root", "cwd", "exe", "fd", "map_files", "fdinfo", "ns"].contains { PathBytes.equal(parts[index], $0) }
    }
}
