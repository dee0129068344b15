/// Arguments that make an otherwise harmless command run other programs or write files
/// (`find -exec`, `sed 'e id'`, `git -c core.pager=sh`, `sort --compress-program=sh`), kept as
/// profile data. A rule applies to a command by its name (for a path such as `/usr/bin/find`,
/// by its last component).
///
/// Options are matched as the command's own parser would see them: `--opt` also as
/// `--opt=value` (and as an unambiguous prefix when `gnuAbbreviations` is set), short options
/// also inside clusters (`-ni`) and with attached values (`-i.bak`). An argument whose value is
/// only known at run time (`$X`, `$(…)`, a glob) is denied before `--`, since it could become
/// any option.
public struct ExecArgumentRule: Sendable, Equatable {
    /// The language of a script argument whose content is checked.
    public enum ScriptLanguage: String, Sendable, Equatable, CaseIterable {
        /// A sed script: each command letter and each `s` flag is found and checked against
        /// `denyScriptCommands` and `denySubstituteFlags`.
        case sed
        /// An awk program: its text is checked against `denyScriptText`.
        case awk
    }

    public var command: String
    /// When set, the rule only applies when the first operand is this subcommand, and only to
    /// the arguments after it (`git grep -O…`).
    public var subcommand: String?
    /// Deny the command outright, whatever its arguments (pagers and editors with shell
    /// escapes).
    public var denyCommand: Bool
    /// Options that are denied.
    public var denyOptions: [String]
    /// First operands that are denied (`git difftool`, `git submodule`).
    public var denySubcommands: [String]
    /// Options followed by a command ending at `;` or `+` (`find -exec`): the command is
    /// judged by the same rules, with unknown arguments (the file names put in for `{}`).
    public var execOptions: [String]
    /// Options that take a separate value, so the value is not mistaken for an operand.
    public var valueOptions: [String]
    /// Options whose value is a script (`sed -e`, `gawk --source`).
    public var scriptOptions: [String]
    /// The language of the script: the first operand, unless a script option gave one.
    public var script: ScriptLanguage?
    /// sed command letters that are denied in a script (`e`, `w`, `W`).
    public var denyScriptCommands: [String]
    /// Flags of the sed `s` command that are denied (`e` runs the pattern space, `w` writes).
    public var denySubstituteFlags: [String]
    /// Text that may not appear in a script (`system`, `getline`, `|` for awk).
    public var denyScriptText: [String]
    /// Only options before the first operand count (git's options before the subcommand).
    public var optionsBeforeOperands: Bool
    /// Long options may be abbreviated to any unambiguous prefix, as GNU getopt allows.
    public var gnuAbbreviations: Bool
    /// Why the rule exists, quoted in the denial.
    public var reason: String

    public init(
        command: String, subcommand: String? = nil, denyCommand: Bool = false, denyOptions: [String] = [],
        denySubcommands: [String] = [], execOptions: [String] = [], valueOptions: [String] = [],
        scriptOptions: [String] = [], script: ScriptLanguage? = nil, denyScriptCommands: [String] = [],
        denySubstituteFlags: [String] = [], denyScriptText: [String] = [], optionsBeforeOperands: Bool = false,
        gnuAbbreviations: Bool = false, reason: String
    ) {
        self.command = command
        self.subcommand = subcommand
        self.denyCommand = denyCommand
        self.denyOptions = denyOptions
        self.denySubcommands = denySubcommands
        self.execOptions = execOptions
        self.valueOptions = valueOptions
        self.scriptOptions = scriptOptions
        self.script = script
        self.denyScriptCommands = denyScriptCommands
        self.denySubstituteFlags = denySubstituteFlags
        self.denyScriptText = denyScriptText
        self.optionsBeforeOperands = optionsBeforeOperands
        self.gnuAbbreviations = gnuAbbreviations
        self.reason = reason
    }
}
