import PiePolicy

/// One automation, read and validated from `<scope dir>/<id>.toml`.
public struct Automation: Sendable, Equatable {
    public var id: AutomationID
    public var scope: AutomationScope
    /// The file it was read from.
    public var path: String
    public var prompt: String
    public var model: ModelReference
    public var fallbackModels: [ModelReference] = []
    /// `hardened` unless the file says otherwise: an unattended run gets the strictest preset.
    public var toolPolicyPreset: PolicyPreset = .hardened
    /// An absolute path (the file's `~` expanded, a relative path resolved against the project).
    public var toolPolicyProfile: String?
    public var enabled = true
    public var trigger: AutomationTrigger
    public var run = RunSettings()
    /// The line of the trigger's key, for errors only the whole set shows (a shared webhook path).
    public var triggerLine = 1

    public static let defaultPreset = PolicyPreset.hardened

    /// An automation made in code rather than read from a file (a session's file and command
    /// triggers, handed to PieTriggers' service); the other fields keep their defaults.
    public init(id: AutomationID, scope: AutomationScope, path: String, prompt: String, model: ModelReference, trigger: AutomationTrigger) {
        (self.id, self.scope, self.path, self.prompt, self.model, self.trigger) = (id, scope, path, prompt, model, trigger)
    }
}
