/// Where tools may read and write: roots, a deny list and protected paths.
///
/// This one value feeds the policy decision, the confined file backend and the bubblewrap mount plan,
/// so the three can never disagree about what is reachable.
public struct PathPolicy: Sendable, Equatable {
    /// The canonical project directory (the run's working directory).
    public var projectRoot: String
    /// Canonical absolute directories whose contents may be read.
    public var readRoots: [String]
    /// Canonical absolute directories whose contents may be written (each is also readable).
    public var writeRoots: [String] { didSet { deriveProtectedPaths() } }
    /// Deny patterns as configured: absolute paths, `~/…` paths, or `**/NAME` globs on a path component.
    public var deny: [String] { didSet { deriveDenyLists() } }
    /// Paths relative to every write root that stay read-only even when they do not exist yet, and
    /// `**/NAME` entries: a component named NAME at any depth below a write root.
    public var protected: [String] {
        didSet {
            deriveProtectedNames()
            deriveProtectedPaths()
        }
    }
    /// Git directories the policy found that are not named `.git` (the target of a root's `gitdir:`
    /// file, its common directory, a bare repository used as a root). Writes inside them follow
    /// `GitLayout` just like writes inside a `.git` directory.
    public var gitDirectories: [String]
    /// The home directory `~` expands to.
    public var home: String {
        didSet {
            deriveDenyLists()
            deriveProtectedPaths()
        }
    }
    /// What a sandboxed command sees besides the roots: an allowlist of system paths with an
    /// empty `$HOME`, or the host's `/` read-only (see `SandboxReadRoots`).
    public var sandboxReads: SandboxReads = .host
    /// Package caches below `$HOME` (`sandbox_caches`, `~` expanded and normalized) that a sandbox
    /// reading the host gets as private, per-project writable directories instead of the host's own
    /// read-only ones (docs/sandbox.md "Package caches in balanced's sandbox").
    public var sandboxCaches: [String] = []
    /// Where those private directories live, one subdirectory per project
    /// (`$XDG_CACHE_HOME/pie/sandbox-caches`); on the deny list, so no tool reaches it directly.
    public var sandboxCacheRoot: String?
    /// Deny entries that name concrete paths, with `~` expanded and normalized.
    ///
    /// Stored, not computed: `classify` runs for every path of every tool call and shell command,
    /// and normalizing the deny list on each call was a third of a policy decision's time.
    public private(set) var denyAbsolutePaths: [String] = []
    /// `denyAbsolutePaths` as bytes, in the same order (stored, as above).
    private(set) var denyAbsoluteBytes: [[UInt8]] = []
    /// Deny entries of the form `**/GLOB`, reduced to the component glob (stored, as above).
    public private(set) var denyNamePatterns: [String] = []
    /// `denyNamePatterns` compiled, in the same order (stored, as above).
    private(set) var denyNameGlobs: [ComponentGlob] = []
    /// Protected `**/NAME` entries as the bytes of NAME (stored, as above).
    public private(set) var protectedNames: [[UInt8]] = []
    /// Every protected path directly under every write root, whether or not it exists (a
    /// `**/NAME` entry counts here at the root; its deeper places are found by walking). Stored,
    /// as above: the mount plan, the file backend and recursive-write checks ask for it.
    public private(set) var protectedAbsolutePaths: [String] = []
    /// The plain (not `**/`) protected entries joined to each write root and, where `$HOME` lies
    /// below that root, to `$HOME`, with their case-folded spelling: what `classify` compares
    /// every write against, built once instead of joined and folded on each decision.
    private(set) var protectedGuards: [ProtectedGuard] = []

    public init(
        projectRoot: String, readRoots: [String], writeRoots: [String], deny: [String], protected: [String],
        home: String, gitDirectories: [String] = []
    ) {
        self.projectRoot = projectRoot
        self.readRoots = readRoots
        self.writeRoots = writeRoots
        self.deny = deny
        self.protected = protected
        self.home = home
        self.gitDirectories = gitDirectories
        deriveDenyLists()
        deriveProtectedNames()
        deriveProtectedPaths()
    }

    private mutating func deriveDenyLists() {
        denyAbsolutePaths = deny.compactMap { entry in
            if PathBytes.hasPrefix(entry, "**/") { return nil }
            return PathNormalizer.expandHome(entry, home: home).map { PathNormalizer.normalize($0) }
        }
        denyNamePatterns = deny.compactMap { PathBytes.hasPrefix($0, "**/") ? PathBytes.dropFirst($0, bytes: 3) : nil }
        denyNameGlobs = denyNamePatterns.map(ComponentGlob.init)
        denyAbsoluteBytes = denyAbsolutePaths.map { Array($0.utf8) }
    }

    private mutating func deriveProtectedPaths() {
        protectedAbsolutePaths = writeRoots.flatMap { root in rootRelativeProtected.map { PathNormalizer.join(root, $0) } }
        protectedGuards = []
        for root in writeRoots {
            // Shell start-up files run from $HOME, wherever the root above it is.
            let bases = home != root && PathNormalizer.isWithin(home, root) ? [root, home] : [root]
            for base in bases {
                for relative in protected where !relative.hasPrefix("**/") {
                    let path = PathNormalizer.join(base, relative)
                    protectedGuards.append(
                        ProtectedGuard(root: root, relative: relative, path: path, folded: CaseFold.folded(path)))
                }
            }
        }
    }

    private mutating func deriveProtectedNames() {
        protectedNames = protected.compactMap { $0.hasPrefix("**/") ? Array($0.utf8.dropFirst(3)) : nil }
    }
}

/// One protected path as `classify` checks it: the write root it guards, the entry as configured
/// (named in the refusal), and the absolute path in its own and its case-folded spelling.
struct ProtectedGuard: Sendable, Equatable {
    var root: String
    var relative: String
    var path: String
    var folded: String
}
