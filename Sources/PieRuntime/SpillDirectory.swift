import Glibc
import PieSystem

/// Where the bash tool spills full output: by default inside the project's `.pie/` so the model
/// can `read` it (the directory is protected from tool writes) and ignored by git.
enum SpillDirectory {
    static func defaultPath(project: String) -> String { project + "/.pie/spill" }

    /// Creates `path` (and, for the default, `.pie/` above it) with a `.gitignore` of `*`; an
    /// existing `.gitignore` is the user's and is left as it is.
    static func prepare(_ path: String) throws(AgentBuildError) {
        let ignore = path + "/.gitignore"
        do {
            try FileIO.makeDirectories(path)
            let fd = try FileIO.openFile(ignore, O_WRONLY | O_CREAT | O_EXCL, mode: 0o644, operation: "create")
            defer { FileIO.close(fd) }
            try FileIO.writeAll(fd, Array("*\n".utf8), path: ignore)
        } catch where error.code == EEXIST && error.path == ignore {
            return
        } catch {
            throw .spillDirectory(path: error.path, reason: String(cString: strerror(error.code)))
        }
    }
}
