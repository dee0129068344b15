extension PathPolicy {
    /// Protected entries as they stand under each write root: `**/NAME` holds at the root too,
    /// where a missing one must be masked like any other protected path.
    public var rootRelativeProtected: [String] {
        protected.map { $0.hasPrefix("**/") ? String($0.dropFirst(3)) : $0 }
    }

    /// Judges an already-normalized absolute path. Pure and lexical: callers resolve symlinks first
    /// (the policy) or make them impossible (`openat2` with `RESOLVE_NO_SYMLINKS` in the file backend).
    public func classify(_ path: String, access: PathAccess) -> PathVerdict {
        if PathNormalizer.isMagicProcPath(path) {
            return .denied(
                rule: "path.magic_link",
                reason: "'\(path)' is a /proc magic link that can escape every root; it is never reachable")
        }
        let denial = PathBytes.withBytes(of: path) { bytes in
            (entry: denyAbsoluteBytes.firstIndex { entry in entry.withUnsafeBufferPointer { PathBytes.isWithin(bytes, $0) } }, name: deniedNameIndex(bytes))
        }
        if let entry = denial.entry {
            return .denied(
                rule: "path.deny",
                reason: "'\(path)' is on the deny list ('\(denyAbsolutePaths[entry])'); it holds secrets or pie's own state")
        }
        if let name = denial.name {
            return .denied(
                rule: "path.deny",
                reason: "'\(path)' matches the deny pattern '**/\(denyNamePatterns[name])'; such files usually hold secrets")
        }
        switch access {
        case .read:
            if let root = writeRoots.first(where: { PathNormalizer.isWithin(path, $0) })
                ?? readRoots.first(where: { PathNormalizer.isWithin(path, $0) })
            {
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
            if let refusal = gitRefusal(path) {
                return .denied(rule: "path.git_metadata", reason: refusal)
            }
            // Plain entries hold at the root and, when the home directory lies below it, at home
            // too (`protectedGuards`); compared folded as well: on a case-insensitive file system
            // `.BASHRC` is `.bashrc`.
            let foldedPath = CaseFold.folded(path)
            for guarded in protectedGuards where PathBytes.equal(guarded.root, root) {
                guard PathNormalizer.isWithin(path, guarded.path) || PathNormalizer.isWithin(foldedPath, guarded.folded)
                else { continue }
                return .denied(
                    rule: "path.protected",
                    reason: "'\(path)' is protected ('\(guarded.relative)' stays read-only: it can run code "
                        + "or change pie's own settings outside the sandbox)")
            }
            if let name = nestedProtectedName(path, root: root) {
                return .denied(
                    rule: "path.protected",
                    reason: "'\(path)' is protected ('**/\(name)' stays read-only at any depth: it can run code "
                        + "or change settings outside the sandbox)")
            }
            return .allowed(root: root)
        }
    }

    /// The index of the first `**/GLOB` deny pattern that a component of `path` matches, trying
    /// the components in order and each against every pattern, without splitting the path.
    private func deniedNameIndex(_ path: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !denyNameGlobs.isEmpty else { return nil }
        var start = 0
        while start < path.count {
            if path[start] == PathBytes.slash {
                start += 1
                continue
            }
            var end = start
            while end < path.count, path[end] != PathBytes.slash { end += 1 }
            if let index = denyNameGlobs.firstIndex(where: { $0.matches(path[start..<end]) }) { return index }
            start = end
        }
        return nil
    }

    /// Why a write to `path` would change a git directory beyond what git needs to commit and
    /// fetch (`GitLayout`), or create a `.git` entry or a `HEAD` outside one; nil when it does not.
    /// Every `.git` component is judged, so `.git/refs/x/.git/config` is caught by its second.
    func gitRefusal(_ path: String) -> String? {
        let parts = path.utf8.split(separator: UInt8(ascii: "/"))
        var insideGitDirectory = false
        for (index, part) in parts.enumerated() where CaseFold.equal(part, ".git") {
            insideGitDirectory = true
            let rest = parts[(index + 1)...].map { String(decoding: $0, as: UTF8.self) }
            if let refusal = GitLayout.refusal(rest[...]) {
                return "'\(path)' is in git metadata, which tools may change only where git itself writes to "
                    + "commit and fetch (objects, refs, logs, index, HEAD, packed-refs and their locks): \(refusal)"
            }
        }
        for directory in gitDirectories where PathNormalizer.isWithin(path, directory) {
            insideGitDirectory = true
            let rest = path.utf8.dropFirst(directory == "/" ? 0 : directory.utf8.count)
                .split(separator: UInt8(ascii: "/")).map { String(decoding: $0, as: UTF8.self) }
            if let refusal = GitLayout.refusal(rest[...]) {
                return "'\(path)' is in the git directory '\(directory)', which tools may change only where git "
                    + "itself writes to commit and fetch: \(refusal)"
            }
        }
        if !insideGitDirectory, let last = parts.last, CaseFold.equal(last, "HEAD") {
            return "'\(path)' would be a file named HEAD outside a git directory, which makes its directory look "
                + "like a bare repository whose config git reads when run there"
        }
        return nil
    }

    /// The protected `**/NAME` that a component of `path` below `root` matches, if any.
    private func nestedProtectedName(_ path: String, root: String) -> String? {
        guard !protectedNames.isEmpty else { return nil }
        let below = path.utf8.dropFirst(root == "/" ? 0 : root.utf8.count)
        for component in below.split(separator: UInt8(ascii: "/")) {
            for name in protectedNames where CaseFold.equal(component, name) {
                return String(decoding: name, as: UTF8.self)
            }
        }
        return nil
    }

    private func rootList(_ roots: [String]) -> String {
        roots.isEmpty ? "none" : roots.joined(separator: ", ")
    }
}
