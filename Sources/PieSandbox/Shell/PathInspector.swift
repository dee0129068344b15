import Glibc
import PiePolicy

/// The file-system facts a mount plan depends on, behind a protocol so `BubblewrapPlan` stays pure
/// and its argv can be tested against a fake file system.
public protocol PathInspector: Sendable {
    /// The kind of `path` without following a final symlink (`lstat`), or nil when it does not exist.
    func kind(of path: String) -> FileKind?
    /// The kind of what `path` finally points to (`stat`), or nil when that does not exist.
    func targetKind(of path: String) -> FileKind?
    /// Entries of the directory at `path` (names and kinds), empty when it cannot be read.
    func entries(of path: String) -> [DirectoryEntry]
    /// `path` as the read allowlist sees it (`SandboxReadRoots.binds`), or nil when it does not exist.
    func hostEntry(_ path: String) -> SandboxReadRoots.HostEntry?
}

extension PathInspector {
    /// From `kind` and `targetKind`; an inspector that can read symlink targets says more.
    public func hostEntry(_ path: String) -> SandboxReadRoots.HostEntry? {
        guard kind(of: path) != nil else { return nil }
        switch targetKind(of: path) {
        case .directory?: return SandboxReadRoots.HostEntry(kind: .directory)
        case .regular?: return SandboxReadRoots.HostEntry(kind: .file)
        case nil: return SandboxReadRoots.HostEntry(kind: nil)
        default: return SandboxReadRoots.HostEntry(kind: .other)
        }
    }
}

/// The real file system, through `lstat`/`stat`/`readdir`.
public struct SystemPathInspector: PathInspector {
    public init() {}

    public func kind(of path: String) -> FileKind? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return FileKind(mode: info.st_mode)
    }

    public func targetKind(of path: String) -> FileKind? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileKind(mode: info.st_mode)
    }

    public func hostEntry(_ path: String) -> SandboxReadRoots.HostEntry? {
        SandboxReadRoots.hostLookup(path)
    }

    public func entries(of path: String) -> [DirectoryEntry] {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return [] }
        return DirectoryReader.entries(of: fd)
    }
}

extension FileKind {
    /// Maps the `S_IFMT` bits of a `st_mode`.
    init(mode: mode_t) {
        switch mode & S_IFMT {
        case S_IFREG: self = .regular
        case S_IFDIR: self = .directory
        case S_IFLNK: self = .symlink
        case S_IFIFO: self = .fifo
        case S_IFSOCK: self = .socket
        case S_IFCHR: self = .characterDevice
        case S_IFBLK: self = .blockDevice
        default: self = .unknown
        }
    }
}

/// Reads a directory from an owned descriptor with `fdopendir`/`readdir`, closing it in all cases.
enum DirectoryReader {
    static func entries(of fd: Int32) -> [DirectoryEntry] {
        guard let stream = fdopendir(fd) else {
            Descriptor.close(fd)
            return []
        }
        defer { closedir(stream) }
        var result: [DirectoryEntry] = []
        while let entry = readdir(stream) {
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix(while: { $0 != 0 })) }
            let name = String(validating: bytes, as: UTF8.self)
            if let name, PathBytes.isDot(name) || PathBytes.isDotDot(name) { continue }
            result.append(DirectoryEntry(
                name: name ?? String(decoding: bytes, as: UTF8.self), kind: kind(ofDirentType: entry.pointee.d_type),
                rawName: name == nil ? bytes : nil))
        }
        return result
    }

    private static func kind(ofDirentType type: UInt8) -> FileKind {
        switch Int32(type) {
        case Int32(DT_REG): .regular
        case Int32(DT_DIR): .directory
        case Int32(DT_LNK): .symlink
        case Int32(DT_FIFO): .fifo
        case Int32(DT_SOCK): .socket
        case Int32(DT_CHR): .characterDevice
        case Int32(DT_BLK): .blockDevice
        default: .unknown
        }
    }
}
