import PiePolicy

/// What the sandbox does to each git directory in the writable roots so that a command can commit
/// and fetch but not change what git reads as configuration, programs or pointers elsewhere
/// (`GitLayout`, docs/sandbox.md "The git directory").
///
/// - Every existing entry that `GitLayout` does not allow is bound read-only (`config`, `hooks/`,
///   `info/`, `description`, `objects/info/`, anything unknown), the directories above it pinned.
/// - Missing entries that git tolerates as an empty file are masked like missing protected paths
///   (`config.worktree`, `hooks`, `info`, `modules`, `worktrees`, a rebase in progress, …), so
///   they cannot be created.
/// - Missing entries that an empty file would break are `watched` instead (`commondir`,
///   `gitdir`): git stats `commondir` and dies when it is empty, in the sandbox
///   and for the user's own git on the host while the command runs. `GitMetadataSweep` removes any
///   that appeared once the command is done and fails the command.
/// - `modules/*` and `worktrees/*` are git directories of their own and get the same treatment;
///   the entries protected inside them pin `modules/` and `worktrees/` as mount points. New
///   entries there are refused to tools by the policy, not by the sandbox (docs/sandbox.md).
/// - A write root without `.git` gets a mask there, so no repository can be made at the root; a
///   `.git` file (a worktree's or submodule's `gitdir:`) is bound read-only itself.
struct GitMetadataMounts {
    /// Paths below a write root to protect like `protected_paths` entries (`BubblewrapPlan.protect`).
    var protections: [(root: String, relative: String)] = []
    /// Absolute paths that did not exist when the plan was made and must not exist after the command.
    var watched: [String] = []

    /// Missing entries masked with an empty placeholder: git treats a file there like no entry.
    static let maskedWhenMissing = [
        "config", "config.worktree", "hooks", "info", "modules", "worktrees", "branches", "remotes", "rebase-merge",
        "rebase-apply", "sequencer", "rr-cache",
    ]
    /// Missing entries that must stay missing, but that git fails on when they exist empty.
    static let watchedWhenMissing = ["commondir", "gitdir"]
    /// How deep submodule names (which may contain `/`) are followed inside `modules/`.
    static let moduleDepth = 4

    /// - Parameter nested: entries named `.git` below the roots that the plan's bounded walk found.
    init(paths: PathPolicy, writeRoots: [String], nested: [String], inspector: some PathInspector) {
        for root in writeRoots {
            let dotGit = PathNormalizer.join(root, ".git")
            if inspector.kind(of: dotGit) == .directory {
                gitDirectory(dotGit, root: root, inspector: inspector)
            } else {
                protections.append((root, ".git"))
            }
        }
        for path in nested {
            guard let root = writeRoots.first(where: { PathNormalizer.isWithin(path, $0) && path != $0 }) else {
                continue
            }
            if inspector.kind(of: path) == .directory {
                gitDirectory(path, root: root, inspector: inspector)
            } else {
                protections.append((root, Self.relative(path, to: root)))
            }
        }
        for directory in paths.gitDirectories where inspector.kind(of: directory) == .directory {
            guard let root = writeRoots.first(where: { PathNormalizer.isWithin(directory, $0) }) else { continue }
            gitDirectory(directory, root: root, inspector: inspector)
        }
    }

    private mutating func gitDirectory(_ directory: String, root: String, inspector: some PathInspector) {
        let entries = inspector.entries(of: directory)
        let names = Set(entries.map(\.name))
        for entry in entries {
            let path = PathNormalizer.join(directory, entry.name)
            switch entry.name {
            case "objects" where entry.kind == .directory:
                protect(PathNormalizer.join(path, "info"), root: root)
            case "worktrees" where entry.kind == .directory:
                for worktree in inspector.entries(of: path) where worktree.kind == .directory {
                    gitDirectory(PathNormalizer.join(path, worktree.name), root: root, inspector: inspector)
                }
            case "modules" where entry.kind == .directory:
                modules(path, root: root, depth: 1, inspector: inspector)
            default:
                if GitLayout.refusal([entry.name]) != nil { protect(path, root: root) }
            }
        }
        for name in Self.maskedWhenMissing where !names.contains(name) {
            protect(PathNormalizer.join(directory, name), root: root)
        }
        for name in Self.watchedWhenMissing where !names.contains(name) {
            watched.append(PathNormalizer.join(directory, name))
        }
    }

    /// Submodule git directories below `modules/`, whose names may span several components.
    private mutating func modules(_ directory: String, root: String, depth: Int, inspector: some PathInspector) {
        for entry in inspector.entries(of: directory) where entry.kind == .directory {
            let path = PathNormalizer.join(directory, entry.name)
            if GitDirectoryShape.isGitDirectory(path, inspector: inspector) {
                gitDirectory(path, root: root, inspector: inspector)
            } else if depth < Self.moduleDepth {
                modules(path, root: root, depth: depth + 1, inspector: inspector)
            } else {
                protect(path, root: root)
            }
        }
    }

    private mutating func protect(_ path: String, root: String) {
        protections.append((root, Self.relative(path, to: root)))
    }

    private static func relative(_ path: String, to root: String) -> String {
        root == "/" ? String(path.dropFirst()) : String(path.dropFirst(root.count + 1))
    }
}

/// git's test for a git directory (setup.c `is_git_directory`), through a `PathInspector`.
enum GitDirectoryShape {
    static func isGitDirectory(_ path: String, inspector: some PathInspector) -> Bool {
        inspector.kind(of: PathNormalizer.join(path, "HEAD")) == .regular
            && inspector.kind(of: PathNormalizer.join(path, "objects")) == .directory
            && inspector.kind(of: PathNormalizer.join(path, "refs")) == .directory
    }
}
