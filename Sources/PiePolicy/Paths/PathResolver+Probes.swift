#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Cheap questions about what exists, asked by the shell checks for the few write targets that
/// need them: each is a handful of `lstat` calls, never a directory walk.
extension PathResolver {
    /// Whether `path` or one of its ancestors below `root` (a canonical write root) exists as a
    /// symbolic link, so that the kernel would write somewhere else than `path` says. Stops at
    /// the first component that does not exist: nothing below it can be a link yet.
    public static func hasSymlink(_ path: String, below root: String) -> Bool {
        guard let relative = PathBytes.relative(path, to: root) else { return false }
        var current = root == "/" ? "" : root
        var status = stat()
        for component in PathBytes.components(relative) {
            current += "/" + component
            guard lstat(current, &status) == 0 else { return false }
            if status.st_mode & S_IFMT == S_IFLNK { return true }
        }
        return false
    }

    /// The first of `names` that exists directly in the directory `path` (a nested `sub/.git`,
    /// a `sub/.envrc`), found with one `lstat` each; `nil` when none does.
    public static func heldEntry(in path: String, among names: [String]) -> String? {
        var status = stat()
        for name in names {
            let entry = path == "/" ? "/" + name : path + "/" + name
            if lstat(entry, &status) == 0 { return entry }
        }
        return nil
    }
}
