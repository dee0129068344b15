/// Where and for whom a command line is judged: facts that are not part of the profile.
public struct ShellContext: Sendable {
    /// Absolute, canonical working directory of the command; relative redirection targets
    /// and `cd` operands are resolved against it.
    public var cwd: String
    /// Commands added with `--allow-command`; a trailing `*` is a prefix wildcard on the
    /// command name (`cargo-*` matches `cargo-nextest`).
    public var extraAllowedCommands: [String]
    /// Why a command may not write the absolute, normalized path (outside the write roots,
    /// protected, denied, or reached through a symlink that leads there); `nil` when it may.
    public var writeRefusal: @Sendable (String) -> String?
    /// Why a command may not write everything below the absolute, normalized path (it holds a
    /// protected path, a git directory or a denied path); `nil` when it may. Asked only for
    /// recursive writes (`rm -r`, `mv`, `cp -r`, `find -delete`), after `writeRefusal` passed.
    public var treeRefusal: @Sendable (String) -> String?
    /// The write roots: existing directories, so a `cp`/`mv` destination that is one is
    /// written into, never replaced.
    public var writeRoots: [String]
    /// What needs a person's approval (`ask_commands`, `ask_paths`); judged after the deny checks.
    public var ask: AskRules = .none

    public init(
        cwd: String, extraAllowedCommands: [String], writeRoots: [String] = [],
        writeRefusal: @escaping @Sendable (String) -> String?,
        treeRefusal: @escaping @Sendable (String) -> String? = { _ in nil }
    ) {
        self.cwd = cwd
        self.extraAllowedCommands = extraAllowedCommands
        self.writeRoots = writeRoots
        self.writeRefusal = writeRefusal
        self.treeRefusal = treeRefusal
    }

    /// A context whose only write check is `isWritable`: inside the write roots and not
    /// protected or denied.
    public init(cwd: String, extraAllowedCommands: [String], isWritable: @escaping @Sendable (String) -> Bool) {
        self.init(cwd: cwd, extraAllowedCommands: extraAllowedCommands) { path in
            isWritable(path) ? nil : "which is outside the write roots or protected"
        }
    }
}
