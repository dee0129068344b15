#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns a requested path into the absolute paths the policy judges. The only IO in PiePolicy:
/// `realpath` on the deepest existing ancestor, so symlinks (including ones in a root's parents)
/// are seen for what they point at.
public enum PathResolver {
    public struct Resolved: Sendable, Equatable {
        /// Absolute, `.`/`..` collapsed by text: what the file backend opens beneath a root.
        public var lexical: String
        /// Symlinks resolved through the deepest existing ancestor: where the kernel would land.
        public var canonical: String
    }

    /// Checks the request's shape, expands `~`, and makes it absolute against `cwd`.
    public static func absolute(_ requested: String, cwd: String, home: String) -> Result<String, PolicyError> {
        if requested.isEmpty {
            return .failure(PolicyError("the path is empty; give a file or directory path"))
        }
        if requested.utf8.contains(0) {
            return .failure(PolicyError("the path contains a NUL byte, which no file name can hold"))
        }
        guard let expanded = PathNormalizer.expandHome(requested, home: home) else {
            return .failure(PolicyError("'\(requested)' names another user's home (~user), which pie does not resolve; use an absolute path"))
        }
        return .success(PathNormalizer.join(cwd, expanded))
    }

    /// Resolves an absolute path both lexically and canonically.
    public static func resolve(_ absolutePath: String) -> Resolved {
        let lexical = PathNormalizer.normalize(absolutePath)
        return Resolved(lexical: lexical, canonical: canonicalize(absolutePath))
    }

    /// `realpath` of the longest existing prefix, then the rest appended and collapsed by text.
    public static func canonicalize(_ absolutePath: String) -> String {
        var existing = absolutePath
        var missing: [Substring] = []
        while true {
            if let real = realPath(existing) {
                let rest = missing.reversed().joined(separator: "/")
                return rest.isEmpty ? real : PathNormalizer.join(real, rest)
            }
            guard let parent = PathBytes.parent(existing), !PathBytes.equal(existing, "/") else {
                return PathNormalizer.normalize(absolutePath)
            }
            let separator = parent.utf8.count == 1 ? 1 : parent.utf8.count + 1
            missing.append(Substring(PathBytes.dropFirst(existing, bytes: separator)))
            existing = parent
        }
    }

    static func realPath(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }
}
