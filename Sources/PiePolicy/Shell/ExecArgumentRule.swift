/// What a command may be given, kept as profile data: the options it may take (an allowlist),
/// which of them take values, scripts, commands or files it writes, and which operands are
/// files it writes. A rule applies to a command by its name (for a path such as
/// `/usr/bin/find`, by its last component).
///
/// Options are read as the command's own parser would read them: `--opt=value` and `--opt
/// value`, short options inside clusters (`-nr`) and with attached values (`-kV`, `-Wexec`).
/// In an allowlist rule any option that is not listed is denied, so an option the profile's
/// author never heard of cannot run a program or write a file. An argument whose value is
/// only known at run time (`$X`, `$(…)`, a glob) is denied before `--`, since it could become
/// any option.
///
/// A rule with `allowlist == false` is a denylist: only the `deny…` fields deny. Profiles use
/// it for commands they do not allow, whose rules then apply when a user adds the command with
/// `--allow-command`.
public struct ExecArgumentRule: Sendable, Equatable {
    /// The language of a script argument whose content is checked.
    public enum ScriptLanguage: String, Sendable, Equatable, CaseIterable {
        /// A sed script: each command letter and each `s` flag is found and checked against
        /// `denyScriptCommands` and `denySubstituteFlags`.
        case sed
        /// An awk program: its text is checked against `denyScriptText`.
        case awk
    }

    /// Which operands are files the command writes.
    public enum WriteOperands: String, Sendable, Equatable, CaseIterable {
        /// None (`sort`, `grep`).
        case none
        /// Every operand (`tee`, `touch`, `mkdir`, `rm`, `chmod`; a mode word is then judged as
        /// a path too, which only ever denies more).
        case all
        /// The second operand (`uniq IN OUT`, `split IN PREFIX`).
        case second
        /// The last operand, which may be a directory: it is judged itself and joined with the
        /// last component of every other operand (`cp a b DIR` writes `DIR/a`). A single operand
        /// is written under its last component in the working directory (`ln -s /x/y` writes
        /// `./y`).
        case last
        /// Every operand, and the last also as a directory, as with `last` (`mv SRC… DEST`
        /// removes each SRC; `ln TARGET NAME` without `-s` makes NAME a second name of TARGET's
        /// file, so writing NAME writes TARGET). Options in `sourcesKeptOptions` make it `last`.
        case allAndLast = "all_and_last"
    }

