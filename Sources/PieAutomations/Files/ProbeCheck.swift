import PiePolicy

/// Checks a command probe against its automation's policy when the file is read, so `validate`
/// says what `serve` would find: a policy that runs commands on the host runs no probe (an
/// error: it never could), and a command the policy denies today is a warning (the project's
/// policy may change before it runs; serve reports the denial once).
enum ProbeCheck {
    static func check(
        _ command: String, preset: PolicyPreset, profile: String?, context: ValidationContext, reader: inout FieldReader
    ) {
        guard let project = context.projectRoot else { return }
        let inputs = PolicyInputs(
            cwd: project, home: context.home ?? "/", environment: context.environment, presetFlag: preset, profileFlag: profile)
        let policy: ToolPolicy
        let engine: PolicyEngine
        do throws(PolicyError) {
            policy = try PolicyBuilder.build(inputs).policy
            engine = try PolicyEngine(policy: policy)
        } catch {
            // The profile's own problem is reported at tool_policy_profile; the project policy's at run time.
            return
        }
        if policy.sandboxMode == .off, policy.sandboxCommand == nil {
            reader.error(
                "trigger.command", "the automation's policy runs commands on the host (os_sandbox_mode off), and a probe runs only in the OS sandbox, so it would never run",
                fix: "use tool_policy_preset \"hardened\" (the default), \"strict\" or \"balanced\"")
            return
        }
        let decision = engine.evaluate(.bash(command: command, cwd: nil))
        if !decision.allowed {
            // Nobody is asked about a probe: an ask is a deny for it, every time.
            let verb = decision.verdict == .ask ? "holds this probe for a person's approval, which a probe never gets" : "denies this probe"
            reader.warning(
                "trigger.command.run", "the automation's policy \(verb) (\(decision.rule)): \(decision.reason)",
                fix: "change the command, or allow it in the automation's tool_policy_profile; a denied probe never runs")
        }
    }
}
