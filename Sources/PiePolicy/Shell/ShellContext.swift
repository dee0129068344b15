/// Where and for whom a command line is judged: facts that are not part of the profile.
public struct ShellContext: Sendable {
    /// Absolute, canonical working directory of the command; relative redirection targets
    /// and `cd` operands are resolved against it.
    public var cwd: String
    /// Commands added with `--allow-command`; a trailing `*` is a prefix wildcard on the
    /// command name (`cargo-*` matches `cargo-nextest`).
    public var extraAllowedCommands: [String]
    /// Whether a redirection may write the absolute, normalized path (inside the write roots
    /// and not protected or denied).
    public var isWritable: @Sendable (String) -> Bool

    public init(cwd: String, extraAllowedCommands: [String], isWritable: @escaping @Sendable (String) -> Bool) {
        self.cwd = cwd
        self.extraAllowedCommands = extraAllowedCommands
        self.isWritable = isWritable
    }
}
