/// Recursive writes: `rm -r DIR`, `mv DIR x`, `cp -r x DIR`, `chmod -R`, `find DIR -delete`
/// change everything below DIR, so DIR must not hold what a write to it directly could not
/// change. Lexical, like `classify`: what the policy knows by name (each write root's `.git`,
/// the git directories it found, protected and denied paths). Names below DIR that no list
/// spells out are found by `PathResolver.heldEntries` (direct children) or contained by the
/// sandbox's read-only binds.
extension PathPolicy {
    /// Why writing everything below the normalized absolute `path` is refused, phrased to follow
    /// "writes 'PATH' and everything below it, "; `nil` when nothing the policy guards lies
    /// strictly below it.
    public func treeRefusal(_ path: String) -> String? {
        for root in writeRoots {
            let git = PathNormalizer.join(root, ".git")
            if isStrictlyBelow(git, path) {
                return "which holds the git directory '\(git)' (config and hooks that git runs on the host)"
            }
        }
        for directory in gitDirectories where isStrictlyBelow(directory, path) {
            return "which holds the git directory '\(directory)' (config and hooks that git runs on the host)"
        }
        for denied in denyAbsolutePaths where isStrictlyBelow(denied, path) {
            return "which holds the denied path '\(denied)' (secrets or pie's own state)"
        }
        for guarded in protectedAbsolutePaths where isStrictlyBelow(guarded, path) {
            return "which holds the protected path '\(guarded)' (it stays read-only: it can run code or change "
                + "settings outside the sandbox)"
        }
        guard PathNormalizer.isWithin(home, path) else { return nil }
        for relative in protected where !relative.hasPrefix("**/") {
            let guarded = PathNormalizer.join(home, relative)
            if isStrictlyBelow(guarded, path) {
                return "which holds the protected path '\(guarded)' (a start-up file of the home directory)"
            }
        }
        return nil
    }

    /// Protected `**/NAME` entries, spelled as names (`.git` comes first: every git directory
    /// is guarded whatever the protected list says).
    public var guardedNames: [String] {
        [".git"] + protectedNames.map { String(decoding: $0, as: UTF8.self) }
    }

    private func isStrictlyBelow(_ inner: String, _ outer: String) -> Bool {
        PathNormalizer.isWithin(inner, outer) && inner.utf8.count != outer.utf8.count
    }
}
