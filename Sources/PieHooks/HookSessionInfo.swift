/// What every payload of one session carries (`session_id`, `cwd`, `model_provider`,
/// `model_id`) and the matching `PIE_*` variables.
public struct HookSessionInfo: Sendable, Equatable {
    public var sessionID: String
    public var cwd: String
    public var modelProvider: String
    public var modelID: String

    public init(sessionID: String, cwd: String, modelProvider: String, modelID: String) {
        self.sessionID = sessionID
        self.cwd = cwd
        self.modelProvider = modelProvider
        self.modelID = modelID
    }
}
