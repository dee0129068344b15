/// Walks a parsed command line and judges every command in it, recording each check in the
/// trace. The first failing check ends the walk with a `ShellDenial`.
struct ShellJudge {
    let rules: BashRules
    let context: ShellContext
    private(set) var trace: [PolicyCheck] = []
    /// Every directory the shell may be in when a later redirection runs, given the `cd`
    /// commands seen so far (a `cd` may or may not have run, so both are kept); `nil` once a
    /// `cd` target is unknown, after which relative redirection targets are denied.
    var possibleDirectories: [String]?
    /// The ask rules the line matched so far; the line is an ask when it is otherwise allowed.
    private(set) var asks: [ShellDenial] = []

    /// More possible directories than this and they are treated as unknown.
    static let maximumPossibleDirectories = 8

    init(rules: BashRules, context: ShellContext) {
        self.rules = rules
        self.context = context
        possibleDirectories = [context.cwd]
        trace.reserveCapacity(8)
    }

    mutating func record(_ check: String, _ outcome: PolicyCheck.Outcome, _ detail: String) {
        trace.append(PolicyCheck(check: check, outcome: outcome, detail: detail))
    }

    /// Records that a person must approve the line (`rule` is `ask_commands` or `ask_paths`);
    /// the walk goes on, so a later deny still wins.
    mutating func ask(_ rule: String, _ reason: String) {
        record(rule, .ask, reason)
        asks.append(ShellDenial(rule: rule, reason: reason))
    }

    /// Records a denying step and returns the error that ends the walk.
    mutating func deny(_ rule: String, _ reason: String) -> ShellDenial {
        record(rule, .deny, reason)
        return ShellDenial(rule: rule, reason: reason)
    }

    /// Parses text the shell will run: the command line, an `sh -c` script or an `eval`
    /// string. `origin` names it in the denial.
    mutating func parse(_ text: String, depth: Int, origin: String) throws(ShellDenial) -> ShellScript {
        do {
            let script = try ShellParser.parse(text, depth: depth)
            record("parse", .allow, "parsed \(origin)")
            return script
        } catch {
            switch error.kind {
            case .controlCharacter:
                throw deny(
                    "control_characters",
                    "\(origin) contains a \(error.message) at byte \(error.offset); control characters can "
                        + "hide commands, remove them or quote them")
            case .tooDeep:
                throw deny(
                    "nesting_depth",
                    "\(origin) nests more than \(ShellParser.maximumDepth) levels deep (subshells, substitutions, "
                        + "sh -c, eval), which is not judged")
            case .syntax:
                throw deny(
                    "parse",
                    "\(origin) could not be parsed (\(error.message) at byte \(error.offset)); text that "
                        + "cannot be parsed cannot be judged")
            }
        }
    }

    mutating func judge(_ script: ShellScript, depth: Int) throws(ShellDenial) {
        try judge(script.list, depth: depth)
        for body in script.hereDocuments {
            try judgeExpansions(in: body, depth: depth)
        }
    }

    mutating func judge(_ list: ShellList, depth: Int) throws(ShellDenial) {
        guard depth <= ShellParser.maximumDepth else {
            throw deny(
                "nesting_depth",
                "the command nests more than \(ShellParser.maximumDepth) levels deep (subshells, substitutions, "
                    + "wrappers, sh -c, eval), which is not judged")
        }
        for item in list.items {
            if item.isBackground {
                guard rules.allowBackground else {
                    throw deny(
                        "background",
                        "background jobs ('&') are denied by the '\(rules.name)' bash profile; run the command "
                            + "in the foreground")
                }
                record("background", .allow, "background job allowed")
            }
            for pipeline in item.andOr.pipelines {
                for command in pipeline.commands {
                    try judge(command, depth: depth)
                }
            }
        }
    }

