/// Where a command hook runs (`cwd`), as c4pt0r/pie spells it. `pie` (its state directory) is
/// not offered: the sandbox hides pie's state directory from every command.
public enum HookDirectory: String, Sendable, Hashable, CaseIterable {
    /// The project root (the default).
    case project
    /// The user's home directory (inside the sandbox: what the policy shows of it).
    case home
}
