import PiePolicy

/// The bubblewrap command line for one sandboxed command, built as `[String]` (never through a
/// shell) from the path policy and a snapshot of the file system.
///
/// Mount order matters, later mounts win. What is readable comes first, as `PathPolicy.sandboxReads`
/// says: either read-only `/`, or (`allowlist`) only the system directories and `/etc` entries of
/// `SandboxReadRoots` on bwrap's empty root, an empty `$HOME` and the read roots. Then fresh `/dev`
/// (its `/dev/shm` size-capped) and `/proc`, a size-capped private `/tmp`, read roots under `/tmp`
/// re-exposed read-only, writable roots bound read-write, package caches under `$HOME` covered by
/// private per-project directories (`SandboxCaches`, host reads only), the directories above
/// protected and denied paths pinned as mount points (so they cannot be renamed away), protected
/// paths re-bound read-only (a missing one is masked by `/dev/null` on its first missing
/// component, so it cannot be created), and deny masks. Under `allowlist`, `$HOME` and the root are made read-only last.
public struct BubblewrapPlan: Sendable, Equatable {
    public enum Mount: Sendable, Equatable {
        case readOnlyBind(source: String, destination: String)
        case bind(String)
        /// A host directory bound read-write at another path: a package cache's private directory
        /// (`SandboxCaches`).
        case bindAt(source: String, destination: String)
        case tmpfs(String, sizeBytes: UInt64?)
        case remountReadOnly(String)
        /// A fresh minimal `/dev` (null, zero, random, tty, pts, shm).
        case devices(String)
        /// A fresh procfs for the new PID namespace.
        case procfs(String)
        /// A symlink created in the sandbox's own root (`/bin -> usr/bin` on a usrmerge host).
        case symlink(target: String, path: String)
        /// A host regular file copied into the sandbox's own root (bwrap `--file`), where a bind
        /// would cost bubblewrap a mount and a re-read of the whole mount table
        /// (`SystemFiles.copied`). Only on the allowlist's root, which is remounted read-only
        /// last, so the copy is as read-only as the bind.
        case copy(source: String, destination: String)

        /// The path inside the sandbox that the mount covers.
        public var target: String {
            switch self {
            case .readOnlyBind(_, let destination), .bindAt(_, let destination), .copy(_, let destination): destination
            case .bind(let path), .tmpfs(let path, _), .remountReadOnly(let path), .devices(let path),
                .procfs(let path), .symlink(_, let path):
                path
            }
        }
    }

    /// How an allowlist plan shows the `/etc` files of `SandboxReadRoots.etcEntries`.
    public enum SystemFiles: Sendable, Equatable {
        /// Each bound read-only (the warm sandbox's base, whose key and checks follow host paths).
        case bound
        /// Each regular file copied into the sandbox's read-only root; directories stay bound.
        /// bubblewrap re-reads the mount table for every bind, so two dozen single-file binds were
        /// most of a sandboxed server's start-up (docs/benchmarks.md, MCP). The copy is the file
        /// as the sandbox starts, which is what a file bind shows too once the host replaces the
        /// file by rename (how package managers and editors write `/etc`).
        case copied
    }

    public var bwrap: String
    public var allowNetwork: Bool
    public var mounts: [Mount]
    /// Paths that do not exist on the host and that bwrap creates as mount points for a mask;
    /// `SandboxedShell` removes the empty placeholders after the run.
    public var placeholders: [String]
    /// Git metadata paths that were missing and could not be masked without breaking git
    /// (`GitMetadataMounts`); `SandboxedShell` checks after the run that none appeared.
    public var watched: [String] = []
    /// The `.git` and `.pie` entries below the writable roots when the plan was made; one that
    /// appears during the run is removed after it (`GitMetadataSweep`).
    public var knownGitEntries: Set<PathKey> = []
    /// The writable roots the plan binds, where `GitMetadataSweep` looks for new `.git` entries.
    public var writeRoots: [String] = []
    public var workingDirectory: String
    /// The complete environment inside the sandbox (`--clearenv` then `--setenv` for each).
    public var environment: [String: String]
    /// The child descriptor carrying the seccomp program, or nil for none.
    public var seccompDescriptor: Int32?
    /// The argv that runs inside, e.g. `["/bin/bash", "-c", command]`.
    public var command: [String]
    /// Capabilities kept inside the sandbox's user namespace after `--cap-drop ALL` (none for a
    /// command; the warm sandbox's init needs two to set up each command's namespaces).
    public var capabilities: [String] = []

