import Glibc
import PiePolicy
import Synchronization

/// Package caches in a sandbox that reads the host (balanced's `sandbox_reads = "host"`).
///
/// `$HOME` is read-only there, so a build that must download (`cargo build`, `npm install`,
/// `pip install`, `go build`) could not add to `~/.cargo/registry` or `~/.npm`. Making the host's
/// cache writable would let a command leave code the host runs later (a crate's `build.rs` in
/// `~/.cargo/registry/src`, a wheel, a Go module), so each `sandbox_caches` directory is instead
/// given to the sandbox as a **copy-on-write view**: an overlay whose lower layer is the host's
/// cache (read-only) and whose upper layer is a private directory of this project. A command sees
/// what the host has cached and writes only to the project's copy, which persists for the
/// project's later commands; another project has its own, and the host's cache never changes.
///
/// bubblewrap 0.8 cannot mount an overlay (`--overlay-src` came in 0.9), so `pie-sandbox-init`
/// does it inside the sandbox, where it holds `CAP_SYS_ADMIN` in the sandbox's user namespace: at
/// the start of a warm sandbox, or, for a command in a bubblewrap of its own, just before it drops
/// every capability, installs the seccomp program and executes the command. Without the init, or
/// for a cache whose path overlayfs options cannot carry or that holds a denied path (an overlay
/// would show what bwrap masked beneath it), the private directory is bound on its own: writable,
/// private, but starting without the host's contents.
public enum SandboxCaches {
    /// Where the plan makes the project's private directories reachable for the init, which covers
    /// it with an empty read-only tmpfs once the overlays are mounted.
    static let staging = "/tmp/.pie-caches"

    /// One cache as the plan mounts it.
    public struct Cache: Sendable, Equatable {
        /// The cache's path on the host, where the sandbox sees the private view.
        public var path: String
        /// The cache's path below `$HOME`, which is also its place in the project's directory.
        public var relative: String
        /// This project's directory for it, holding the overlay's `upper` and `work` directories.
        public var privatePath: String
        /// Whether an overlay can be mounted: overlayfs options are split on `,` and `:` and take
        /// `\` as an escape, and pie does not escape them.
        public var overlayable: Bool

        /// What the command wrote (the overlay's upper layer, or the bound directory).
        public var upper: String { privatePath + "/upper" }
        public var work: String { privatePath + "/work" }
    }

    /// This project's private caches: the cache root, then the first 16 bytes of the SHA-256 of the
    /// project's canonical path in hex (a collision would let one project see another's caches, so
    /// a cryptographic hash, not a checksum). Nil when the policy has no caches.
    public static func projectDirectory(_ paths: PathPolicy) -> String? {
        guard let root = paths.sandboxCacheRoot else { return nil }
        return PathNormalizer.join(root, projectKey(paths.projectRoot))
    }

    /// Hashes already made: every command's plan asks, and a process serves one or two projects.
    private static let keys = Mutex<[String: String]>([:])

    private static func projectKey(_ projectRoot: String) -> String {
        if let known = keys.withLock({ $0[projectRoot] }) { return known }
        let digest = SHA256.hash(projectRoot.utf8).prefix(16)
        let key = digest.map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined()
        keys.withLock { $0[projectRoot] = key }
        return key
    }

    /// The caches the sandbox gets, as the file system looks now: of `applicableSandboxCaches`,
    /// those that are real directories on the host (not symlinks) and whose private directories
    /// exist (otherwise the cache stays the host's, read-only, as it was before).
    static func caches(paths: PathPolicy, inspector: some PathInspector) -> [Cache] {
        guard let directory = projectDirectory(paths) else { return [] }
        return paths.applicableSandboxCaches.compactMap { path in
            guard inspector.kind(of: path) == .directory else { return nil }
            let cache = cache(path, in: directory, paths: paths)
            let ready = [cache.upper, cache.work].allSatisfy { inspector.kind(of: $0) == .directory }
            return ready ? cache : nil
        }
    }

    /// The mounts for `caches` and the arguments that tell `pie-sandbox-init` which overlays to
    /// mount (none without an init: then every cache is its private directory bound on its own).
    static func mounts(
        _ caches: [Cache], paths: PathPolicy, initPath: String?
    ) -> (mounts: [BubblewrapPlan.Mount], initArguments: [String]) {
        let overlays = initPath == nil ? [] : caches.filter(\.overlayable)
        var mounts: [BubblewrapPlan.Mount] = caches.filter { !overlays.contains($0) }.map {
            .bindAt(source: $0.upper, destination: $0.path)
        }
        guard let initPath, let directory = projectDirectory(paths), !overlays.isEmpty else { return (mounts, []) }
        mounts += [
            .bindAt(source: directory, destination: staging),
            .readOnlyBind(source: initPath, destination: WarmSandbox.initInside),
        ]
        let arguments = overlays.flatMap { cache in
            let staged = PathNormalizer.join(staging, cache.relative)
            return ["--overlay", cache.path, staged + "/upper", staged + "/work"]
        }
        return (mounts, arguments + ["--hide", staging])
    }

    /// Creates what `caches` needs, before a plan is made: this project's `upper` and `work`
    /// directories for each cache (mode 0700, with their parents), and a missing cache directory on
    /// the host when its parent exists: one empty directory, as the tool would make on first use,
    /// because neither bwrap nor overlayfs can make a mount point on the read-only `/`. Never
    /// `mkdir -p` on the host, so no `~/go` appears for someone who does not use Go. A step that
    /// fails leaves that cache the host's, read-only.
    static func prepare(_ paths: PathPolicy) {
        guard let directory = projectDirectory(paths) else { return }
        for path in paths.applicableSandboxCaches {
            // Every command of a plan comes here: after the first, both exist and this is three lstats.
            let cache = cache(path, in: directory, paths: paths)
            var info = stat()
            for made in [cache.upper, cache.work] where lstat(made, &info) != 0 { makeDirectories(made) }
            if lstat(path, &info) != 0, errno == ENOENT {
                let parent = PathNormalizer.normalize(path + "/..")
                if stat(parent, &info) == 0, info.st_mode & S_IFMT == S_IFDIR { _ = mkdir(path, 0o777) }
            }
        }
    }

    /// `path`'s cache in the project's directory (`…/<project>/.cargo/registry`, mirroring the
    /// path below `$HOME` so a person can tell which is which). An overlay would show what bwrap
    /// masked beneath the cache, so a cache holding a denied path is never overlaid.
    private static func cache(_ path: String, in directory: String, paths: PathPolicy) -> Cache {
        let relative = String(decoding: path.utf8.dropFirst(paths.home == "/" ? 1 : paths.home.utf8.count + 1), as: UTF8.self)
        let privatePath = PathNormalizer.join(directory, relative)
        let special: Set<UInt8> = [UInt8(ascii: ","), UInt8(ascii: ":"), UInt8(ascii: "\\")]
        let plain = !(path + privatePath).utf8.contains(where: special.contains)
        let masksInside = paths.denyAbsolutePaths.contains { $0 != path && PathNormalizer.isWithin($0, path) }
        return Cache(path: path, relative: relative, privatePath: privatePath, overlayable: plain && !masksInside)
    }

    /// `mkdir -p` with mode 0700 for each directory it creates: nothing in the caches is anyone
    /// else's business.
    private static func makeDirectories(_ path: String) {
        var current = ""
        for component in path.split(separator: "/") {
            current += "/" + component
            _ = mkdir(current, 0o700)
        }
    }
}
