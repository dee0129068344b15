/// Judging one command invocation: its name against the allowlist, and what it runs through
/// wrappers, shells, `eval` and exec-capable arguments.
extension ShellJudge {
    /// Judges `words` (command name first). `unknownArguments` is set when more arguments are
    /// added at run time (by `xargs`, or `find -exec`'s file names).
    mutating func judgeInvocation(_ words: [ShellWord], unknownArguments: Bool, depth: Int) throws(ShellDenial) {
        guard depth <= ShellParser.maximumDepth else {
            throw deny(
                "nesting_depth",
                "the command nests more than \(ShellParser.maximumDepth) levels deep (wrappers, sh -c, eval), "
                    + "which is not judged")
        }
        guard let nameWord = words.first else { return }
        guard let name = nameWord.staticValue else {
            try runtimeOnly(
                "the command name '\(nameWord.display)' is only known at run time (expansion, substitution "
                    + "or glob), so it cannot be judged; write the command name literally")
            return
        }
        let arguments = Array(words.dropFirst())
        if name == "eval" {
            try judgeEval(arguments, unknownArguments: unknownArguments, depth: depth)
        } else if rules.shellSet.contains(name) {
            try judgeShell(name, arguments, unknownArguments: unknownArguments, depth: depth)
        } else if let wrapper = rules.wrappersByCommand[name] {
            try judgeWrapper(wrapper, arguments, unknownArguments: unknownArguments, depth: depth)
        } else {
            try checkAllowed(name)
            checkAsk(name, arguments, unknownArguments: unknownArguments)
            if name == "cd" { trackDirectoryChange(arguments, unknownArguments: unknownArguments) }
            try checkExecArguments(name, arguments, unknownArguments: unknownArguments, depth: depth)
        }
    }

    /// A command or argument only known at run time: denied, unless the profile could not deny
    /// whatever it turns out to be.
    mutating func runtimeOnly(_ reason: String) throws(ShellDenial) {
        guard rules.isUnrestricted else { throw deny("dynamic_command", reason) }
        record("dynamic_command", .allow, "the '\(rules.name)' bash profile allows any command")
        if !context.ask.commands.isEmpty {
            ask("ask_commands", "\(reason); it may be one the ask_commands list holds, so it runs only when a person approves it")
        }
    }

    /// Asks for approval when the command matches an `ask_commands` pattern. A profile that
    /// allows any command does not say which arguments run commands (`find -exec`, `xargs`), so
    /// there every argument is also tried as the start of a command.
    mutating func checkAsk(_ name: String, _ arguments: [ShellWord], unknownArguments: Bool) {
        guard !context.ask.commands.isEmpty else { return }
        let texts = arguments.map(\.staticValue)
        let starts = rules.isUnrestricted ? Array(texts.indices) : []
        var candidates: [(String, [String?])] = [(name, texts)]
        for start in starts {
            guard let inner = texts[start] else { continue }
            candidates.append((inner, Array(texts[(start + 1)...])))
        }
        for (command, rest) in candidates {
            guard let pattern = context.ask.command(named: command, arguments: rest, unknownArguments: unknownArguments)
            else { continue }
            let shown = ([name] + texts.map { $0 ?? "…" }).joined(separator: " ")
            ask("ask_commands", "'\(shown)' matches the ask_commands pattern '\(pattern)': it runs only when a person approves it")
            return
        }
    }

    /// Whether the profile or `--allow-command` allows `name`.
    func isAllowed(_ name: String) -> Bool {
        rules.allows(name) || context.extraAllowedCommands.contains { CommandNamePatterns.pattern($0, matches: name) }
    }

    mutating func checkAllowed(_ name: String) throws(ShellDenial) {
        if isAllowed(name) {
            record("allowed_commands", .allow, "'\(name)' is allowed by the '\(rules.name)' bash profile")
            return
        }
        var allowed = rules.allowedSummary
        if !context.extraAllowedCommands.isEmpty {
            allowed += ", " + context.extraAllowedCommands.joined(separator: ", ")
        }
        throw deny(
            "allowed_commands",
            "command '\(name)' is not allowed by the '\(rules.name)' bash profile (allowed: \(allowed))")
    }