    public var command: String
    /// When set, the rule only applies when the first operand is this subcommand, and only to
    /// the arguments after it (`git grep -O…`).
    public var subcommand: String?
    /// Deny the command outright, whatever its arguments (pagers and editors with shell
    /// escapes).
    public var denyCommand: Bool
    /// Whether options that no field lists are denied. Defaults to the profile's
    /// `option_allowlists`.
    public var allowlist: Bool
    /// Options without a value.
    public var flags: [String] { didSet { optionCache = ExecOptionTableCache() } }
    /// Options that take a value, separate or attached, so the value is not mistaken for an
    /// option or operand.
    public var valueOptions: [String] { didSet { optionCache = ExecOptionTableCache() } }
    /// Options that take a value only when it is attached (`--color=auto`, `-i.bak`).
    public var optionalValueOptions: [String] { didSet { optionCache = ExecOptionTableCache() } }
    /// Options that take a value and end the options: every later word is an operand, as
    /// `python3 -c CMD ARG…` and `-m MOD ARG…` read them ("terminates option list").
    public var terminatingOptions: [String] { didSet { optionCache = ExecOptionTableCache() } }
    /// Options whose value is a script (`sed -e`, `gawk --source`).
    public var scriptOptions: [String] { didSet { optionCache = ExecOptionTableCache() } }
    /// Options followed by a command ending at `;` or `+` (`find -exec`): the command is
    /// judged by the same rules, with unknown arguments (the file names put in for `{}`).
    public var execOptions: [String] { didSet { optionCache = ExecOptionTableCache() } }
    /// Options whose value is a file the command writes (`sort -o`).
    public var writeOptions: [String] { didSet { optionCache = ExecOptionTableCache() } }
    /// Options whose value is a directory that every file operand is written into
    /// (`cp -t DIR`).
    public var targetDirectoryOptions: [String] { didSet { optionCache = ExecOptionTableCache() } }
    /// Options that make every file operand a write target; an attached value is a backup
    /// suffix (`sed -i[SUFFIX]`).
    public var inPlaceOptions: [String] { didSet { optionCache = ExecOptionTableCache() } }
    /// Options that make the command write files whose names are only known at run time
    /// (`tar -x`): always denied.
    public var unknownWriteOptions: [String] { didSet { optionCache = ExecOptionTableCache() } }
    /// Options that are denied, with `reason`.
    public var denyOptions: [String] { didSet { optionCache = ExecOptionTableCache() } }
    /// First operands that are denied (`git difftool`, `git submodule`).
    public var denySubcommands: [String]
    /// First operands that are allowed; when not empty, any other first operand is denied.
    public var subcommands: [String]
    /// Which operands the command writes.
    public var writeOperands: WriteOperands
    /// Options with which `all_and_last` leaves the sources alone and acts as `last` (`ln -s`:
    /// a symbolic link only names its target). Each must also be listed as an option.
    public var sourcesKeptOptions: [String]
    /// Options that make the command write whole trees below the paths its operands name
    /// (`rm -r`, `chmod -R`, `cp -r`, `find -delete`): such a path may not hold a protected
    /// path, a git directory or a denied path. Each must also be listed as an option.
    public var recursiveOptions: [String]
    /// The command always writes whole trees below its operand paths (`mv` moves directories
    /// with everything in them).
    public var recursive: Bool
    /// Options that make the last operand the destination itself, never a directory written
    /// into (`cp -T`, `mv -T`): with a recursive write it is then merged into or replaced,
    /// even when it is a write root. Each must also be listed as an option.
    public var noTargetDirectoryOptions: [String]
    /// Operand patterns that are denied (`*` any run of bytes, `?` any one byte): git's
    /// `ext::CMD` and other `TRANSPORT::ADDRESS` URLs run a program. With any pattern, an operand
    /// only known at run time is denied too, since it could match.
    public var denyOperands: [String]
    /// The first operand, when it does not start with `-`, is a bundle of one-letter options
    /// whose values are the next words in turn (tar's old style: `tar xf a.tar`, `tar cfC a.tar d`).
    public var bundledFirstOperand: Bool
    /// When not empty, every operand is `KEY=VALUE` with one of these keys (`dd`).
    public var keywordOperands: [String]
    /// Keys of `KEY=VALUE` operands whose value is a file the command writes (`dd of=`).
    public var writeKeywords: [String]
    /// Files the command writes, relative to the working directory, unless one of
    /// `writeOptions` is given (`csplit` writes `xx00`, … by default).
    public var defaultWriteTargets: [String]
    /// The command always writes files named only at run time (`patch`): denied.
    public var unknownWrites: Bool
    /// `-NUM` is an option (`head -5`).
    public var numberOptions: Bool
    /// A word that is not a listed option is the first operand, as bash's `echo` treats it
    /// (`echo -----`).
    public var strayOptionsAreOperands: Bool
    /// The rule lists every option the command has (a shell builtin's fixed set). When all of
    /// them are flags, a word only known at run time can only become one of them or an
    /// operand, so it is accepted before `--` (`cd "$D"`, `echo "$x"`).
    public var optionsComplete: Bool
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
    /// Long options may be abbreviated to any unambiguous prefix, as GNU getopt allows. An
    /// allowlist rule denies abbreviations (the program may know an unlisted option of that
    /// exact name); a denylist rule denies any abbreviation of a denied option.
    public var gnuAbbreviations: Bool
    /// Why the rule exists, quoted in the denial.
    public var reason: String

