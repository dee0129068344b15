import Glibc

/// Where the bash tool spills full output: inside the project's `.pie/` so the model can `read`
/// it (the directory is protected from tool writes) and ignored by git.
enum SpillDirectory {
    static func prepare(project: String) throws(PieExit) -> String {
        let path = project + "/.pie/spill"
        for directory in [project + "/.pie", path] where mkdir(directory, 0o700) != 0 && errno != EEXIST {
            throw PieExit(code: 1, message: "cannot create '\(directory)': \(String(cString: strerror(errno)))")
        }
        let ignore = path + "/.gitignore"
        if access(ignore, F_OK) != 0 {
            let fd = open(ignore, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if fd >= 0 {
                _ = "*\n".withCString { write(fd, $0, 2) }
                close(fd)
            }
        }
        return path
    }
}
