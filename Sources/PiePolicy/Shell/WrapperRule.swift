/// How a wrapper command (`env`, `nice`, `timeout`, `xargs`, …) is read to find the command it
/// runs, which is then judged as if written directly. Wrappers are data in the profile: a
/// wrapper the profile does not list is an ordinary command, so it needs the allowlist.
///
/// The grammar is deliberately small: options first (each a known flag, a known option with a
/// value, or a lookup flag), then `operands` fixed words (the `DURATION` of `timeout`), then
/// `NAME=value` words when `assignments` is set, then the command. Any other option is
/// denied, because an unknown option may change what the wrapper runs (`env -S 'rm -rf x'`).
public struct WrapperRule: Sendable, Equatable {
    /// The wrapper's command name.
    public var command: String
    /// Options that take no value.
    public var flags: [String]
    /// Options that take a value, written separately (`-n 5`), attached (`-n5`) or after `=`
    /// for long options (`--signal=KILL`).
    public var optionsWithValue: [String]
    /// Flags that make the wrapper look a command up instead of running it (`command -v`).
    public var lookupFlags: [String]
    /// Words between the options and the command (`timeout 5 cmd` has one).
    public var operands: Int
    /// Whether `NAME=value` words may precede the command (`env FOO=1 cmd`).
    public var assignments: Bool
    /// What the wrapper runs when no command is given (`xargs` runs `echo`); `nil` when it runs
    /// nothing.
    public var defaultCommand: String?
    /// Whether the wrapper adds arguments only known at run time (`xargs` reads them from
    /// standard input). Such a command cannot have its arguments judged.
    public var appendsArguments: Bool
    /// Options whose value is a placeholder replaced at run time in the command's words
    /// (`xargs -I {}`); words containing it are treated as unknown.
    public var placeholderOptions: [String]

    public init(
        command: String, flags: [String] = [], optionsWithValue: [String] = [], lookupFlags: [String] = [],
        operands: Int = 0, assignments: Bool = false, defaultCommand: String? = nil,
        appendsArguments: Bool = false, placeholderOptions: [String] = []
    ) {
        self.command = command
        self.flags = flags
        self.optionsWithValue = optionsWithValue
        self.lookupFlags = lookupFlags
        self.operands = operands
        self.assignments = assignments
        self.defaultCommand = defaultCommand
        self.appendsArguments = appendsArguments
        self.placeholderOptions = placeholderOptions
    }
}
