/// A session's active path as the loop's context, with what could not be restored.
public struct RestoredContext: Sendable {
    public var messages: [AgentMessage] = []
    /// One per entry left out because its message cannot be read.
    public var diagnostics: [SessionDiagnostic] = []

    public init(messages: [AgentMessage] = [], diagnostics: [SessionDiagnostic] = []) {
        self.messages = messages
        self.diagnostics = diagnostics
    }
}
