/// What a failed hook run (an exit status other than 0, or 2 for `pre_tool`; a timeout; a
/// non-2xx answer; a run that could not start) does.
public enum HookFailurePolicy: String, Sendable, Hashable, CaseIterable {
    /// Tell the user (the terminal, serve's log) and go on.
    case warn
    /// Go on silently; the audit log still records the failure.
    case ignore
    /// `pre_tool` only, and its default: a gate that cannot answer denies the call (fail closed).
    case deny
}