    /// Bounds of the walk that finds files matching `**/NAME` deny patterns inside the roots.
    public static let denyWalkDepth = 4
    public static let denyWalkEntryLimit = 20_000
    /// Directories the deny walk does not enter (dependency trees and VCS internals).
    public static let denyWalkSkipped: Set<String> = ["node_modules", ".git"]

    /// Plans the mounts for `paths` as the file system looks now.
    public init(
        bwrap: String, paths: PathPolicy, allowNetwork: Bool, tmpfsBytes: UInt64, workingDirectory: String,
        environment: [String: String], seccompDescriptor: Int32?, command: [String],
        inspector: some PathInspector, systemFiles: SystemFiles = .bound
    ) throws(SandboxSetupError) {
        self.bwrap = bwrap
        self.allowNetwork = allowNetwork
        self.workingDirectory = workingDirectory
        self.environment = environment
        self.seccompDescriptor = seccompDescriptor
        self.command = command
        let allowlist = paths.sandboxReads == .allowlist
        var mounts: [Mount] = allowlist ? [] : [.readOnlyBind(source: "/", destination: "/")]
        mounts += [
            .devices("/dev"),
            // bwrap's /dev/shm is a directory of the /dev tmpfs, which has no size cap: a command
            // could fill half the host's memory there.
            .tmpfs("/dev/shm", sizeBytes: tmpfsBytes),
            .procfs("/proc"),
            .tmpfs("/tmp", sizeBytes: tmpfsBytes),
        ]
        var readable: [String] = []
        var emptyHome: String?
        if allowlist {
            for bind in SandboxReadRoots.binds(paths: paths, lookup: inspector.hostEntry) {
                switch bind {
                case .readOnly(let path):
                    let copied = systemFiles == .copied && inspector.hostEntry(path)?.kind == .file
                    mounts.append(copied ? .copy(source: path, destination: path) : .readOnlyBind(source: path, destination: path))
                    readable.append(path)
                case .symlink(let path, let target): mounts.append(.symlink(target: target, path: path))
                case .emptyHome(let path):
                    mounts.append(.tmpfs(path, sizeBytes: tmpfsBytes))
                    emptyHome = path
                }
            }
        } else {
            for root in Self.unique(paths.readRoots)
            where !PathBytes.equal(root, "/tmp") && PathNormalizer.isWithin(root, "/tmp") && inspector.kind(of: root) == .directory {
                mounts.append(.readOnlyBind(source: root, destination: root))
            }
        }
        let writeRoots = Self.unique(paths.writeRoots).filter { inspector.kind(of: $0) == .directory }
        mounts += writeRoots.map { .bind($0) }
        mounts += SandboxCaches.caches(paths: paths, inspector: inspector).map {
            .bindAt(source: $0.privatePath, destination: $0.path)
        }

        let visible = allowlist ? readable + writeRoots : ["/"]
        let walk = try Self.denyMasks(paths: paths, visible: visible, writeRoots: writeRoots, inspector: inspector)
        let git = GitMetadataMounts(
            paths: paths, writeRoots: writeRoots, nested: walk.gitEntries, inspector: inspector)
        var guarded = writeRoots.flatMap { root in paths.rootRelativeProtected.map { (root: root, relative: $0) } }
        guarded += git.protections + Self.relativeToRoots(walk.protectedEntries, writeRoots: writeRoots)

        var placeholders: [String] = []
        var anchors: [String] = []
        var protections: [Mount] = []
        var protected: Set<PathKey> = []
        for (root, relative) in guarded {
            let protection = try Self.protect(relative, in: root, inspector: inspector)
            // `.git/hooks` and `.git/config` share one mount when `.git` is missing or a file.
            guard protected.insert(PathKey(protection.path)).inserted else { continue }
            anchors += protection.ancestors.filter { ancestor in !anchors.contains { PathBytes.equal($0, ancestor) } }
            if protection.exists {
                protections.append(.readOnlyBind(source: protection.path, destination: protection.path))
            } else {
                protections.append(.readOnlyBind(source: "/dev/null", destination: protection.path))
                placeholders.append(protection.path)
            }
        }
        anchors += walk.anchors.filter { ancestor in !anchors.contains { PathBytes.equal($0, ancestor) } }
        mounts += anchors.map { .bind($0) } + protections
        mounts += walk.masks
        if let emptyHome { mounts.append(.remountReadOnly(emptyHome)) }
        if allowlist { mounts.append(.remountReadOnly("/")) }
        self.mounts = mounts
        self.placeholders = placeholders
        self.watched = git.watched
        self.knownGitEntries = Set((walk.gitEntries + walk.pieEntries).map(PathKey.init))
        self.writeRoots = writeRoots
    }

