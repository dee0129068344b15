/// A bash profile: which commands may run and which shell features are judged or denied.
/// Profiles are data, loaded from `profiles/bash-<name>.toml` (or a user file); the analyzer
/// has no per-profile branches. Lookup structures are built once here so that judging a
/// command line does no per-call setup.
public struct BashRules: Sendable, Equatable {
    /// `permissive`, `balanced`, `strict`, or a user profile's name.
    public var name: String
    /// Command names that may run; empty means any command may run.
    public var allowedCommands: [String] {
        didSet { rebuildAllowlist() }
    }
    /// Judge the commands inside `$(…)`, backquotes, `<(…)` and `>(…)`; when false, any
    /// substitution is denied.
    public var allowSubstitutions: Bool
    /// Judge the string given to `eval` as a script; when false, `eval` is denied.
    public var allowEval: Bool
    /// Allow `cmd &`.
    public var allowBackground: Bool
    /// Allow `f() { …; }`, whose body is then judged; a function can shadow an allowed name.
    public var allowFunctionDefinitions: Bool
    /// Check that every file a redirection writes lies where writes are allowed.
    public var checkRedirections: Bool
    /// Files a redirection may always write (`/dev/null`).
    public var writableDevices: [String]
    /// Variables that may not be assigned (`PATH`, `LD_PRELOAD`, `GIT_*`): they change what a
    /// later, allowed command runs. A trailing `*` matches by prefix. Matched without regard to
    /// ASCII case: programs such as npm read their variables case-insensitively
    /// (`NpM_CoNfIg_script_shell`), and denying more spellings only denies more.
    public var deniedAssignments: [String] {
        didSet { deniedAssignmentPatterns = CommandNamePatterns(deniedAssignments.map(OptionBytes.asciiLowercased)) }
    }
    /// Shells whose `-c` script is parsed and judged; running one without `-c` needs the shell
    /// in the allowlist.
    public var shells: [String] {
        didSet { shellSet = Set(shells) }
    }
    public var wrappers: [WrapperRule] {
        didSet { rebuildWrappers() }
    }
    public var execRules: [ExecArgumentRule] {
        didSet { rebuildExecRules() }
    }
    /// Every command of `allowedCommands` (wrappers and shells aside) must have an exec rule
    /// that lists its options, and exec rules are allowlists unless they say otherwise.
    /// Checked when a profile is loaded from TOML (`validateOptionAllowlists`).
    public var optionAllowlists: Bool
    /// The builtin profile whose rules judge a command a user adds with `--allow-command` when
    /// this profile has none for it (strict names balanced): an added `git` or `tar` keeps the
    /// option allowlist and write checks balanced gives it, instead of running unjudged.
    public var addedCommandRules: String?

    private(set) var allowlist = CommandNamePatterns([])
    private(set) var deniedAssignmentPatterns = CommandNamePatterns([])
    private(set) var shellSet: Set<String> = []
    private(set) var wrappersByCommand: [String: WrapperRule] = [:]
    private(set) var execRulesByCommand: [String: [ExecArgumentRule]] = [:]
    /// The allowlist as quoted in denials, built once.
    private(set) var allowedSummary = ""

    public init(
        name: String, allowedCommands: [String], allowSubstitutions: Bool = false, allowEval: Bool = false,
        allowBackground: Bool = false, allowFunctionDefinitions: Bool = false, checkRedirections: Bool = true,
        writableDevices: [String] = ["/dev/null", "/dev/stdout", "/dev/stderr"], deniedAssignments: [String] = [],
        shells: [String] = [], wrappers: [WrapperRule] = [], execRules: [ExecArgumentRule] = [],
        optionAllowlists: Bool = false, addedCommandRules: String? = nil
    ) {
        self.name = name
        self.allowedCommands = allowedCommands
        self.allowSubstitutions = allowSubstitutions
        self.allowEval = allowEval
        self.allowBackground = allowBackground
        self.allowFunctionDefinitions = allowFunctionDefinitions
        self.checkRedirections = checkRedirections
        self.writableDevices = writableDevices
        self.deniedAssignments = deniedAssignments
        self.shells = shells
        self.wrappers = wrappers
        self.execRules = execRules
        self.optionAllowlists = optionAllowlists
        self.addedCommandRules = addedCommandRules
        rebuildAllowlist()
        deniedAssignmentPatterns = CommandNamePatterns(deniedAssignments.map(OptionBytes.asciiLowercased))
        shellSet = Set(shells)
        rebuildWrappers()
        rebuildExecRules()
    }

