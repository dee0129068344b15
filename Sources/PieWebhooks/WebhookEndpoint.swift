import PieAutomations

/// One webhook automation as the listener serves it: `trigger.webhook` of its file.
public struct WebhookEndpoint: Sendable, Equatable {
    public var automationID: AutomationID
    /// The file it came from, for problems that name it.
    public var file: String
    public var path: String
    public var signature: AutomationTrigger.Signature
    /// The environment variable holding the secret (read once, when the route table is built).
    public var secretEnv: String
    public var debounce: AutomationDuration?

    public init(
        automationID: AutomationID, file: String, path: String, signature: AutomationTrigger.Signature,
        secretEnv: String, debounce: AutomationDuration?
    ) {
        (self.automationID, self.file, self.path, self.signature, self.secretEnv, self.debounce) =
            (automationID, file, path, signature, secretEnv, debounce)
    }

    /// The endpoint of a webhook automation; nil for any other trigger.
    public init?(automation: Automation) {
        guard case .webhook(let webhook) = automation.trigger else { return nil }
        self.init(
            automationID: automation.id, file: automation.path, path: webhook.path, signature: webhook.signature,
            secretEnv: webhook.secretEnv, debounce: webhook.debounce)
    }
}
