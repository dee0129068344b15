/// A denial raised while judging; it stops the walk at the first command that fails, and
/// becomes the `rule` and `reason` of the `Decision`.
struct ShellDenial: Error {
    /// Stable id of the check, e.g. `allowed_commands`, `substitution`, `redirect`.
    var rule: String
    var reason: String
}
