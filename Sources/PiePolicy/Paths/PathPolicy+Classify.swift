extension PathPolicy {
    /// Every protected path under every write root, whether or not it exists.
    public var protectedAbsolutePaths: [String] {
        writeRoots.flatMap { root in protected.map { PathNormalizer.join(root, $0) } }
    }

    /// Judges an already-normalized absolute path. Pure and lexical: callers resolve symlinks first
    /// (the policy) or make them impossible (`openat2` with `RESOLVE_NO_SYMLINKS` in the file backend).
    public func classify(_ path: String, access: PathAccess) -> PathVerdict {
        if PathNormalizer.isMagicProcPath(path) {
            return .denied(
                rule: "path.magic_link",
                reason: "'\(path)' is a /proc magic link that can escape every root; it is never reachable")
        }
        for denied in denyAbsolutePaths where PathNormalizer.isWithin(path, denied) {
            return .denied(
                rule: "path.deny",
                reason: "'\(path)' is on the deny list ('\(denied)'); it holds secrets or pie's own state")
        }
        let globs = denyNamePatterns
        if !globs.isEmpty {
            for component in path.utf8.split(separator: UInt8(ascii: "/")) {
                for glob in globs where ComponentGlob(glob).matches(Array(component)) {
                    return .denied(
                        rule: "path.deny",
                        reason: "'\(path)' matches the deny pattern '**/\(glob)'; such files usually hold secrets")
                }
            }
        }
        switch access {
        case .read:
            if let root = (writeRoots + readRoots).first(where: { PathNormalizer.isWithin(path, $0) }) {
                return .allowed(root: root)
            }
            return .denied(
                rule: "path.outside_roots",
                reason: "'\(path)' is outside the readable roots (\(rootList(writeRoots + readRoots))); "
                    + "add one with --allow-path")
        case .write:
            guard let root = writeRoots.first(where: { PathNormalizer.isWithin(path, $0) }) else {
                return .denied(
                    rule: "path.outside_roots",
                    reason: "'\(path)' is outside the writable roots (\(rootList(writeRoots))); "
                        + "add one with --allow-path")
            }
            for relative in protected {
                let guarded = PathNormalizer.join(root, relative)
                if PathNormalizer.isWithin(path, guarded) {
                    return .denied(
                        rule: "path.protected",
                        reason: "'\(path)' is protected ('\(relative)' stays read-only: it can run code "
                            + "or change pie's own settings outside the sandbox)")
                }
            }
            return .allowed(root: root)
        }
    }

    private func rootList(_ roots: [String]) -> String {
        roots.isEmpty ? "none" : roots.joined(separator: ", ")
    }
}
