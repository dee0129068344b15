import PiePolicy
import PieSandbox

/// One file or directory met by `TreeWalker`.
struct WalkEntry {
    var path: String
    /// Relative to the walk's root, with `/` separators.
    var relative: String
    var kind: FileKind
}

/// Walks a directory tree for `grep` and `find` through `FileOperations.list` only.
///
/// It skips `.git`, honours `.gitignore` files (the root's ancestors' up to the project root, then
/// each directory's own), never enters a path the policy would refuse to read (outside the read
/// roots or on the deny list), does not follow symlinks, and stops after `maxEntries` entries so a
/// search of `/` or a huge tree cannot run for ever.
struct TreeWalker {
    /// Entries (files and directories) visited before a walk stops.
    static let defaultMaxEntries = 100_000
    /// `.gitignore` files larger than this are ignored rather than parsed.
    static let maxIgnoreFileBytes = 1024 * 1024

    let files: any FileOperations
    let paths: PathPolicy
    var maxEntries = TreeWalker.defaultMaxEntries

    /// Whether the walk stopped at `maxEntries`.
    private(set) var hitEntryCap = false
    private var visited = 0

    init(files: any FileOperations, paths: PathPolicy) {
        self.files = files
        self.paths = paths
    }

    /// Calls `visit` for every reachable entry below `root` in name order; `visit` returns false
    /// to stop the walk.
    mutating func walk(_ root: String, visit: (WalkEntry) -> Bool) {
        hitEntryCap = false
        visited = 0
        _ = walkDirectory(root, root: root, ignores: ancestorIgnores(of: root), visit: visit)
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

    /// Returns false when the walk must stop.
    private mutating func walkDirectory(
        _ directory: String, root: String, ignores: GitIgnoreStack, visit: (WalkEntry) -> Bool
    ) -> Bool {
        guard let entries = try? files.list(directory) else { return true }
        let ignores = ignores.adding(ignoreRules(in: directory), in: directory)
        for entry in entries.sorted(by: { $0.name < $1.name }) where entry.name != ".git" {
            let path = directory == "/" ? "/" + entry.name : directory + "/" + entry.name
            let isDirectory = entry.kind == .directory
            guard isReadable(path), !ignores.isIgnored(path, isDirectory: isDirectory) else { continue }
            visited += 1
            if visited > maxEntries {
                hitEntryCap = true
                return false
            }
            let relative = ToolPath.relative(path, to: root) ?? entry.name
            guard visit(WalkEntry(path: path, relative: relative, kind: entry.kind)) else { return false }
            if isDirectory, !walkDirectory(path, root: root, ignores: ignores, visit: visit) { return false }
        }
        return true
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
