import PiePolicy

/// The file system as a plan should see it while other runs of this process hold placeholders:
/// a placeholder another run is using counts as missing, so this run masks it as a placeholder
/// too (and counts itself among its users) instead of binding the empty file, which the other
/// run deletes when it is done, and this run's bubblewrap would then fail to find ("Can't find
/// source path"). Seen with two command probes at once in one project.
struct PlaceholderAwareInspector: PathInspector {
    let base: any PathInspector
    let inUse: Set<PathKey>

    func kind(of path: String) -> FileKind? {
        inUse.contains(PathKey(path)) ? nil : base.kind(of: path)
    }

    func targetKind(of path: String) -> FileKind? {
        inUse.contains(PathKey(path)) ? nil : base.targetKind(of: path)
    }

    func entries(of path: String) -> [DirectoryEntry] {
        guard !inUse.isEmpty else { return base.entries(of: path) }
        return base.entries(of: path).filter { !inUse.contains(PathKey(PathNormalizer.join(path, $0.name))) }
    }

    func hostEntry(_ path: String) -> SandboxReadRoots.HostEntry? {
        inUse.contains(PathKey(path)) ? nil : base.hostEntry(path)
    }
}
