import CPieSys
import Glibc
import PiePolicy

/// The check after every sandboxed command for configuration it planted anywhere in the writable
/// roots: entries that git or another tool on the host would read as configuration and run code
/// from, which no mount could cover because their place was not known before the command ran
/// (docs/sandbox.md "Configuration a command plants").
///
/// Before the command, `snapshot` walks the roots and records the identity (device, inode, ctime)
/// of every such entry; after it, the same walk runs again and every entry that is new or whose
/// identity changed is moved into the quarantine (`Quarantine`), never deleted. ctime is set by
/// the kernel on every create, write, rename, link and chmod and cannot be set back by the
/// command (that needs `CAP_SYS_TIME`), so an unchanged identity means the command did not touch
/// the entry; a pre-existing file the command left alone is never moved.
///
/// The walk reads every directory once (`readdir`, no `stat` per file) and stats only the few
/// entries whose names matter, so its cost is the number of directories, not files.
public struct ConfigurationSweep: Sendable {
    /// The entries that matter, by path, as they stood when the walk ran.
    public struct Snapshot: Sendable, Equatable {
        var entries: [PathKey: Candidate] = [:]
    }

    struct Identity: Equatable {
        var device: UInt64
        var inode: UInt64
        var ctimeSeconds: Int
        var ctimeNanoseconds: Int
        var isDirectory: Bool

        /// Directories are the same directory when the inode is; their contents are judged one by one.
        func same(as other: Identity) -> Bool {
            if isDirectory || other.isDirectory {
                return isDirectory == other.isDirectory && device == other.device && inode == other.inode
            }
            return self == other
        }
    }

    struct Candidate: Equatable {
        var identity: Identity
        var kind: QuarantinedEntry.Kind
    }

    public var paths: PathPolicy
    public var roots: [String]
    /// Paths the walk never enters or reports: the quarantine itself and mask placeholders.
    public var skipped: Set<PathKey>

    public init(paths: PathPolicy, roots: [String], skipped: Set<PathKey>) {
        self.paths = paths
        self.roots = roots
        self.skipped = skipped
    }

    /// The entries that matter, before the command runs.
    public func snapshot() -> Snapshot {
        var snapshot = Snapshot()
        walk { path, candidate in snapshot.entries[PathKey(bytes: path)] = candidate }
        return snapshot
    }

    /// The entries that are new or changed since `before`, outermost first (an entry inside a
    /// directory that is itself new goes with it and is not listed).
    public func changes(since before: Snapshot, ignoring placeholders: Set<PathKey>) -> [Change] {
        var changed: [Change] = []
        walk { path, candidate in
            let key = PathKey(bytes: path)
            guard !placeholders.contains(key) else { return }
            if let old = before.entries[key] {
                // git rewrites HEAD (a rename of HEAD.lock) in a directory that was a repository
                // already; a HEAD matters only where there was none.
                if candidate.kind == .gitDirectoryShape || candidate.identity.same(as: old.identity) { return }
            }
            changed.append(Change(path: path, kind: candidate.kind))
        }
        changed.sort { $0.path.lexicographicallyPrecedes($1.path) }
        var outermost: [Change] = []
        for entry in changed where !outermost.contains(where: { Self.isBelow(entry.path, $0.path) }) {
            outermost.append(entry)
        }
        return outermost
    }

    /// One entry to quarantine; its path as the kernel spells it (names need not be UTF-8).
    public struct Change: Sendable, Equatable {
        public var path: [UInt8]
        public var kind: QuarantinedEntry.Kind
    }

    private static func isBelow(_ path: [UInt8], _ directory: [UInt8]) -> Bool {
        path.count > directory.count && path.starts(with: directory) && path[directory.count] == UInt8(ascii: "/")
    }

    /// How a directory's entries are judged.
    private enum Context {
        /// An ordinary directory `depth` levels below a root.
        case plain(depth: Int)
        /// Inside a git directory, `components` below it: entries outside `GitLayout`'s allowlist matter.
        case git(components: [[UInt8]])
        /// Inside a protected directory: every entry matters.
        case tree(QuarantinedEntry.Kind)
    }