    /// Absolute paths paired with the write root they lie below (entries outside every write root
    /// are read-only already).
    private static func relativeToRoots(_ found: [String], writeRoots: [String]) -> [(root: String, relative: String)] {
        found.compactMap { path in
            guard let root = writeRoots.first(where: { !PathBytes.equal($0, path) && PathNormalizer.isWithin(path, $0) })
            else { return nil }
            let skipped = PathBytes.equal(root, "/") ? 1 : root.utf8.count + 1
            return (root, String(decoding: path.utf8.dropFirst(skipped), as: UTF8.self))
        }
    }

    /// The host files of the `.copy` mounts, in order: the caller hands them to bwrap as the
    /// descriptors right after the seccomp program's (or from 3 without one).
    public var copiedFiles: [String] {
        mounts.compactMap { mount in
            if case .copy(let source, _) = mount { return source }
            return nil
        }
    }

    /// The same plan with the copies of `sources` bound instead (a file that could not be opened
    /// for copying is shown exactly as the bound plan would show it).
    public func binding(_ sources: [String]) -> BubblewrapPlan {
        let keys = Set(sources.map(PathKey.init))
        var plan = self
        plan.mounts = mounts.map { mount in
            if case .copy(let source, let destination) = mount, keys.contains(PathKey(source)) {
                return .readOnlyBind(source: source, destination: destination)
            }
            return mount
        }
        return plan
    }

    /// The full argv, `bwrap` first.
    public var arguments: [String] {
        var argv = [bwrap, "--new-session", "--die-with-parent", "--unshare-all"]
        if allowNetwork { argv.append("--share-net") }
        argv += ["--cap-drop", "ALL"]
        for capability in capabilities { argv += ["--cap-add", capability] }
        var copyDescriptor = (seccompDescriptor ?? 2) + 1
        for mount in mounts {
            switch mount {
            case .readOnlyBind(let source, let destination): argv += ["--ro-bind", source, destination]
            case .bind(let path): argv += ["--bind", path, path]
            case .bindAt(let source, let destination): argv += ["--bind", source, destination]
            case .tmpfs(let path, let size?): argv += ["--size", String(size), "--tmpfs", path]
            case .tmpfs(let path, nil): argv += ["--tmpfs", path]
            case .remountReadOnly(let path): argv += ["--remount-ro", path]
            case .devices(let path): argv += ["--dev", path]
            case .procfs(let path): argv += ["--proc", path]
            case .symlink(let target, let path): argv += ["--symlink", target, path]
            case .copy(_, let destination):
                argv += ["--file", String(copyDescriptor), destination]
                copyDescriptor += 1
            }
        }
        argv += ["--chdir", workingDirectory, "--clearenv"]
        for (key, value) in environment.sorted(by: { $0.key < $1.key }) {
            argv += ["--setenv", key, value]
        }
        if let seccompDescriptor { argv += ["--seccomp", String(seccompDescriptor)] }
        return argv + ["--"] + command
    }

