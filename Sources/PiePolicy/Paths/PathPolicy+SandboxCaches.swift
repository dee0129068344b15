extension PathPolicy {
    /// The `sandboxCaches` entries that a sandbox gets as private directories of the project, before
    /// looking at the disk: none unless the sandbox reads the host (under the allowlist `$HOME` is
    /// empty anyway), and never one that a writable root covers (it is writable already, and the
    /// project's own), that a read root covers (`read_paths = ["~/.cargo/registry"]` asks for the
    /// host's cache as it is, read-only, e.g. for offline builds), that is denied, or that lies in
    /// the cache root itself. Outer caches first, so a nested entry's mount lands inside.
    public var applicableSandboxCaches: [String] {
        guard sandboxReads == .host, sandboxCacheRoot != nil else { return [] }
        let roots = writeRoots + readRoots
        let applicable = sandboxCaches.filter { path in
            !roots.contains { PathNormalizer.isWithin(path, $0) }
                && !denyAbsolutePaths.contains { PathNormalizer.isWithin(path, $0) }
                && !(sandboxCacheRoot.map { PathNormalizer.isWithin(path, $0) } ?? false)
        }
        return applicable.enumerated().sorted { ($0.element.utf8.count, $0.offset) < ($1.element.utf8.count, $1.offset) }
            .map(\.element)
    }
}