    /// Breadth-first over the roots, without following symlinks; `found` sees every entry that matters.
    private func walk(_ found: ([UInt8], Candidate) -> Void) {
        var queue: [([UInt8], Context)] = roots.map { (Array($0.utf8), .plain(depth: 0)) }
        var index = 0
        while index < queue.count {
            let (directory, listed) = queue[index]
            index += 1
            let fd = (directory + [0]).withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) {
                    open($0.baseAddress!, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                }
            }
            guard fd >= 0 else { continue }
            let entries = Self.entries(of: fd)
            defer { Glibc.close(fd) }
            var context = listed
            // git's test for a git directory needs HEAD: where there is one, the directory's other
            // entries are judged as git metadata, and the HEAD itself matters (a new one makes a repository).
            if case .plain = context,
                let head = entries.first(where: { paths.plantedName($0.name, atRoot: false) == .head })
            {
                if let identity = Self.identity(fd, head.name) {
                    found(Self.join(directory, head.name), Candidate(identity: identity, kind: .gitDirectoryShape))
                }
                context = .git(components: [])
            }
            for entry in entries {
                let path = Self.join(directory, entry.name)
                guard !skipped.contains(PathKey(bytes: path)) else { continue }
                let next: Context?
                var kind: QuarantinedEntry.Kind?
                switch context {
                case .plain(let depth):
                    switch paths.plantedName(entry.name, atRoot: depth == 0) {
                    case .gitEntry? where depth == 0:
                        // The root's own `.git` is covered by the plan's mounts; its contents are
                        // judged all the same (a mount covers only what existed).
                        next = .git(components: [])
                    case .gitEntry?:
                        kind = .gitEntry
                        next = .git(components: [])
                    case .protected?:
                        kind = .protectedName
                        next = .tree(.protectedName)
                    case .head?, .none:
                        next = .plain(depth: depth + 1)
                    }
                case .git(let components):
                    let inside = components + [entry.name]
                    if GitLayout.isReadOnly(inside) { kind = .gitMetadata }
                    next = Self.descendsInGit(inside) ? .git(components: inside) : nil
                case .tree(let treeKind):
                    kind = treeKind
                    next = .tree(treeKind)
                }
                if let kind, let identity = Self.identity(fd, entry.name) {
                    found(path, Candidate(identity: identity, kind: kind))
                }
                if let next, entry.isDirectory { queue.append((path, next)) }
            }
        }
    }

    /// Whether anything below `components` of a git directory can be outside the allowlist:
    /// `refs/` and `logs/` are data throughout, and of `objects/` only `info/` holds pointers.
    private static func descendsInGit(_ components: [[UInt8]]) -> Bool {
        guard let last = components.last else { return true }
        if last.elementsEqual("refs".utf8) || last.elementsEqual("logs".utf8) { return false }
        if components.count >= 2, components[components.count - 2].elementsEqual("objects".utf8) {
            return last.elementsEqual("info".utf8)
        }
        return true
    }

    private struct Entry {
        var name: [UInt8]
        var isDirectory: Bool
    }

    /// The entries of an open directory (the descriptor stays open), without `.` and `..`; a
    /// `DT_UNKNOWN` type is settled with `fstatat`.
    private static func entries(of fd: Int32) -> [Entry] {
        let copy = dup(fd)
        guard copy >= 0, let stream = fdopendir(copy) else { return [] }
        defer { closedir(stream) }
        var result: [Entry] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix(while: { $0 != 0 })) }
            if name == [0x2E] || name == [0x2E, 0x2E] { continue }
            var isDirectory = Int32(entry.pointee.d_type) == Int32(DT_DIR)
            if Int32(entry.pointee.d_type) == Int32(DT_UNKNOWN) {
                isDirectory = identity(fd, name)?.isDirectory ?? false
            }
            result.append(Entry(name: name, isDirectory: isDirectory))
        }
        return result
    }

    private static func identity(_ directory: Int32, _ name: [UInt8]) -> Identity? {
        var info = stat()
        let status = (name + [0]).withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { fstatat(directory, $0.baseAddress!, &info, AT_SYMLINK_NOFOLLOW) }
        }
        guard status == 0 else { return nil }
        return Identity(
            device: UInt64(info.st_dev), inode: UInt64(info.st_ino), ctimeSeconds: info.st_ctim.tv_sec,
            ctimeNanoseconds: info.st_ctim.tv_nsec, isDirectory: info.st_mode & S_IFMT == S_IFDIR)
    }

    private static func join(_ directory: [UInt8], _ name: [UInt8]) -> [UInt8] {
        directory.last == UInt8(ascii: "/") ? directory + name : directory + [UInt8(ascii: "/")] + name
    }
}
