/// Which session a run records into.
public enum SessionSelection: Sendable, Equatable {
    /// Keep nothing on disk; not even the session index is opened.
    case none
    /// A new session of the project.
    case new
    /// This session file (relative to the project), created when it does not exist. Tools may
    /// never write it, wherever it lives.
    case file(String)
    /// The project's newest session; an error when it has none.
    case latest
    /// The session whose id starts with this prefix (unique).
    case id(String)
    /// A new session for a `task` sub-agent, its header naming the parent session file and the
    /// call that started it.
    case delegated(parentSession: String, toolCall: String)
}
