/// Everything a policy is built from, injected so tests need no process state.
public struct PolicyInputs: Sendable {
    /// The project directory (absolute); relative paths and `.pie/policy.toml` are taken from it.
    public var cwd: String
    public var home: String
    public var environment: [String: String]
    /// `--tool-policy-preset`, when given.
    public var presetFlag: PolicyPreset?
    /// `--tool-policy-profile`, when given.
    public var profileFlag: String?
    /// Fields set by explicit flags (source `flag`). A flag always wins, even when it repeats a default.
    public var flags: PolicyLayer
    /// State paths only the caller knows (the session file); the builder adds the audit log and
    /// the state directory itself.
    public var statePaths: [StatePath] = []
    /// Reads a file's text, or nil when it does not exist.
    public var readFile: @Sendable (String) throws(PolicyError) -> String?

    public init(
        cwd: String, home: String, environment: [String: String], presetFlag: PolicyPreset? = nil,
        profileFlag: String? = nil, flags: PolicyLayer = PolicyLayer(),
        readFile: @escaping @Sendable (String) throws(PolicyError) -> String? = PolicyFiles.read
    ) {
        self.cwd = cwd
        self.home = home
        self.environment = environment
        self.presetFlag = presetFlag
        self.profileFlag = profileFlag
        self.flags = flags
        self.readFile = readFile
    }
}