    /// The builtin profile `permissive`, `balanced` or `strict`, embedded in the binary. Each is
    /// parsed once per process, when first asked for: the text is compiled in, so every parse
    /// would give the same rules, and a process builds several engines (a session's, the one
    /// that judges `@path` mentions, strict's lender for added commands).
    public static func builtin(named name: String) throws(BashRulesError) -> BashRules {
        switch name {
        case "permissive": try permissiveRules.get()
        case "balanced": try balancedRules.get()
        case "strict": try strictRules.get()
        default:
            throw BashRulesError(
                source: "builtin profiles", line: nil, field: nil,
                message: "no builtin bash profile named '\(name)' (valid: \(builtinNames.joined(separator: ", ")))")
        }
    }

    private static let permissiveRules = parsed(PackageResources.bash_permissive_toml, name: "permissive")
    private static let balancedRules = parsed(PackageResources.bash_balanced_toml, name: "balanced")
    private static let strictRules = parsed(PackageResources.bash_strict_toml, name: "strict")

    private static func parsed(_ text: [UInt8], name: String) -> Result<BashRules, BashRulesError> {
        Result { () throws(BashRulesError) in
            try BashRules(profileSubsetTOML: String(decoding: text, as: UTF8.self), source: "bash-\(name).toml")
        }
    }

    public static let builtinNames = ["permissive", "balanced", "strict"]

    /// These rules as they judge a line that may use `added` (the `--allow-command` list): with
    /// `addedCommandRules`, every command that profile has rules for and this one has none for
    /// gains them. Loaded only when something is added, so a session without `--allow-command`
    /// never parses the second profile.
    public func judgingAddedCommands(_ added: [String]) throws(BashRulesError) -> BashRules {
        guard !added.isEmpty, let source = addedCommandRules else { return self }
        let lender = try Self.builtin(named: source)
        var rules = self
        rules.execRules += lender.execRules.filter { execRulesByCommand[$0.command] == nil }
        return rules
    }

    /// Whether the profile itself allows `name` (extra commands from the context aside).
    func allows(_ name: String) -> Bool {
        allowlist.isEmpty || allowlist.matches(name)
    }

    /// Whether nothing but parsing can deny under this profile; then a command that is only
    /// known at run time is allowed too, since whatever it turns out to be would be.
    var isUnrestricted: Bool {
        allowedCommands.isEmpty && execRules.isEmpty && deniedAssignments.isEmpty && allowSubstitutions
            && allowEval && allowBackground && allowFunctionDefinitions && !checkRedirections
    }

    func execRules(for name: String) -> [ExecArgumentRule] {
        if let rules = execRulesByCommand[name] { return rules }
        guard let slash = name.utf8.lastIndex(of: UInt8(ascii: "/")) else { return [] }
        let base = String(name[name.utf8.index(after: slash)...])
        return execRulesByCommand[base] ?? []
    }

    private mutating func rebuildAllowlist() {
        allowlist = CommandNamePatterns(allowedCommands)
        allowedSummary = allowedCommands.isEmpty ? "any command" : allowedCommands.joined(separator: ", ")
    }

    private mutating func rebuildWrappers() {
        wrappersByCommand = [:]
        for wrapper in wrappers where wrappersByCommand[wrapper.command] == nil {
            wrappersByCommand[wrapper.command] = wrapper
        }
    }

    /// Whether `name` has an allowlist rule (without a subcommand) in this profile.
    func hasOptionAllowlist(_ name: String) -> Bool {
        execRules(for: name).contains { $0.allowlist && $0.subcommand == nil }
    }

    /// Groups the rules by command, rules without a subcommand first: they find where the
    /// subcommand is for the others.
    /// How many words a rule's subcommand path has (`remote show`: 2).
    private static func depth(_ rule: ExecArgumentRule) -> Int {
        rule.subcommand.map { $0.utf8.filter { $0 == UInt8(ascii: " ") }.count + 1 } ?? 0
    }

    private mutating func rebuildExecRules() {
        execRulesByCommand = Dictionary(grouping: execRules, by: \.command).mapValues { rules in
            // Base rules first, then subcommands by depth: a nested rule (`remote show`) needs to
            // know where the rule one level up (`remote`) found its first operand.
            rules.filter { $0.subcommand == nil }
                + rules.filter { $0.subcommand != nil }.enumerated().sorted { left, right in
                    let depths = (Self.depth(left.element), Self.depth(right.element))
                    return depths.0 != depths.1 ? depths.0 < depths.1 : left.offset < right.offset
                }.map(\.element)
        }
    }
}