    /// `eval`: the arguments joined by spaces are a new command line, judged when the profile
    /// allows `eval` at all.
    mutating func judgeEval(_ arguments: [ShellWord], unknownArguments: Bool, depth: Int) throws(ShellDenial) {
        guard rules.allowEval else {
            throw deny(
                "eval",
                "'eval' is denied by the '\(rules.name)' bash profile: it runs its arguments as a new command line")
        }
        var texts: [String] = []
        for word in arguments {
            guard let text = word.staticValue, !unknownArguments else {
                try runtimeOnly(
                    "the text given to 'eval' ('\(word.display)') is only known at run time, so it cannot "
                        + "be judged")
                return
            }
            texts.append(text)
        }
        let script = try parse(texts.joined(separator: " "), depth: depth + 1, origin: "the text given to 'eval'")
        try judge(script, depth: depth + 1)
    }

    /// A shell: `sh -c 'script'` is parsed and judged; any other use runs a script that
    /// cannot be seen, and needs the shell in the allowlist.
    mutating func judgeShell(_ name: String, _ arguments: [ShellWord], unknownArguments: Bool, depth: Int)
        throws(ShellDenial)
    {
        var index = 0
        var readsCommandString = false
        while index < arguments.count {
            guard let text = arguments[index].staticValue else {
                try runtimeOnly(
                    "the argument '\(arguments[index].display)' of '\(name)' is only known at run time, "
                        + "so what the shell runs cannot be judged")
                return
            }
            if text == "--" || text == "-" {
                index += 1
                break
            }
            guard text.hasPrefix("-") || text.hasPrefix("+") else { break }
            if text == "--rcfile" || text == "--init-file" || (!text.hasPrefix("--") && text.contains("i")) {
                throw deny(
                    "shell",
                    "'\(name) \(text)' reads start-up files as an interactive shell, which cannot be judged")
            }
            if text == "-o" || text == "+o" || text == "-O" || text == "+O" {
                index += 2
                continue
            }
            if !text.hasPrefix("--") && text.contains("c") { readsCommandString = true }
            index += 1
        }
        guard readsCommandString else {
            if isAllowed(name) {
                record("shell", .allow, "'\(name)' itself is allowed, so it may run a script")
                checkAsk(name, arguments, unknownArguments: unknownArguments)
                if !context.ask.commands.isEmpty {
                    ask("ask_commands", "'\(name)' runs a script that cannot be judged against ask_commands, so it runs only when a person approves it")
                }
                return
            }
            throw deny(
                "shell",
                "running '\(name)' without -c runs a script or standard input that cannot be judged; pass "
                    + "the commands with '\(name) -c'")
        }
        guard index < arguments.count else {
            throw deny(
                "shell", "'\(name) -c' has no command string here, so what it runs cannot be judged")
        }
        guard let source = arguments[index].staticValue else {
            try runtimeOnly(
                "the command string of '\(name) -c' ('\(arguments[index].display)') is only known at "
                    + "run time, so it cannot be judged")
            return
        }
        record("shell", .allow, "judging the command string of '\(name) -c'")
        let script = try parse(source, depth: depth + 1, origin: "the command string of '\(name) -c'")
        try judge(script, depth: depth + 1)
    }

