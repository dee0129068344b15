import Glibc

/// What a warm sandbox was built from: its bwrap arguments and the identity (device, inode) of
/// every host path they bind or mask. A command may use the sandbox only when both are unchanged:
/// equal arguments mean the same policy and the same protected and deny paths found on disk, and
/// equal identities mean no bound directory or protected file was replaced since (a replaced one
/// would have lost its mount inside the sandbox).
struct WarmSandboxKey: Hashable, Sendable {
    var arguments: [String]
    var identities: [UInt64]

    init(base: BubblewrapPlan) {
        arguments = base.arguments
        var identities: [UInt64] = []
        for mount in base.mounts {
            let paths: [String]
            switch mount {
            case .readOnlyBind(let source, _), .copy(let source, _): paths = [source]
            case .bind(let source): paths = [source]
            // A package cache: its private directory, and the host directory it covers (replaced
            // on the host, it would lose the mount inside the sandbox).
            case .bindAt(let source, let destination): paths = [source, destination]
            case .tmpfs(let target, _), .remountReadOnly(let target): paths = [target]
            case .devices, .procfs, .symlink: continue
            }
            for path in paths {
                var info = stat()
                if lstat(path, &info) == 0 {
                    identities += [UInt64(info.st_dev), UInt64(info.st_ino)]
                } else {
                    identities += [0, 0]
                }
            }
        }
        self.identities = identities
    }
}