    mutating func judge(_ command: ShellCommand, depth: Int) throws(ShellDenial) {
        switch command {
        case .simple(let simple):
            try judge(simple, depth: depth)
        case .compound(let compound, let redirections):
            for redirection in redirections {
                try judgeExpansions(in: redirection.target, depth: depth)
            }
            try judge(compound, depth: depth + 1)
            try judgeRedirections(redirections)
        case .functionDefinition(let name, let body):
            guard rules.allowFunctionDefinitions else {
                throw deny(
                    "function_definition",
                    "defining the function '\(name)' is denied by the '\(rules.name)' bash profile: a function "
                        + "can stand in for an allowed command name")
            }
            record("function_definition", .allow, "judging the body of function '\(name)'")
            try judge(body, depth: depth + 1)
        }
    }

    mutating func judge(_ compound: ShellCompoundCommand, depth: Int) throws(ShellDenial) {
        switch compound {
        case .subshell(let list), .braceGroup(let list):
            try judge(list, depth: depth)
        case .ifClause(let branches, let elseBody):
            for branch in branches {
                try judge(branch.condition, depth: depth)
                try judge(branch.body, depth: depth)
            }
            if let elseBody { try judge(elseBody, depth: depth) }
        case .loop(let condition, let body):
            try judge(condition, depth: depth)
            try judge(body, depth: depth)
        case .forLoop(let variable, let words, let body):
            for word in words { try judgeExpansions(in: word, depth: depth) }
            try checkAssignment(variable)
            try judge(body, depth: depth)
        case .caseClause(let subject, let items):
            try judgeExpansions(in: subject, depth: depth)
            for item in items {
                for pattern in item.patterns { try judgeExpansions(in: pattern, depth: depth) }
                try judge(item.body, depth: depth)
            }
        }
    }

    mutating func judge(_ command: ShellSimpleCommand, depth: Int) throws(ShellDenial) {
        for assignment in command.assignments {
            try judgeExpansions(in: assignment.value, depth: depth)
        }
        for word in command.words {
            try judgeExpansions(in: word, depth: depth)
        }
        for redirection in command.redirections {
            try judgeExpansions(in: redirection.target, depth: depth)
        }
        for assignment in command.assignments {
            try checkAssignment(assignment.name)
        }
        try judgeRedirections(command.redirections)
        guard !command.words.isEmpty else {
            record("allowed_commands", .skip, "no command to run (only assignments or redirections)")
            return
        }
        try judgeInvocation(command.words, unknownArguments: false, depth: depth)
    }

    /// Judges what runs while a word is expanded: command and process substitutions (denied,
    /// or judged as command lines of their own), bash `${x@P}` transformations and arithmetic
    /// that could evaluate text as code.
    mutating func judgeExpansions(in word: ShellWord, depth: Int) throws(ShellDenial) {
        for part in word.parts {
            switch part {
            case .literal, .tilde:
                continue
            case .parameter(let expansion):
                if expansion.evaluatesText {
                    throw deny(
                        "expansion",
                        "the expansion '${\(expansion.name)…}' makes bash evaluate text as code "
                            + "(a '@' transformation, '!' indirection, or a subscript or offset that is not "
                            + "a plain number), which can run command substitutions")
                }
                if expansion.assigns { try checkAssignment(expansion.name) }
                try judgeExpansions(in: expansion.operand, depth: depth)
            case .arithmetic(let arithmetic):
                guard arithmetic.isPlain else {
                    throw deny(
                        "arithmetic",
                        "the arithmetic expansion '$((\(arithmetic.text)))' uses names or expansions, whose "
                            + "values bash evaluates as code; only numbers and operators are allowed")
                }
            case .substitution(let substitution):
                guard rules.allowSubstitutions else {
                    throw deny(
                        "substitution",
                        "the substitution \(substitution.kind.display) in '\(word.display)' is denied by "
                            + "the '\(rules.name)' bash profile; run the inner command on its own")
                }
                record("substitution", .allow, "judging the commands inside \(substitution.kind.display)")
                try judge(substitution.body, depth: depth + 1)
            }
        }
    }

    mutating func checkAssignment(_ name: String) throws(ShellDenial) {
        guard !rules.deniedAssignmentPatterns.matches(OptionBytes.asciiLowercased(name)) else {
            throw deny(
                "assignment",
                "assigning '\(name)' is denied by the '\(rules.name)' bash profile: it changes what later commands run")
        }
        record("assignment", .allow, "'\(name)' may be assigned")
    }
}
