/// The agent a sub-agent works for, as its hooks' payloads name it: the parent's session and
/// the `task` call that started the sub-agent.
public struct HookParent: Sendable, Equatable {
    public var sessionID: String
    public var toolCallID: String

    public init(sessionID: String, toolCallID: String) {
        self.sessionID = sessionID
        self.toolCallID = toolCallID
    }
}
