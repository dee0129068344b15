import PieAgent

/// Something the caller should tell the user while the agent is assembled; the build goes on.
public enum AgentBuildWarning: Sendable, Equatable, CustomStringConvertible {
    /// From the policy (an ignored variable, a sandbox mode that cannot hold) or the start-up
    /// sweep of planted git metadata.
    case policy(String)
    /// The stored API keys could not be read; environment keys still work.
    case savedKeys(String)
    /// The resumed session has a line that could not be restored into the context.
    case session(SessionDiagnostic)
    /// A skill or memory file that shapes the system prompt could not be used.
    case context(ContextDiagnostic)
    /// A project hooks file that is not trusted (none of its hooks run).
    case hooks(String)

    public var description: String {
        switch self {
        case .policy(let text): text
        case .savedKeys(let text): "ignoring saved keys: \(text)"
        case .session(let diagnostic): diagnostic.description
        case .context(let diagnostic): diagnostic.description
        case .hooks(let text): text
        }
    }
}
