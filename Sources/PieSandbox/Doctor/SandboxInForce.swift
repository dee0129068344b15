import PiePolicy

/// The one line that says how bash commands are contained under a policy on this machine, and why
/// when `auto` fell back to the host: shown by `pie sandbox doctor` and when an interactive
/// session starts, so nobody believes a sandbox is there when it is not.
public struct SandboxInForce: Sendable, Equatable {
    /// The sentence, starting with `sandbox in force:`.
    public var line: String
    /// Whether commands run isolated from the host (bubblewrap or the user's launcher).
    public var isolated: Bool

    /// Resolves `policy` against this machine (the cached bubblewrap probe) and describes it.
    public static func describe(_ policy: ToolPolicy, environment: [String: String]) async -> SandboxInForce {
        let shell = SandboxedShell(policy: policy, environment: environment)
        do {
            return describe(policy, containment: .success(try await shell.containment()))
        } catch {
            return describe(policy, containment: .failure(error))
        }
    }

    /// The sentence for an already resolved containment.
    public static func describe(_ policy: ToolPolicy, containment: Result<SandboxedShell.Containment, ShellError>)
        -> SandboxInForce
    {
        let mode = "os_sandbox_mode \(policy.sandboxMode.rawValue)"
        switch containment {
        case .success(.bubblewrap):
            let reads =
                policy.paths.sandboxReads == .allowlist
                ? "reads by allowlist (system directories, chosen /etc entries, the roots, an empty $HOME)"
                : "reads the host's / read-only minus deny_paths ($HOME not writable)"
            return SandboxInForce(
                line: "sandbox in force: bubblewrap + seccomp (\(mode)); \(reads); network "
                    + (policy.sandboxNetwork ? "on" : "off") + "; writable: " + policy.paths.writeRoots.joined(separator: ", "),
                isolated: true)
        case .success(.launcher(let template)):
            return SandboxInForce(
                line: "sandbox in force: your launcher `\(template)` (\(mode)); pie's mounts and seccomp do not apply",
                isolated: true)
        case .success(.host) where policy.sandboxMode == .off:
            return SandboxInForce(
                line: "sandbox in force: none (\(mode)): commands run on the host with a scrubbed environment and limits only",
                isolated: false)
        case .success(.host(let warnings)):
            return SandboxInForce(
                line: "sandbox in force: NONE, \(mode) fell back to the host: " + (warnings.first ?? "bubblewrap is unavailable"),
                isolated: false)
        case .failure(let error):
            return SandboxInForce(
                line: "sandbox in force: none; \(mode) refuses every command: \(error.message)", isolated: false)
        }
    }
}
