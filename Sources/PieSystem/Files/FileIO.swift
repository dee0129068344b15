import Glibc

/// pie's one layer over the POSIX file calls, so every module opens, reads, writes, retries on
/// EINTR and reports failures the same way, without Foundation.
///
/// Sessions and the audit log rely on exact POSIX semantics (`O_APPEND`, `O_EXCL`, `flock`,
/// `fdatasync`, `ftruncate`) that FileManager does not expose, so this talks to the kernel directly.
public enum FileIO {
    /// Opens `path` close-on-exec, retrying on EINTR; `operation` names the step in the error.
    public static func openFile(_ path: String, _ flags: Int32, mode: mode_t = 0o600, operation: String = "open")
        throws(FileError) -> Int32
    {
        while true {
            let fd = open(path, flags | O_CLOEXEC, mode)
            if fd >= 0 { return fd }
            if errno != EINTR { throw FileError(operation: operation, path: path, code: errno) }
        }
    }

    /// Closes `fd` when it is valid; EINTR on close must not be retried on Linux.
    public static func close(_ fd: Int32) {
        if fd >= 0 { _ = Glibc.close(fd) }
    }

    /// The whole file at `path`; with `limit`, at most `limit + 1` bytes, so a caller can tell a
    /// file over its limit without reading all of it.
    public static func readAll(_ path: String, limit: Int? = nil) throws(FileError) -> [UInt8] {
        let fd = try openFile(path, O_RDONLY)
        defer { close(fd) }
        return try readToEnd(fd, path: path, limit: limit)
    }

    /// The file's bytes, or nil when it (or a parent directory) does not exist; `limit` as in `readAll`.
    public static func read(_ path: String, limit: Int? = nil) throws(FileError) -> [UInt8]? {
        do {
            return try readAll(path, limit: limit)
        } catch where error.code == ENOENT || error.code == ENOTDIR {
            return nil
        }
    }

    /// Everything left to read from `fd`; sized by `fstat` so a regular file is read in one call.
    /// `/proc` files report size 0 and are read in chunks until end of file.
    public static func readToEnd(_ fd: Int32, path: String, limit: Int? = nil) throws(FileError) -> [UInt8] {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw FileError(operation: "stat", path: path, code: errno) }
        let cap = limit.map { max($0, 0) + 1 } ?? Int.max
        var bytes = [UInt8](repeating: 0, count: min(max(Int(info.st_size), 0), cap))
        var filled = 0
        while filled < cap {
            if filled == bytes.count { bytes.append(contentsOf: [UInt8](repeating: 0, count: min(65536, cap - filled))) }
            let count = bytes.withUnsafeMutableBytes { buffer in
                Glibc.read(fd, buffer.baseAddress.map { $0 + filled }, buffer.count - filled)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileError(operation: "read", path: path, code: errno)
            }
            if count == 0 { break }
            filled += count
        }
        bytes.removeSubrange(filled...)
        return bytes
    }

    /// Writes all of `bytes`, retrying on EINTR and short writes; a single `write(2)` in the common
    /// case. Returns nil on success, else the errno of the write that failed.
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32? {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                Glibc.write(fd, buffer.baseAddress.map { $0 + written }, buffer.count - written)
            }
            if count < 0 {
                if errno == EINTR { continue }
                return errno
            }
            written += count
        }
        return nil
    }

    /// `writeAll` that throws, naming `path` in the error.
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(FileError) {
        if let code = writeAll(fd, bytes) { throw FileError(operation: "write", path: path, code: code) }
    }

    /// Up to `count` bytes at `offset` (fewer at end of file).
    public static func preadAll(_ fd: Int32, offset: Int, count: Int, path: String) throws(FileError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let got = bytes.withUnsafeMutableBytes { buffer in
                pread(fd, buffer.baseAddress.map { $0 + filled }, count - filled, off_t(offset + filled))
            }
            if got < 0 {
                if errno == EINTR { continue }
                throw FileError(operation: "read", path: path, code: errno)
            }
            if got == 0 { break }
            filled += got
        }
        bytes.removeSubrange(filled...)
        return bytes
    }

    public static func fileSize(_ fd: Int32, path: String) throws(FileError) -> Int {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw FileError(operation: "stat", path: path, code: errno) }
        return Int(info.st_size)
    }

    /// Size and modification time (epoch milliseconds), or nil when the file does not exist.
    public static func stamp(_ path: String) -> (size: Int, mtimeMilliseconds: Int64)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let millis = Int64(info.st_mtim.tv_sec) * 1000 + Int64(info.st_mtim.tv_nsec) / 1_000_000
        return (Int(info.st_size), millis)
    }

    /// Writes through a temporary file in the same directory and renames it over `path`, so a
    /// crash never leaves a half-written file; the file is created with `mode`.
    public static func writeAtomically(_ bytes: [UInt8], to path: String, mode: mode_t) throws(FileError) {
        let temporary = "\(path).tmp-\(getpid())"
        let fd = try openFile(temporary, O_WRONLY | O_CREAT | O_TRUNC, mode: mode, operation: "create")
        if let code = writeAll(fd, bytes) {
            close(fd)
            unlink(temporary)
            throw FileError(operation: "write", path: temporary, code: code)
        }
        // The umask may have narrowed or (for a pre-existing temp) differed; force the mode.
        fchmod(fd, mode)
        fsync(fd)
        close(fd)
        if rename(temporary, path) != 0 {
            let code = errno
            unlink(temporary)
            throw FileError(operation: "replace", path: path, code: code)
        }
    }

    /// `mkdir -p` with `mode` (default 0700: pie's state is private) for directories it creates.
    /// Components are split at `/` bytes: a name ending in a Prepend character (U+0600) forms one
    /// grapheme cluster with the `/` after it, and a split by `Character` would not see that slash.
    public static func makeDirectories(_ path: String, mode: mode_t = 0o700) throws(FileError) {
        let slash = UInt8(ascii: "/")
        var current = path.utf8.first == slash ? "" : "."
        for component in path.utf8.split(separator: slash) {
            current += "/" + String(Substring(component))
            if mkdir(current, mode) != 0 && errno != EEXIST {
                throw FileError(operation: "create directory", path: current, code: errno)
            }
        }
    }

    /// Entries of a directory (no `.`/`..`), or nil when it cannot be read.
    public static func list(_ directory: String) -> [String]? {
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
    public static func remove(_ path: String) throws(FileError) {
        if unlink(path) != 0, errno != ENOENT { throw FileError(operation: "delete", path: path, code: errno) }
    }

    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Flushes directory metadata so a freshly created file survives a power loss.
    public static func syncDirectory(_ directory: String) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}
