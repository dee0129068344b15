/// What every payload of one session carries (`session_id`, `cwd`, `model_provider`,
/// `model_id`, `thinking_level`) and the matching `PIE_*` variables.
public struct HookSessionInfo: Sendable, Equatable {
    public var sessionID: String
    public var cwd: String
    public var modelProvider: String
    public var modelID: String
    /// `off`, `low`, …, as the session was started with.
    public var thinkingLevel: String

    public init(sessionID: String, cwd: String, modelProvider: String, modelID: String, thinkingLevel: String = "off") {
        self.sessionID = sessionID
        self.cwd = cwd
        self.modelProvider = modelProvider
        self.modelID = modelID
        self.thinkingLevel = thinkingLevel
    }
}
