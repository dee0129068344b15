import PieSandbox
import PieSystem

/// The file access the context builders need, as a seam: production reads the disk, tests point
/// it at temp directories, and nothing reads a global like `$HOME` behind the caller's back.
public protocol ContextFileSystem: Sendable {
    /// The file's text, or nil when it does not exist or cannot be read as a regular file.
    func readFile(_ path: String) -> String?
    /// Names in a directory (no `.`/`..`), or nil when it is not a readable directory.
    func listDirectory(_ path: String) -> [String]?
    func isDirectory(_ path: String) -> Bool
    /// The regular files in `relative` below `base`, reached without following any symlink and
    /// never leaving `base`; empty when the directory does not exist.
    func listBeneath(base: String, relative: String) throws(FileOperationError) -> [String]
    /// The text of regular, single-link file `name` there, reached the same way.
    func readBeneath(base: String, relative: String, name: String) throws(FileOperationError) -> String
}

/// The real file system.
public struct LocalContextFileSystem: ContextFileSystem {
    public init() {}

    public func readFile(_ path: String) -> String? {
        guard !FileIO.isDirectory(path), let bytes = try? FileIO.readAll(path) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    public func listDirectory(_ path: String) -> [String]? {
        FileIO.list(path)
    }

    public func isDirectory(_ path: String) -> Bool {
        FileIO.isDirectory(path)
    }

    /// The largest file `readBeneath` reads; the memory block's own cap is far smaller.
    static let maxBeneathBytes = 1_048_576

    public func listBeneath(base: String, relative: String) throws(FileOperationError) -> [String] {
        try ConfinedDirectory(base: base, relative: relative).entries().map(\.name)
    }

    public func readBeneath(base: String, relative: String, name: String) throws(FileOperationError) -> String {
        let bytes = try ConfinedDirectory(base: base, relative: relative).read(name, maxBytes: Self.maxBeneathBytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A problem found while gathering context (an unreadable skill, a bad front matter, a memory
/// file cut short). Never fatal: the prompt is built from what could be read.
public struct ContextDiagnostic: Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
