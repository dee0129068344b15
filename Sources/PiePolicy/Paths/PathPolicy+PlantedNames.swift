/// What a name found in a writable root means to git or to another tool on the host, for the
/// sandbox's sweep after each command (`ConfigurationSweep`, docs/sandbox.md "Configuration a
/// command plants"). Names are compared case-folded, as `classify` compares them.
public enum PlantedName: Sendable, Equatable {
    /// `.git`: a repository (directory) or a pointer to one (`gitdir:` file) that git trusts.
    case gitEntry
    /// `HEAD`: with `objects/` and `refs/` (or a `commondir`), git's test for a git directory
    /// (setup.c `is_git_directory`); git discovers such a directory and reads its `config`.
    case head
    /// A protected name (`protected_paths`), spelled as the list spells it.
    case protected(String)
}

extension PathPolicy {
    /// What `name` is, when it is one of the names the sweep looks for; nil for an ordinary name.
    /// `atRoot`: the entry lies directly in a write root, where plain protected entries
    /// (`.bashrc`) count too; `**/NAME` entries count at any depth.
    public func plantedName(_ name: some Collection<UInt8>, atRoot: Bool) -> PlantedName? {
        if CaseFold.equal(name, ".git") { return .gitEntry }
        if CaseFold.equal(name, "HEAD") { return .head }
        for protected in protectedNames where CaseFold.equal(name, String(decoding: protected, as: UTF8.self)) {
            return .protected(String(decoding: protected, as: UTF8.self))
        }
        guard atRoot else { return nil }
        for entry in protected where !entry.hasPrefix("**/") && !entry.contains("/") && CaseFold.equal(name, entry) {
            return .protected(entry)
        }
        return nil
    }
}

extension GitLayout {
    /// Whether `components` (relative to a git directory) name anything but what git writes to
    /// commit and fetch: what a tool may not write. Unfolded on purpose: only the exact spellings
    /// of the allowlist pass, so a case variant is refused like any unknown name.
    public static func isReadOnly(_ components: [[UInt8]]) -> Bool {
        refusal(components.map { String(decoding: $0, as: UTF8.self) }[...]) != nil
    }
}

extension PathKey {
    /// A path the kernel spelled, whose name need not be UTF-8 (the sandbox's sweep walks such names).
    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }
}
