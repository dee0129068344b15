import PiePolicy
import PieSandbox

/// One file or directory met by `TreeWalker`.
struct WalkEntry {
    var path: String
    /// Relative to the walk's root, with `/` separators.
    var relative: String
    var kind: FileKind
    var name: String
    /// The open directory holding a regular file, to read it by `name` without resolving `path`
    /// from the root again; nil for other kinds, or when the directory could not be reopened.
    var directory: (any DirectoryHandle)?
}

/// Walks a directory tree for `grep` and `find` through `FileOperations.openDirectory`: each
/// directory is opened once (relative to its parent's descriptor, never through a symlink) and
/// its files are handed out with that handle.
///
/// It skips `.git`, honours `.gitignore` files (the root's ancestors' up to the project root, then
/// each directory's own), never enters a path the policy would refuse to read (outside the read
/// roots or on the deny list), does not follow symlinks, and stops after `maxEntries` entries so a
/// search of `/` or a huge tree cannot run for ever. Entries come in name order, depth first.
struct TreeWalker {
    /// Entries (files and directories) visited before a walk stops.
    static let defaultMaxEntries = 100_000
    /// `.gitignore` files larger than this are ignored rather than parsed.
    static let maxIgnoreFileBytes = 1024 * 1024
    /// Directories deeper than this below the root give up their descriptor while a subdirectory
    /// is walked (and reopen by path when needed), so a deep tree cannot exhaust descriptors.
    static let maxHeldDepth = 32

    let files: any FileOperations
    let paths: PathPolicy
    var maxEntries = TreeWalker.defaultMaxEntries

    /// Whether the walk stopped at `maxEntries`.
    private(set) var hitEntryCap = false
    private var visited = 0
    private var root = ""
    private var stack: [Frame] = []

    /// A directory being walked.
    private struct Frame {
        var path: String
        var ignores: GitIgnoreStack
        /// Sorted, without `.git`; nil until the directory is first reached.
        var entries: [DirectoryEntry]?
        var position = 0
        var handle: (any DirectoryHandle)?
    }

    init(files: any FileOperations, paths: PathPolicy) {
        self.files = files
        self.paths = paths
    }

    /// Calls `visit` for every reachable entry below `root` in name order; `visit` returns false
    /// to stop the walk.
    mutating func walk(_ root: String, visit: (WalkEntry) -> Bool) {
        start(root)
        while let entry = next() {
            guard visit(entry) else {
                stack.removeAll()
                return
            }
        }
    }

    /// Begins a walk of `root`; `next()` then returns its entries one by one.
    mutating func start(_ root: String) {
        hitEntryCap = false
        visited = 0
        self.root = root
        stack = [Frame(path: root, ignores: ancestorIgnores(of: root), handle: try? files.openDirectory(root))]
    }

    /// The next reachable entry, or nil at the end of the walk (or at `maxEntries`).
    mutating func next() -> WalkEntry? {
        while let top = stack.indices.last {
            if stack[top].entries == nil, !list(top) {
                stack.removeLast()
                continue
            }
            guard let entries = stack[top].entries, stack[top].position < entries.count else {
                stack.removeLast()
                continue
            }
            let entry = entries[stack[top].position]
            stack[top].position += 1
            let directory = stack[top].path
            let path = directory == "/" ? "/" + entry.name : directory + "/" + entry.name
            let isDirectory = entry.kind == .directory
            guard isReadable(path), !stack[top].ignores.isIgnored(path, isDirectory: isDirectory) else { continue }
            visited += 1
            if visited > maxEntries {
                hitEntryCap = true
                stack.removeAll()
                return nil
            }
            let relative = ToolPath.relative(path, to: root) ?? entry.name
            var found = WalkEntry(path: path, relative: relative, kind: entry.kind, name: entry.name)
            if entry.kind == .regular { found.directory = handle(top) }
            if isDirectory {
                let child = handle(top).flatMap { try? $0.directory(entry.name) }
                if top >= Self.maxHeldDepth { stack[top].handle = nil }
                stack.append(Frame(path: path, ignores: stack[top].ignores, handle: child))
            }
            return found
        }
        return nil
    }

    /// Lists the directory of frame `index` and adds its `.gitignore`; false when it cannot be
    /// listed or moved away while it was held.
    private mutating func list(_ index: Int) -> Bool {
        guard let handle = stack[index].handle, let entries = try? handle.entries(), handle.isInPlace() else {
            return false
        }
        let directory = stack[index].path
        stack[index].ignores = stack[index].ignores.adding(ignoreRules(in: directory), in: directory)
        stack[index].entries = entries.filter { $0.name != ".git" }.sorted { $0.name < $1.name }
        return true
    }

    /// The open directory of frame `index`, reopened by path when it was given up.
    private mutating func handle(_ index: Int) -> (any DirectoryHandle)? {
        if let handle = stack[index].handle { return handle }
        stack[index].handle = try? files.openDirectory(stack[index].path)
        return stack[index].handle
    }

    /// Whether the policy lets tools read `path`; denied entries are silently left out.
    func isReadable(_ path: String) -> Bool {
        if case .allowed = paths.classify(path, access: .read) { return true }
        return false
    }

    /// The rules from `.gitignore` files between the project root and `directory` (exclusive).
    func ancestorIgnores(of directory: String) -> GitIgnoreStack {
        var stack = GitIgnoreStack()
        guard PathNormalizer.isWithin(directory, paths.projectRoot) else { return stack }
        var chain: [String] = []
        var current = directory
        while !PathBytes.equal(current, paths.projectRoot) {
            current = ToolPath.parent(current)
            chain.append(current)
        }
        for ancestor in chain.reversed() {
            stack = stack.adding(ignoreRules(in: ancestor), in: ancestor)
        }
        return stack
    }

    /// The rules of `directory/.gitignore`, or none when it is missing, unreadable or too large.
    func ignoreRules(in directory: String) -> GitIgnore {
        let path = directory == "/" ? "/.gitignore" : directory + "/.gitignore"
        guard isReadable(path), let bytes = try? files.read(path, maxBytes: Self.maxIgnoreFileBytes) else {
            return GitIgnore("")
        }
        return GitIgnore(String(decoding: bytes, as: UTF8.self))
    }
}
