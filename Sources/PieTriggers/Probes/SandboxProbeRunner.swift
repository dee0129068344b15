import PieAutomations
import PieJSON
import PiePolicy
import PieSandbox
import PieSystem

/// Runs a probe exactly as the model's bash tool would run the same command under the
/// automation's policy: the effective policy is built from the automation's preset and profile
/// (with the project's `.pie/policy.toml` and the environment, as for any run), `PolicyEngine`
/// judges the command, and only an allowed command runs, through `SandboxedShell` (bubblewrap +
/// seccomp; hardened forces the sandbox) in the project directory. A policy that would run it on
/// the host (permissive, or `auto` without bubblewrap) runs no probe: a command on a timer that
/// nobody watches runs contained or not at all. Each probe leaves a decision
/// and a completion record in the policy's audit log, as a tool call does (tool `probe`, session
/// `automation:<id>`); when the log cannot be written the probe does not run. The probes of one
/// runner run one at a time.
public struct SandboxProbeRunner: ProbeRunner {
    /// The project `serve` runs for; probes of project and user automations alike run here.
    public var projectRoot: String
    /// What the policy is built from and what commands start from (scrubbed by the shell).
    public var environment: [String: String]
    /// The process's sandbox services, shared with the runs.
    public var services: SandboxServices
    /// The most output a fired event carries.
    public var outputCap: Int

    /// 2 KiB: enough for a status line or an error's tail, small enough to put in a prompt.
    public static let defaultOutputCap = 2_048

    /// Probes of this runner take turns (see `ProbeGate`).
    private let gate = ProbeGate()

    public init(
        projectRoot: String, environment: [String: String], services: SandboxServices,
        outputCap: Int = defaultOutputCap
    ) {
        (self.projectRoot, self.environment, self.services, self.outputCap) = (projectRoot, environment, services, outputCap)
    }

    public func run(_ probe: Probe) async -> ProbeOutcome {
        await gate.enter()
        let outcome = await runAlone(probe)
        await gate.leave()
        return outcome
    }

    private func runAlone(_ probe: Probe) async -> ProbeOutcome {
        let policy: ToolPolicy
        let engine: PolicyEngine
        do throws(PolicyError) {
            policy = try effectivePolicy(probe).policy
            engine = try PolicyEngine(policy: policy)
        } catch {
            return .notRun(reason: "the automation's policy cannot be built: \(error.message)")
        }
        let decision = engine.evaluate(.bash(command: probe.command, cwd: nil))
        let audit = ProbeAudit(
            log: AuditLog(
                path: policy.auditLog ?? AuditLog.defaultPath(environment: environment),
                redactor: SecretRedactor(environment: environment)),
            probe: probe)
        do throws(AuditError) {
            try audit.decision(decision)
        } catch {
            return .notRun(reason: "the audit log could not be written (\(error.message)); nothing runs unaudited")
        }
        guard decision.allowed else { return .denied(rule: decision.rule, reason: decision.reason) }
        if policy.bashDryRun {
            let reason = "bash_dry_run is on, so the policy runs no command"
            return .notRun(reason: [reason, audit.failure(reason)].compactMap { $0 }.joined(separator: "; "))
        }

        let timeoutMs = Self.timeoutMs(every: probe.every, policyMs: policy.bashTimeoutMs)
        let output = ProbeOutput(cap: outputCap)
        let shell = SandboxedShell(policy: policy, environment: environment, services: services)
        let started = ContinuousClock.now
        let outcome: ShellOutcome
        do throws(ShellError) {
            if case .host = try await shell.containment() {
                let reason = "probes run only in the OS sandbox, and this policy would run the command on the host "
                    + "(os_sandbox_mode off, or auto without a working bubblewrap); use the hardened, strict or balanced "
                    + "preset on a machine where bubblewrap works"
                return .notRun(reason: [reason, audit.failure(reason)].compactMap { $0 }.joined(separator: "; "))
            }
            outcome = try await shell.run(
                ShellRequest(command: probe.command, cwd: policy.paths.projectRoot, timeoutMs: timeoutMs),
                onOutput: output.append)
        } catch {
            return .notRun(reason: [error.message, audit.failure(error.message)].compactMap { $0 }.joined(separator: "; "))
        }
        let (text, truncated) = output.excerpt()
        if Self.sandboxFailedToStart(outcome, output: text, truncated: truncated) {
            let reason = "the sandbox could not start (\(text.split(separator: "\n").first ?? "")); the next probe tries again"
            return .notRun(reason: [reason, audit.failure(reason)].compactMap { $0 }.joined(separator: "; "))
        }
        var result = ProbeResult(
            exitStatus: outcome.timedOut ? nil : outcome.exitCode, signal: outcome.signal, timedOut: outcome.timedOut,
            timeoutMilliseconds: timeoutMs, output: text, outputTruncated: truncated, sandbox: outcome.sandbox)
        result.warnings = outcome.warnings
        if let failure = audit.completion(result, duration: ContinuousClock.now - started) { result.warnings.append(failure) }
        return .ran(result)
    }

    /// Whether bubblewrap itself failed before the command ran (it prints `bwrap: …` and exits
    /// with 1, e.g. when the host's task limit is reached for a moment). Reported as a probe that
    /// did not run rather than as the command failing, so a transient sandbox failure never fires
    /// a `failure` or `change` trigger.
    static func sandboxFailedToStart(_ outcome: ShellOutcome, output: String, truncated: Bool) -> Bool {
        outcome.sandbox == .bwrap && !outcome.servedWarm && outcome.exitCode == 1 && !truncated
            && output.hasPrefix("bwrap: ") && !output.dropLast().contains("\n")
    }

    /// The policy's bash timeout, and never longer than the interval, so a probe is over before
    /// the next one is due.
    static func timeoutMs(every: AutomationDuration, policyMs: Int) -> Int {
        let interval = every.seconds >= Int64(Int.max / 1000) ? Int.max : Int(every.seconds) * 1000
        return max(1, min(policyMs, interval))
    }

    /// As `PolicySelection.effectivePolicy` builds a run's policy (PieRuntime), with the
    /// automation's preset and profile in the place of the flags.
    private func effectivePolicy(_ probe: Probe) throws(PolicyError) -> EffectivePolicy {
        var inputs = PolicyInputs(
            cwd: projectRoot, home: environment["HOME"] ?? "/", environment: environment, presetFlag: probe.preset,
            profileFlag: probe.profile)
        inputs.statePaths = [
            StatePath(path: AuditLog.defaultPath(environment: environment), what: "default audit log", source: "default")
        ]
        return try PolicyBuilder.build(inputs)
    }
}
