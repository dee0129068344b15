import PieAutomations
import PiePolicy

/// One command probe as the runner needs it: the command and the policy of its automation.
public struct Probe: Sendable, Equatable {
    public var automation: AutomationID
    public var command: String
    /// The automation's preset (hardened unless its file says otherwise).
    public var preset: PolicyPreset
    /// The automation's policy profile (absolute), when it names one.
    public var profile: String?
    /// How often it runs; also the longest it may run.
    public var every: AutomationDuration
    public var fire: AutomationTrigger.ProbeFire

    public init(
        automation: AutomationID, command: String, preset: PolicyPreset, profile: String?, every: AutomationDuration,
        fire: AutomationTrigger.ProbeFire
    ) {
        (self.automation, self.command, self.preset, self.profile, self.every, self.fire) =
            (automation, command, preset, profile, every, fire)
    }

    /// The probe of `automation`, when it has a command trigger.
    public init?(_ automation: Automation) {
        guard case .command(let run, let every, let fire) = automation.trigger else { return nil }
        self.init(
            automation: automation.id, command: run, preset: automation.toolPolicyPreset,
            profile: automation.toolPolicyProfile, every: every, fire: fire)
    }
}
