import PieAutomations

/// A trigger fired: which automation, what happened, and when. Everything in it is data observed
/// outside pie (a file name, a probe's output): the scheduler may show it to a run only as
/// delimited, escaped data after the automation's own prompt, never as instructions.
public struct TriggerEvent: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The watched file was created, modified or deleted; `path` is the absolute path watched.
        case file(change: AutomationTrigger.FileEvent, path: String)
        /// A command probe's result crossed the transition its `fire` asks for.
        case command(ProbeResult)
    }

    public var automation: AutomationID
    public var kind: Kind
    /// When the watcher saw the change or the probe finished, by the injected clock.
    public var instant: Instant

    public init(automation: AutomationID, kind: Kind, instant: Instant) {
        (self.automation, self.kind, self.instant) = (automation, kind, instant)
    }
}
