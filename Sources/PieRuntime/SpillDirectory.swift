import Glibc

/// Where the bash tool spills full output: by default inside the project's `.pie/` so the model
/// can `read` it (the directory is protected from tool writes) and ignored by git.
enum SpillDirectory {
    static func defaultPath(project: String) -> String { project + "/.pie/spill" }

    /// Creates `path` (and, for the default, `.pie/` above it) with a `.gitignore` of `*`.
    static func prepare(_ path: String) throws(AgentBuildError) {
        var missing: [String] = []
        var cursor = path
        while !cursor.isEmpty, cursor != "/", access(cursor, F_OK) != 0 {
            missing.insert(cursor, at: 0)
            cursor = String(cursor[..<(cursor.lastIndex(of: "/") ?? cursor.startIndex)])
        }
        for directory in missing where mkdir(directory, 0o700) != 0 && errno != EEXIST {
            throw .spillDirectory(path: directory, reason: String(cString: strerror(errno)))
        }
        let ignore = path + "/.gitignore"
        if access(ignore, F_OK) != 0 {
            let fd = open(ignore, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if fd >= 0 {
                _ = "*\n".withCString { write(fd, $0, 2) }
                close(fd)
            }
        }
    }
}
