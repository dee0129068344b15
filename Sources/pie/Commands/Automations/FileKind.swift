import Glibc

/// What a path names, for commands that take a file or a directory.
enum FileKind {
    case file, directory, missing

    static func of(_ path: String) -> FileKind {
        var status = stat()
        guard stat(path, &status) == 0 else { return .missing }
        return (status.st_mode & S_IFMT) == S_IFDIR ? .directory : .file
    }
}
