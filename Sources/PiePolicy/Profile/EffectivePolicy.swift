/// A built policy together with where each value came from.
public struct EffectivePolicy: Sendable, Equatable {
    public var policy: ToolPolicy
    public var values: [PolicyField: PolicyValue]
    public var sources: [PolicyField: String]
    /// Where the preset choice came from (`default`, `flag`, `env:PIE_TOOL_POLICY_PRESET`, `profile:<path>`).
    public var presetSource: String
    /// Things a reviewer should notice, e.g. a project policy that loosens a limit.
    public var warnings: [String]
    /// pie's own state of this run, denied to every tool on top of `deny_paths`.
    public var stateDeny: [StatePath] = []
}
