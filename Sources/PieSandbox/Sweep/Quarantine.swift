import Glibc
import PiePolicy
import PieSystem

/// Where `ConfigurationSweep` puts what a command planted: a directory of its own per command
/// under `PIE_DIR/quarantine` (outside the project, denied to every tool and masked in the
/// sandbox), keeping each entry's absolute path below it, so nothing is lost and the user can
/// look at it or move it back. Across file systems the entry is copied (files, directories,
/// symlinks as symlinks) and then removed. Without a quarantine directory, or when moving fails,
/// the entry is renamed beside itself to `NAME.pie-quarantined-ID`, a name no tool reads.
struct Quarantine {
    /// `PIE_DIR/quarantine`, or nil to rename in place.
    var directory: String?
    /// Distinguishes this command's entries (a timestamp and the spawn id).
    var label: String

    /// `PIE_DIR/quarantine` (`~/.pie/quarantine` when `PIE_DIR` is unset or relative), as the
    /// audit log's default directory is found; nil without an absolute home either.
    static func defaultDirectory(environment: [String: String]) -> String? {
        stateDirectory(environment: environment).map { $0 + "/quarantine" }
    }

    /// pie's state directory, `PIE_DIR` or `~/.pie`, when it is an absolute path.
    static func stateDirectory(environment: [String: String]) -> String? {
        if let directory = environment["PIE_DIR"], directory.hasPrefix("/") { return directory }
        guard let home = environment["HOME"], home.hasPrefix("/") else { return nil }
        return PathNormalizer.join(home, ".pie")
    }

    /// A name for one command's entries: UTC time to the second, then the spawn id.
    static func label(spawnID: String) -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)\(two(parts.tm_mon + 1))\(two(parts.tm_mday))T\(two(parts.tm_hour))"
            + "\(two(parts.tm_min))\(two(parts.tm_sec))Z-\(spawnID)"
    }

    /// Moves `path` away; the new location, or nil when it stays where it is.
    func move(_ path: [UInt8]) -> String? {
        if let directory {
            let destination = Array((directory + "/" + label).utf8) + (path.first == UInt8(ascii: "/") ? path : [UInt8(ascii: "/")] + path)
            if Self.makeParents(of: destination) {
                if Self.rename(path, destination) { return Self.text(destination) }
                if errno == EXDEV, Self.copy(path, to: destination) {
                    if Self.remove(path) { return Self.text(destination) }
                    _ = Self.remove(destination)
                }
            }
        }
        let beside = path + Array(".pie-quarantined-\(label)".utf8)
        return Self.rename(path, beside) ? Self.text(beside) : nil
    }

    private static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    private static func call<T>(_ path: [UInt8], _ body: (UnsafePointer<CChar>) -> T) -> T {
        (path + [0]).withUnsafeBufferPointer { buffer in buffer.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) } }
    }

    private static func rename(_ from: [UInt8], _ to: [UInt8]) -> Bool {
        call(from) { source in call(to) { Glibc.rename(source, $0) } } == 0
    }

    /// Creates the directories above `path` (owner-only, like the rest of `PIE_DIR`).
    private static func makeParents(of path: [UInt8]) -> Bool {
        var index = 1
        while index < path.count {
            if path[index] == UInt8(ascii: "/") {
                let prefix = Array(path[..<index])
                if call(prefix, { mkdir($0, 0o700) }) != 0, errno != EEXIST { return false }
            }
            index += 1
        }
        return true
    }

    /// Copies `from` to `to` without following symlinks: file contents and modes, directories
    /// recursively, symlinks as symlinks; other kinds (FIFOs, sockets) hold no data and are skipped.
    private static func copy(_ from: [UInt8], to: [UInt8]) -> Bool {
        var info = stat()
        guard call(from, { lstat($0, &info) }) == 0 else { return false }
        switch info.st_mode & S_IFMT {
        case S_IFDIR:
            guard call(to, { mkdir($0, 0o700) }) == 0 else { return false }
            guard let stream = openDirectory(from) else { return false }
            defer { closedir(stream) }
            while let entry = readdir(stream) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix(while: { $0 != 0 })) }
                if name == [0x2E] || name == [0x2E, 0x2E] { continue }
                guard copy(from + [UInt8(ascii: "/")] + name, to: to + [UInt8(ascii: "/")] + name) else { return false }
            }
            return true
        case S_IFLNK:
            var target = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let length = call(from) { readlink($0, &target, target.count - 1) }
            guard length >= 0 else { return false }
            return call(to) { symlink(target, $0) } == 0
        case S_IFREG:
            let source = call(from) { open($0, O_RDONLY | O_NOFOLLOW | O_CLOEXEC) }
            guard source >= 0 else { return false }
            defer { FileIO.close(source) }
            let target = call(to) { open($0, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, info.st_mode & 0o700) }
            guard target >= 0 else { return false }
            defer { FileIO.close(target) }
            var buffer = [UInt8](repeating: 0, count: 64 << 10)
            while true {
                let count = read(source, &buffer, buffer.count)
                if count == 0 { return true }
                if count < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                guard FileIO.writeAll(target, Array(buffer[..<count])) == nil else { return false }
            }
        default:
            return true
        }
    }

    /// Deletes `path`, a directory with everything in it, without following symlinks.
    private static func remove(_ path: [UInt8]) -> Bool {
        var info = stat()
        guard call(path, { lstat($0, &info) }) == 0 else { return false }
        guard info.st_mode & S_IFMT == S_IFDIR else { return call(path) { unlink($0) } == 0 }
        guard let stream = openDirectory(path) else { return false }
        var names: [[UInt8]] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix(while: { $0 != 0 })) }
            if name != [0x2E] && name != [0x2E, 0x2E] { names.append(name) }
        }
        closedir(stream)
        for name in names where !remove(path + [UInt8(ascii: "/")] + name) { return false }
        return call(path) { rmdir($0) } == 0
    }

    private static func openDirectory(_ path: [UInt8]) -> OpaquePointer? {
        let fd = call(path) { open($0, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
        guard fd >= 0 else { return nil }
        guard let stream = fdopendir(fd) else {
            FileIO.close(fd)
            return nil
        }
        return stream
    }
}
