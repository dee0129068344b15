/// The answer of `PathPolicy.classify` for one normalized absolute path.
public enum PathVerdict: Sendable, Equatable {
    /// Reachable; `root` is the read or write root that contains the path.
    case allowed(root: String)
    /// Unreachable; `rule` is a stable identifier (`path.outside_roots`, `path.deny`, `path.protected`,
    /// `path.magic_link`) and `reason` a sentence naming the path and what to do.
    case denied(rule: String, reason: String)
}
