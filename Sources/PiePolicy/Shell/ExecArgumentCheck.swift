/// What checking a command's arguments against one exec rule found.
struct ExecArgumentCheck {
    /// Why the arguments fail the rule.
    enum Denial: Equatable {
        /// Denied by one of the rule's `deny…` fields, e.g. `option '-exec'`; the rule's reason
        /// is quoted after it.
        case denied(String)
        /// An option the allowlist does not list, e.g. `option '-W' in '-Wexec'`.
        case undeclared(String)
        /// A subcommand or `KEY=VALUE` operand the rule does not list; the text names what is
        /// allowed.
        case unlisted(String)
        /// The command would write files whose names are only known at run time.
        case unknownWrites(String)
    }

    /// A file the command writes.
    struct WriteTarget: Equatable {
        /// The path as written (relative to the working directory or absolute); `nil` when it is
        /// only known at run time.
        var path: String?
        /// Where it comes from, e.g. `'-o out.txt'` or `operand '../x'`.
        var origin: String
        /// Everything below the path may be written too (`rm -r`, `mv`, `cp -r`), so it may not
        /// hold a protected, git or denied path.
        var tree = false
        /// The path is the destination operand itself, which the command writes into when it is
        /// an existing directory: a write root (always an existing directory) then needs no tree
        /// check, since only the `into` targets judged beside it are written.
        var destination = false
    }

    var denial: Denial?
    /// Commands given to exec options (`find -exec cmd … ;`), for the caller to judge.
    var commands: [[ShellWord]] = []
    /// Files the arguments make the command write, for the caller to judge like redirections.
    var writeTargets: [WriteTarget] = []
    /// Index in the arguments of the first operand (the subcommand, for a rule with
    /// `options_before_operands`); `nil` when there is none.
    var firstOperandIndex: Int?
}