    /// Whether `path` ends up as one of the plan's own tmpfs: no later mount binds a root onto it
    /// or onto a directory above it (a project in `/tmp` itself is the host's `/tmp`). Mounts
    /// beneath it do not count.
    public func isPrivateTmpfs(_ path: String) -> Bool {
        var isTmpfs = false
        for mount in mounts where PathNormalizer.isWithin(path, mount.target) {
            switch mount {
            // A read-only tmpfs on the path itself is a deny mask, not scratch space; remounting
            // something above it (the allowlist's root) changes no contents.
            case .remountReadOnly(let target): if PathBytes.equal(target, path) { isTmpfs = false }
            case .tmpfs(let target, _) where PathBytes.equal(target, path): isTmpfs = true
            default: isTmpfs = false
            }
        }
        return isTmpfs
    }

    /// The plan of a warm sandbox that serves commands with this plan: the same namespaces and
    /// mounts, minus the masks of missing protected paths (each command's child adds those in its
    /// own mount namespace, so no placeholder outlives a command), running `pie-sandbox-init` with
    /// the two capabilities it needs (mounts and namespaces; dropping the bounding set).
    /// Copies are bound again: the base is started once, without their descriptors, and its key
    /// and checks follow the bound host paths.
    public func warmBase(initPath: String) -> BubblewrapPlan {
        var base = binding(copiedFiles)
        let masked = Set(placeholders.map(PathKey.init))
        base.mounts = base.mounts.filter { mount in
            if case .readOnlyBind(let source, let destination) = mount, PathBytes.equal(source, "/dev/null") {
                return !masked.contains(PathKey(destination))
            }
            return true
        } + [.readOnlyBind(source: initPath, destination: WarmSandbox.initInside)]
        base.placeholders = []
        base.capabilities = ["CAP_SYS_ADMIN", "CAP_SETPCAP"]
        base.seccompDescriptor = nil
        base.workingDirectory = "/"
        base.environment = ["PATH": ShellEnvironment.defaultPath]
        base.command = [WarmSandbox.initInside, "3"]
        return base
    }

    /// Where a protected path gets its read-only mount, and the directories above it that must be
    /// pinned.
    private struct Protection {
        /// The protected path itself, or its first missing component (masked with `/dev/null`).
        var path: String
        var exists: Bool
        /// Existing directories between the root and `path`. Each is bound onto itself so it becomes
        /// a mount point: otherwise `mv .git .git2` would carry the protection away and let the
        /// command create a fresh, unprotected `.git/hooks`.
        var ancestors: [String]
    }

    /// Walks `relative` from `root`: a symlink on the way fails closed (a mount would follow it
    /// somewhere else), a missing component is where the mask goes.
    private static func protect(
        _ relative: String, in root: String, inspector: some PathInspector
    ) throws(SandboxSetupError) -> Protection {
        var current = root
        var ancestors: [String] = []
        let components = PathBytes.components(relative).filter { !PathBytes.isDot($0) }
        for (index, component) in components.enumerated() {
            if !PathBytes.equal(current, root) { ancestors.append(current) }
            current = PathNormalizer.join(current, String(component))
            switch inspector.kind(of: current) {
            case nil: return Protection(path: current, exists: false, ancestors: ancestors)
            case .symlink?:
                throw SandboxSetupError(
                    "cannot protect '\(PathNormalizer.join(root, relative))': '\(current)' is a symlink; "
                        + "replace it with a real directory or file")
            case .directory?: continue
            default:
                // A file where a directory was expected, e.g. a worktree's `.git` (`gitdir: …`):
                // nothing can exist beneath it, and rewriting it would redirect git, so the file
                // itself is what gets protected.
                if index < components.count - 1 {
                    return Protection(path: current, exists: true, ancestors: ancestors)
                }
            }
        }
        return Protection(path: current, exists: true, ancestors: ancestors)
    }

    /// What the bounded walk of the roots found: masks for deny-listed absolute paths that exist
    /// and are visible in the sandbox, and for entries that `PathPolicy.classify` denies (the
    /// `**/.env*` kind); the directories to pin above deny-listed paths inside a write root
    /// (renaming them would carry the mask away from the host path pie writes, such as an audit log
    /// in the project); the `.git` entries below the roots (each a repository whose metadata
    /// `GitMetadataMounts` closes); and the existing entries named by protected `**/NAME` patterns.
    private struct Walk {
        var masks: [Mount] = []
        var anchors: [String] = []
        var gitEntries: [String] = []
        var protectedEntries: [String] = []
        /// Every `.pie` entry met, denied ones included (pie's own state directory when `$HOME`
        /// lies in a root): what `GitMetadataSweep` must leave alone after the command.
        var pieEntries: [String] = []
    }

