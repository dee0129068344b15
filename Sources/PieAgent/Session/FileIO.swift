#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Thin, error-typed wrappers over the POSIX calls the session layer needs.
///
/// Sessions rely on exact POSIX semantics (`O_APPEND`, `O_EXCL`, `flock`, `fdatasync`, `ftruncate`)
/// that FileManager does not expose, so the store talks to the kernel directly.
enum FileIO {
    static func openFile(_ path: String, _ flags: Int32, mode: mode_t = 0o600, operation: String) throws(SessionError)
        -> Int32
    {
        while true {
            let fd = open(path, flags | O_CLOEXEC, mode)
            if fd >= 0 { return fd }
            if errno != EINTR { throw .io(operation: operation, path: path, errno: errno) }
        }
    }

    /// Reads the whole file at `path`.
    static func readAll(_ path: String) throws(SessionError) -> [UInt8] {
        let fd = try openFile(path, O_RDONLY, operation: "open")
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .io(operation: "stat", path: path, errno: errno) }
        var bytes = [UInt8](repeating: 0, count: max(Int(info.st_size), 0))
        var filled = 0
        while true {
            if filled == bytes.count { bytes.append(contentsOf: [UInt8](repeating: 0, count: 65536)) }
            let count = bytes.withUnsafeMutableBytes { buffer in
                read(fd, buffer.baseAddress.map { $0 + filled }, buffer.count - filled)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw .io(operation: "read", path: path, errno: errno)
            }
            if count == 0 { break }
            filled += count
        }
        bytes.removeSubrange(filled...)
        return bytes
    }

    /// Writes all of `bytes`, retrying short writes; a single `write(2)` in the common case.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(SessionError) {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                write(fd, buffer.baseAddress.map { $0 + written }, buffer.count - written)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw .io(operation: "write", path: path, errno: errno)
            }
            written += count
        }
    }

    static func preadAll(_ fd: Int32, offset: Int, count: Int, path: String) throws(SessionError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let got = bytes.withUnsafeMutableBytes { buffer in
                pread(fd, buffer.baseAddress.map { $0 + filled }, count - filled, off_t(offset + filled))
            }
            if got < 0 {
                if errno == EINTR { continue }
                throw .io(operation: "read", path: path, errno: errno)
            }
            if got == 0 { break }
            filled += got
        }
        bytes.removeSubrange(filled...)
        return bytes
    }

    static func fileSize(_ fd: Int32, path: String) throws(SessionError) -> Int {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .io(operation: "stat", path: path, errno: errno) }
        return Int(info.st_size)
    }

    /// Size and modification time (epoch milliseconds), or nil when the file does not exist.
    static func stamp(_ path: String) -> (size: Int, mtimeMilliseconds: Int64)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let millis = Int64(info.st_mtim.tv_sec) * 1000 + Int64(info.st_mtim.tv_nsec) / 1_000_000
        return (Int(info.st_size), millis)
    }

    /// Creates `path` and its missing parents with mode 0700 (sessions hold private conversations).
    static func makeDirectories(_ path: String) throws(SessionError) {
        var prefix = ""
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            prefix += "/" + component
            if mkdir(prefix, 0o700) != 0, errno != EEXIST {
                throw .io(operation: "create directory", path: prefix, errno: errno)
            }
        }
    }

    /// Entries of a directory (no `.`/`..`), or nil when it cannot be read.
    static func list(_ directory: String) -> [String]? {
        guard let handle = opendir(directory) else { return nil }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Deletes a file; one that is already gone counts as deleted.
    static func remove(_ path: String) throws(SessionError) {
        if unlink(path) != 0, errno != ENOENT { throw .io(operation: "delete", path: path, errno: errno) }
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Flushes directory metadata so a freshly created file survives a power loss.
    static func syncDirectory(_ directory: String) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}

/// Lexical helpers for the absolute, slash-separated paths the session and context layers build.
/// Free functions rather than `String` extensions so they cannot clash with Foundation's
/// path methods in files that import it.
enum Path {
    /// The directory part (`/a/b/c.jsonl` → `/a/b`, `/a` → `/`).
    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// The last component (`/a/b/c.jsonl` → `c.jsonl`).
    static func lastComponent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// `directory` and `name` joined by exactly one slash.
    static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}