    /// A wrapper: its options are read by the profile's grammar for it, and the command it
    /// runs is judged in its place.
    mutating func judgeWrapper(_ wrapper: WrapperRule, _ arguments: [ShellWord], unknownArguments: Bool, depth: Int)
        throws(ShellDenial)
    {
        let name = wrapper.command
        var index = 0
        var placeholders: [String] = []
        while index < arguments.count {
            guard let text = arguments[index].staticValue else {
                try runtimeOnly(
                    "the argument '\(arguments[index].display)' of '\(name)' is only known at run time, "
                        + "so the command it runs cannot be judged")
                return
            }
            if text == "--" {
                index += 1
                break
            }
            guard text.hasPrefix("-"), text != "-" || wrapper.flags.contains("-") else { break }
            index += 1
            if wrapper.lookupFlags.contains(text) {
                record("wrapper", .allow, "'\(name) \(text)' only looks a command up")
                return
            }
            if wrapper.flags.contains(text) { continue }
            if wrapper.optionsWithValue.contains(text) {
                guard index < arguments.count else {
                    throw deny("wrapper", "option '\(text)' of '\(name)' has no value")
                }
                if wrapper.placeholderOptions.contains(text) {
                    guard let value = arguments[index].staticValue else {
                        try runtimeOnly(
                            "the value of '\(name) \(text)' is only known at run time, so the command "
                                + "it runs cannot be judged")
                        return
                    }
                    placeholders.append(value)
                }
                index += 1
                continue
            }
            if let option = wrapper.optionsWithValue.first(where: { Self.hasAttachedValue(text, option: $0) }) {
                if wrapper.placeholderOptions.contains(option) {
                    placeholders.append(String(text.dropFirst(option.count + (option.hasPrefix("--") ? 1 : 0))))
                }
                continue
            }
            throw deny(
                "wrapper",
                "option '\(text)' of '\(name)' is not known to the '\(rules.name)' bash profile, so what "
                    + "'\(name)' runs cannot be judged")
        }
        index += wrapper.operands
        if wrapper.assignments {
            while index < arguments.count, let text = arguments[index].staticValue,
                let equals = text.utf8.firstIndex(of: UInt8(ascii: "="))
            {
                try checkAssignment(String(text[..<equals]))
                index += 1
            }
        }
        guard index < arguments.count else {
            if unknownArguments || index > arguments.count {
                try runtimeOnly("'\(name)' gets its command at run time here, so the command cannot be judged")
                return
            }
            if let defaultCommand = wrapper.defaultCommand {
                record("wrapper", .allow, "'\(name)' runs '\(defaultCommand)' when no command is given")
                try judgeInvocation(
                    [ShellWord(parts: [.literal(defaultCommand, quoted: true)])],
                    unknownArguments: wrapper.appendsArguments, depth: depth + 1)
            } else {
                record("wrapper", .allow, "'\(name)' runs no command")
            }
            return
        }
        var inner = Array(arguments[index...])
        if !placeholders.isEmpty {
            inner = inner.map { word in
                guard let text = word.staticValue, !placeholders.contains(where: { OptionBytes.contains(text, $0) })
                else {
                    return ShellWord.runtimeValue(word.display)
                }
                return word
            }
        }
        record("wrapper", .allow, "'\(name)' runs '\(inner[0].display)', judged next")
        try judgeInvocation(inner, unknownArguments: unknownArguments || wrapper.appendsArguments, depth: depth + 1)
    }

    /// `-n5` for `-n`, `--signal=KILL` for `--signal`.
    static func hasAttachedValue(_ text: String, option: String) -> Bool {
        if option.hasPrefix("--") { return text.hasPrefix(option + "=") }
        return text.count > option.count && text.hasPrefix(option)
    }

