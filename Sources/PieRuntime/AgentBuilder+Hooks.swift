import PieAgent
import PieHooks
import PiePolicy
import PieSandbox
import PieSystem

/// The lifecycle hooks alone, as a session in a project would find and run them: what
/// `pie hooks list|test|trust` use, with the same files, trust, policy, sandbox and audit log.
extension AgentBuilder {
    /// The hooks files of the project `cwd` belongs to (the policy's project root), and that root.
    public func hookFiles(policy selection: PolicySelection, cwd: String, onWarning: (AgentBuildWarning) -> Void = { _ in })
        throws(AgentBuildError) -> (project: String, files: HookFiles)
    {
        let policy = try effectivePolicy(selection, cwd: cwd, statePaths: [], onWarning: onWarning)
        guard let directory = PieDirectory.resolve(environment: environment) else { throw .noStateDirectory }
        let project = policy.policy.paths.projectRoot
        do throws(HookLoadError) {
            return (project, try HookFiles.read(stateDirectory: directory.root, project: project))
        } catch {
            throw .hooks(error)
        }
    }

    /// The hooks that take effect in `cwd`'s project, run as a session's would be: commands in
    /// the sandbox of the effective policy, every run audited under `auditSession`. Nil when no
    /// hook is configured (an untrusted project file's notice goes to `onWarning`).
    public func lifecycleHooks(
        policy selection: PolicySelection, cwd: String, auditSession: String, session: HookSessionInfo,
        onWarning: (AgentBuildWarning) -> Void = { _ in }
    ) throws(AgentBuildError) -> LifecycleHooks? {
        let policy = try effectivePolicy(selection, cwd: cwd, statePaths: [], onWarning: onWarning)
        guard let directory = PieDirectory.resolve(environment: environment) else { throw .noStateDirectory }
        let project = policy.policy.paths.projectRoot
        let configuration = try Self.hooks(directory: directory, project: project, untrusted: .skip)
        for notice in configuration.notices { onWarning(.hooks(notice.description)) }
        guard !configuration.hooks.isEmpty else { return nil }
        let redactor = SecretRedactor(environment: environment)
        let log = AuditLog(path: policy.policy.auditLog ?? AuditLog.defaultPath(environment: environment), redactor: redactor)
        let runner = HookRunner(
            shell: services.makeShell(policy.policy, environment), projectRoot: project, environment: environment,
            redactor: redactor, audit: (log, auditSession))
        return LifecycleHooks(hooks: configuration.hooks, runner: runner, session: session, onWarning: services.hookWarnings)
    }
}