    /// Every listed option by spelling, built on the first check and again after an option
    /// list changes.
    private var optionCache = ExecOptionTableCache()
    /// Every listed option by spelling.
    var options: ExecOptionTable { optionBox.table }
    /// The table by reference, as a check holds it.
    var optionBox: ExecOptionTableBox {
        optionCache.table {
            ExecOptionTable(lists: [
                (.denied, denyOptions), (.unknownWrite, unknownWriteOptions), (.exec, execOptions),
                (.script, scriptOptions), (.write, writeOptions), (.targetDirectory, targetDirectoryOptions),
                (.inPlace, inPlaceOptions), (.terminating, terminatingOptions), (.value, valueOptions),
                (.optionalValue, optionalValueOptions), (.flag, flags),
            ])
        }
    }
    /// Whether any operand can be a file the command writes, so that operands are collected.
    var collectsOperands: Bool {
        writeOperands != .none || !inPlaceOptions.isEmpty || !targetDirectoryOptions.isEmpty
    }
    /// Whether any option changes which operands are written or how deep, so that matched
    /// options are looked up in those lists.
    var hasModifiers: Bool {
        !sourcesKeptOptions.isEmpty || !recursiveOptions.isEmpty || !noTargetDirectoryOptions.isEmpty
    }

    public init(
        command: String, subcommand: String? = nil, denyCommand: Bool = false, allowlist: Bool = false,
        flags: [String] = [], valueOptions: [String] = [], optionalValueOptions: [String] = [],
        terminatingOptions: [String] = [], scriptOptions: [String] = [], execOptions: [String] = [], writeOptions: [String] = [],
        targetDirectoryOptions: [String] = [], inPlaceOptions: [String] = [], unknownWriteOptions: [String] = [],
        denyOptions: [String] = [], denySubcommands: [String] = [], subcommands: [String] = [],
        writeOperands: WriteOperands = .none, sourcesKeptOptions: [String] = [], recursiveOptions: [String] = [],
        recursive: Bool = false, noTargetDirectoryOptions: [String] = [], denyOperands: [String] = [],
        bundledFirstOperand: Bool = false, keywordOperands: [String] = [], writeKeywords: [String] = [],
        defaultWriteTargets: [String] = [], unknownWrites: Bool = false, numberOptions: Bool = false,
        strayOptionsAreOperands: Bool = false, optionsComplete: Bool = false, script: ScriptLanguage? = nil, denyScriptCommands: [String] = [],
        denySubstituteFlags: [String] = [], denyScriptText: [String] = [], optionsBeforeOperands: Bool = false,
        gnuAbbreviations: Bool = false, reason: String
    ) {
        self.command = command
        self.subcommand = subcommand
        self.denyCommand = denyCommand
        self.allowlist = allowlist
        self.flags = flags
        self.valueOptions = valueOptions
        self.optionalValueOptions = optionalValueOptions
        self.terminatingOptions = terminatingOptions
        self.scriptOptions = scriptOptions
        self.execOptions = execOptions
        self.writeOptions = writeOptions
        self.targetDirectoryOptions = targetDirectoryOptions
        self.inPlaceOptions = inPlaceOptions
        self.unknownWriteOptions = unknownWriteOptions
        self.denyOptions = denyOptions
        self.denySubcommands = denySubcommands
        self.subcommands = subcommands
        self.writeOperands = writeOperands
        self.sourcesKeptOptions = sourcesKeptOptions
        self.recursiveOptions = recursiveOptions
        self.recursive = recursive
        self.noTargetDirectoryOptions = noTargetDirectoryOptions
        self.denyOperands = denyOperands
        self.bundledFirstOperand = bundledFirstOperand
        self.keywordOperands = keywordOperands
        self.writeKeywords = writeKeywords
        self.defaultWriteTargets = defaultWriteTargets
        self.unknownWrites = unknownWrites
        self.numberOptions = numberOptions
        self.strayOptionsAreOperands = strayOptionsAreOperands
        self.optionsComplete = optionsComplete
        self.script = script
        self.denyScriptCommands = denyScriptCommands
        self.denySubstituteFlags = denySubstituteFlags
        self.denyScriptText = denyScriptText
        self.optionsBeforeOperands = optionsBeforeOperands
        self.gnuAbbreviations = gnuAbbreviations
        self.reason = reason
    }

    /// Whether any option field lists `option` (as `options` would find it, ASCII only),
    /// without building the table.
    func listsOption(_ option: String) -> Bool {
        OptionBytes.isASCII(option)
            && [
                denyOptions, unknownWriteOptions, execOptions, scriptOptions, writeOptions, targetDirectoryOptions,
                inPlaceOptions, terminatingOptions, valueOptions, optionalValueOptions, flags,
            ].contains { $0.contains(option) }
    }
}
