import PieAutomations

/// A webhook automation the listener cannot serve as written. The listener still starts and
/// serves every other automation; the scheduler logs these (and `serve` prints them).
public struct WebhookRouteProblem: Sendable, Equatable, CustomStringConvertible {
    public var automationID: AutomationID
    public var file: String
    /// The automation file's field at fault, e.g. `trigger.webhook.secret_env`.
    public var field: String
    public var message: String
    public var fix: String

    public var description: String { "\(file): \(field): \(message); \(fix)" }
}
