import PiePolicy

/// File access for the coding tools, confined beneath the policy's roots at the syscall level.
///
/// Tools receive an implementation by injection; they never touch the file system directly, so a
/// tool cannot bypass the rules the shell sandbox enforces. Paths are absolute and already
/// approved by the policy; implementations re-check them against the same `PathPolicy`.
public protocol FileOperations: Sendable {
    /// Reads a regular file. Refuses other kinds (FIFOs, devices, sockets) and files larger than
    /// `maxBytes` without reading them.
    func read(_ path: String, maxBytes: Int) throws(FileOperationError) -> [UInt8]
    /// Replaces or creates a file atomically (temp file, fsync, rename), creating missing parents.
    func write(_ path: String, contents: [UInt8]) throws(FileOperationError)
    /// Describes a path without following a final symlink.
    func info(_ path: String) throws(FileOperationError) -> FileInfo
    /// Lists a directory's entries (unsorted, without `.` and `..`).
    func list(_ path: String) throws(FileOperationError) -> [DirectoryEntry]
    /// Opens a directory to walk it (`DirectoryHandle`), resolving `path` as `list` does.
    func openDirectory(_ path: String) throws(FileOperationError) -> any DirectoryHandle
}

public enum FileKind: String, Sendable, Equatable, Codable {
    case regular, directory, symlink, fifo, socket, characterDevice, blockDevice, unknown
}

public struct FileInfo: Sendable, Equatable {
    public var kind: FileKind
    public var size: Int
    public var modifiedSeconds: Int

    public init(kind: FileKind, size: Int, modifiedSeconds: Int) {
        self.kind = kind
        self.size = size
        self.modifiedSeconds = modifiedSeconds
    }
}

public struct DirectoryEntry: Sendable, Equatable {
    public var name: String
    public var kind: FileKind
    /// The name's bytes when they are not valid UTF-8, nil otherwise. `name` is then a repaired
    /// spelling (U+FFFD) that names no file, so nothing may be decided or mounted by it.
    public var rawName: [UInt8]?

    public init(name: String, kind: FileKind, rawName: [UInt8]? = nil) {
        self.name = name
        self.kind = kind
        self.rawName = rawName
    }
}

/// Why a file operation was refused or failed, in words a model can act on.
public struct FileOperationError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        case notFound, outsideRoots, denied, protected, symlink, notRegularFile, isDirectory
        case tooLarge, permission, io
    }

    public var kind: Kind
    public var path: String
    public var message: String
    /// The errno behind an `io`/`permission` failure, when there is one.
    public var errno: Int32?

    public init(_ kind: Kind, path: String, message: String, errno: Int32? = nil) {
        self.kind = kind
        self.path = path
        self.message = message
        self.errno = errno
    }

    public var description: String { message }
}
