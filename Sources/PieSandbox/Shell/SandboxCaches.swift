import Glibc
import PiePolicy
import PieSystem

/// Package caches in a sandbox that reads the host (balanced's `sandbox_reads = "host"`).
///
/// `$HOME` is read-only there, so a build that must download (`cargo build`, `npm install`,
/// `pip install`, `go build`) could not add to `~/.cargo/registry` or `~/.npm`. Making the host's
/// cache writable would let a command leave code the host runs later (a crate's `build.rs` in
/// `~/.cargo/registry/src`, a wheel, a Go module), so each `sandbox_caches` directory is instead
/// covered by a **private directory of this project**, bound read-write at the same path. What a
/// command downloads persists there for the project's later commands; the host's cache is neither
/// written nor seen, and another project has its own.
///
/// bubblewrap 0.8 has no overlay mounts (`--overlay-src` came in 0.9), so the private directory
/// starts empty rather than as a copy-on-write view of the host's cache: the first build of a
/// project downloads again.
public enum SandboxCaches {
    /// One cache as the plan binds it.
    public struct Cache: Sendable, Equatable {
        /// The cache's path on the host, where the sandbox sees the private directory.
        public var path: String
        /// This project's private directory for it.
        public var privatePath: String
    }

    /// This project's private caches: the cache root, then the first 16 bytes of the SHA-256 of the
    /// project's canonical path in hex (a collision would let one project see another's caches, so
    /// a cryptographic hash, not a checksum). Nil when the policy has no caches.
    /// `nil` when there is no cache root, or when libcrypto, which names the project's directory,
    /// cannot be loaded: then no private cache is bound and the host's caches stay read-only, as
    /// they were before caches existed (`pie sandbox doctor` lists none).
    public static func projectDirectory(_ paths: PathPolicy) -> String? {
        guard let root = paths.sandboxCacheRoot, let key = projectKey(paths.projectRoot) else { return nil }
        return PathNormalizer.join(root, key)
    }

    /// The first 16 bytes of the SHA-256 of the project's path, in hex: one digest of a short
    /// string per plan, cheap enough not to need a process-wide cache.
    private static func projectKey(_ projectRoot: String) -> String? {
        let digest: [UInt8]
        do {
            digest = try SHA256.hash(projectRoot.utf8)
        } catch {
            return nil
        }
        return Hex.lowercase(digest.prefix(16))
    }

    /// The caches the sandbox gets, as the file system looks now: of `applicableSandboxCaches`,
    /// those that are real directories on the host (not symlinks) and whose private directory
    /// exists (otherwise the cache stays read-only, as it was before).
    static func caches(paths: PathPolicy, inspector: some PathInspector) -> [Cache] {
        guard let directory = projectDirectory(paths) else { return [] }
        return paths.applicableSandboxCaches.compactMap { path in
            guard inspector.kind(of: path) == .directory else { return nil }
            let cache = Cache(path: path, privatePath: privatePath(path, in: directory, home: paths.home))
            return inspector.kind(of: cache.privatePath) == .directory ? cache : nil
        }
    }

    /// Creates what `caches` binds, before a plan is made: this project's private directory for each
    /// cache (mode 0700, with its parents), and a missing cache directory on the host when its
    /// parent exists: one empty directory, as the tool would make on first use, because bwrap cannot
    /// create a mount point on the read-only `/`. Never `mkdir -p` on the host, so no `~/go` appears
    /// for someone who does not use Go. A step that fails leaves that cache read-only.
    static func prepare(_ paths: PathPolicy) {
        guard let directory = projectDirectory(paths) else { return }
        for path in paths.applicableSandboxCaches {
            // Every command of a plan comes here: after the first, both exist and this is two lstats.
            let privateDirectory = privatePath(path, in: directory, home: paths.home)
            var info = stat()
            if lstat(privateDirectory, &info) != 0 { makeDirectories(privateDirectory) }
            if lstat(path, &info) != 0, errno == ENOENT {
                let parent = PathNormalizer.normalize(path + "/..")
                if stat(parent, &info) == 0, info.st_mode & S_IFMT == S_IFDIR { _ = mkdir(path, 0o777) }
            }
        }
    }

    /// The cache's path below `$HOME`, mirrored under the project's directory
    /// (`…/<project>/.cargo/registry`), so a person can tell which cache is which.
    private static func privatePath(_ path: String, in directory: String, home: String) -> String {
        let relative = String(decoding: path.utf8.dropFirst(home == "/" ? 1 : home.utf8.count + 1), as: UTF8.self)
        return PathNormalizer.join(directory, relative)
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