    /// Masks deny-listed absolute paths visible beneath one of `visible`, then walks the writable
    /// roots and the project root breadth-first, within `denyWalkDepth` and `denyWalkEntryLimit`.
    ///
    /// A name that is not UTF-8 cannot be written in bwrap's argv, so one that matches a deny
    /// pattern stops the plan instead of staying readable.
    private static func denyMasks(
        paths: PathPolicy, visible: [String], writeRoots: [String], inspector: some PathInspector
    ) throws(SandboxSetupError) -> Walk {
        var walk = Walk()
        var masked: Set<PathKey> = []
        var maskedDirectories: [String] = []
        func mask(_ path: String, kind: FileKind?) {
            // Inside a masked directory there is nothing left to hide, and its read-only tmpfs
            // could not hold another mount point.
            if maskedDirectories.contains(where: { PathNormalizer.isWithin(path, $0) }) { return }
            guard masked.insert(PathKey(path)).inserted else { return }
            if kind == .directory { maskedDirectories.append(path) }
            switch kind {
            case .directory?: walk.masks += [.tmpfs(path, sizeBytes: nil), .remountReadOnly(path)]
            case nil: return
            default: walk.masks.append(.readOnlyBind(source: "/dev/null", destination: path))
            }
        }
        // Shorter first, so a denied directory is masked before anything denied inside it.
        let absolute = paths.denyAbsolutePaths.enumerated().sorted { ($0.element.utf8.count, $0.offset) < ($1.element.utf8.count, $1.offset) }
        for path in absolute.map(\.element) where visible.contains(where: { PathNormalizer.isWithin(path, $0) }) {
            guard let kind = inspector.kind(of: path) else { continue }
            if let root = writeRoots.first(where: { PathNormalizer.isWithin(path, $0) }) {
                var ancestor = PathNormalizer.normalize(path + "/..")
                var above: [String] = []
                while !PathBytes.equal(ancestor, root), PathNormalizer.isWithin(ancestor, root), inspector.kind(of: ancestor) == .directory {
                    above.insert(ancestor, at: 0)
                    ancestor = PathNormalizer.normalize(ancestor + "/..")
                }
                walk.anchors += above.filter { ancestor in !walk.anchors.contains { PathBytes.equal($0, ancestor) } }
            }
            mask(path, kind: kind == .symlink ? inspector.targetKind(of: path) : kind)
        }
        let roots = unique(paths.writeRoots + [paths.projectRoot])
        var queue = roots.map { ($0, 0) }
        var visited = 0
        var index = 0
        while index < queue.count, visited < denyWalkEntryLimit {
            let (directory, depth) = queue[index]
            index += 1
            for entry in inspector.entries(of: directory) {
                visited += 1
                if let raw = entry.rawName, paths.deniesName(raw) {
                    throw SandboxSetupError(
                        "'\(PathNormalizer.join(directory, entry.name))' matches a deny pattern, but its name is not "
                            + "valid UTF-8, so the sandbox cannot mask it; rename it to UTF-8 or move it out of the project")
                }
                let path = PathNormalizer.join(directory, entry.name)
                if PathBytes.equal(entry.name, ".pie") { walk.pieEntries.append(path) }
                if case .denied(let rule, _) = paths.classify(path, access: .read), rule == "path.deny" {
                    mask(path, kind: entry.kind == .symlink ? inspector.targetKind(of: path) : entry.kind)
                    continue
                }
                if depth > 0, PathBytes.equal(entry.name, ".git") {
                    walk.gitEntries.append(path)
                } else if paths.protectedNames.contains(where: { $0.elementsEqual(entry.name.utf8) }) {
                    walk.protectedEntries.append(path)
                }
                if entry.kind == .directory, depth + 1 < denyWalkDepth, !denyWalkSkipped.contains(entry.name) {
                    queue.append((path, depth + 1))
                }
            }
        }
        return walk
    }

    private static func unique(_ paths: [String]) -> [String] {
        var seen: Set<PathKey> = []
        return paths.filter { seen.insert(PathKey($0)).inserted }
    }
}