    /// Checks the exec rules for `name` (its option allowlist first), judges the files its
    /// arguments make it write like redirection targets, then the commands its exec options run.
    mutating func checkExecArguments(_ name: String, _ arguments: [ShellWord], unknownArguments: Bool, depth: Int)
        throws(ShellDenial)
    {
        let execRules = rules.execRules(for: name)
        guard !execRules.isEmpty else {
            if rules.optionAllowlists && rules.allows(name) {
                throw deny(
                    "exec_argument",
                    "'\(name)' has no [[exec_rules]] table listing its options in the '\(rules.name)' bash "
                        + "profile, so its options cannot be judged")
            }
            if rules.optionAllowlists {
                record(
                    "exec_argument", .allow,
                    "'\(name)' was added with --allow-command and has no rule: its options are not checked")
            }
            return
        }
        // Arguments added at run time (xargs, find -exec) come last: they are judged as one
        // run-time word there, which is denied unless options have ended (`xargs grep x --`).
        let judged = unknownArguments ? arguments + [ShellWord.runtimeValue("arguments added at run time")] : arguments
        var commands: [[ShellWord]] = []
        var writeTargets: [ExecArgumentCheck.WriteTarget] = []
        var subcommandIndex: Int?
        // Where the first operand after a subcommand path stands (`remote` → the index of `show`
        // in `git remote show x`), from that path's allowlist rule; nested rules look it up.
        var nestedIndex: [String: Int] = [:]
        var checkedAllowlist = false
        // By index: iterating the rules would copy each one, and with it all of its arrays.
        // Rules come base first, then by subcommand depth (`BashRules.rebuildExecRules`).
        for position in execRules.indices {
            let path = execRules[position].subcommand
            let isBase = path == nil
            var index = isBase ? nil : subcommandIndex
            if let path, let parent = ExecArgumentRule.parentPath(of: path) {
                index = nestedIndex[parent]
            }
            let check = execRules[position].check(judged, subcommandIndex: index)
            if let denial = check.denial {
                throw deny("exec_argument", describe(denial, of: name, rule: execRules[position]))
            }
            let isAllowlist = execRules[position].allowlist
            if isBase && isAllowlist && subcommandIndex == nil {
                subcommandIndex = check.firstOperandIndex
            }
            if let path, isAllowlist, nestedIndex[path] == nil, let first = check.firstOperandIndex {
                nestedIndex[path] = first
            }
            checkedAllowlist = checkedAllowlist || isAllowlist
            commands += check.commands
            writeTargets += check.writeTargets
        }
        record(
            "exec_argument", .allow,
            checkedAllowlist
                ? "every option of '\(name)' is in its allowlist in the '\(rules.name)' bash profile"
                : "'\(name)' has no denied exec-capable argument")
        for target in writeTargets where rules.checkRedirections {
            let subject = "\(target.origin) of '\(name)'"
            guard let path = target.path else {
                throw deny(
                    "write_operand",
                    "\(subject) is a file '\(name)' writes whose name is only known at run time, so where it "
                        + "writes cannot be checked")
            }
            try checkWritable(
                path, subject: subject, rule: "write_operand", tree: target.tree, destination: target.destination)
        }
        for command in commands {
            guard !command.isEmpty else {
                throw deny("exec_argument", "an exec option of '\(name)' has no command")
            }
            let placeholder = command.map { word in
                word.staticValue.map { OptionBytes.contains($0, "{}") } ?? false ? ShellWord.runtimeValue(word.display) : word
            }
            record("exec_argument", .allow, "judging the command '\(command[0].display)' run by '\(name)'")
            try judgeInvocation(placeholder, unknownArguments: true, depth: depth + 1)
        }
    }

    /// The reason given for a denied argument.
    private func describe(_ denial: ExecArgumentCheck.Denial, of name: String, rule: ExecArgumentRule) -> String {
        switch denial {
        case .denied(let what):
            return "\(what) of '\(name)' is denied by the '\(rules.name)' bash profile: \(rule.reason)"
        case .undeclared(let what):
            let scope = rule.subcommand.map { "'\(name) \($0)'" } ?? "'\(name)'"
            return "\(what) of '\(name)' is not among the options the '\(rules.name)' bash profile allows for "
                + "\(scope) (allowed: \(rule.options.allowedSummary))"
        case .unlisted(let what):
            return "\(what) of '\(name)' is not allowed by the '\(rules.name)' bash profile"
        case .unknownWrites(let what):
            return "\(what) of '\(name)' writes files whose names are only known at run time, which cannot be "
                + "checked; it is denied by the '\(rules.name)' bash profile: \(rule.reason)"
        }
    }
}
