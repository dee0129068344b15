import PiePolicy
import PieSandbox

/// The tool policy a run asks for: a preset, a profile file and explicit overrides (the CLI's
/// flags, already validated into a layer), resolved with the environment by `PolicyBuilder`.
public struct PolicySelection: Sendable, Equatable {
    public var preset: PolicyPreset?
    /// A TOML profile that may `extends` a preset and override any field.
    public var profile: String?
    /// Values that win over the profile and the environment (source `flag` for the CLI).
    public var overrides: PolicyLayer

    public init(preset: PolicyPreset? = nil, profile: String? = nil, overrides: PolicyLayer = PolicyLayer()) {
        self.preset = preset
        self.profile = profile
        self.overrides = overrides
    }

    /// The effective policy for a project directory; `statePaths` are pie's own files of this run
    /// that only the caller knows (the session file), denied to every tool.
    public func effectivePolicy(
        cwd: String, environment: [String: String], statePaths: [StatePath] = []
    ) throws(PolicyError) -> EffectivePolicy {
        var inputs = PolicyInputs(
            cwd: cwd, home: environment["HOME"] ?? "/", environment: environment, presetFlag: preset,
            profileFlag: profile, flags: overrides)
        // The log pie writes when tool_audit_log is unset, as AuditLog resolves it (normally
        // inside PIE_DIR, which is denied anyway; this holds for every way the two can differ).
        let defaultLog = StatePath(
            path: AuditLog.defaultPath(environment: environment), what: "default audit log", source: "default")
        inputs.statePaths = statePaths + [defaultLog]
        return try PolicyBuilder.build(inputs)
    }
}
