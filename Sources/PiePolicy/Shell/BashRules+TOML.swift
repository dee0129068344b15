import TOMLKit

/// Loading a bash profile from TOML. Every field is checked for type and spelling; see
/// `docs/shell-analysis.md` for the format.
extension BashRules {
    static let rootFields = [
        "name", "allowed_commands", "allow_substitutions", "allow_eval", "allow_background",
        "allow_function_definitions", "check_redirections", "writable_devices", "denied_assignments", "shells",
        "wrappers", "exec_rules", "option_allowlists", "added_command_rules",
    ]
    static let wrapperFields = [
        "command", "flags", "options_with_value", "lookup_flags", "operands", "assignments", "default_command",
        "appends_arguments", "placeholder_options",
    ]
    static let execRuleFields = [
        "command", "subcommand", "deny", "allowlist", "flags", "value_options", "optional_value_options",
        "script_options", "exec_options", "write_options", "target_directory_options", "in_place_options",
        "unknown_write_options", "deny_options", "deny_subcommands", "subcommands", "write_operands",
        "sources_kept_options", "recursive_options", "recursive", "no_target_directory_options",
        "terminating_options", "deny_operands", "bundled_first_operand",
        "keyword_operands", "write_keywords", "default_write_targets", "unknown_writes", "number_options",
        "stray_options_are_operands", "options_complete", "script", "deny_script_commands", "deny_substitute_flags",
        "deny_script_text", "options_before_operands", "gnu_abbreviations", "reason",
    ]

    /// Parses a profile with TOMLKit, which reads all of TOML. `source` names the file in errors.
    public init(toml: String, source: String) throws(BashRulesError) {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: toml)
        } catch let error as TOMLParseError {
            throw BashRulesError(
                source: source, line: error.source.begin.line, field: nil,
                message: "not valid TOML: \(error.description)")
        } catch {
            throw BashRulesError(source: source, line: nil, field: nil, message: "not valid TOML")
        }
        try self.init(document: ProfileTOMLTable(table), text: toml, source: source)
    }

    /// Parses a profile written in the subset of TOML that `ProfileTOMLReader` reads, as the
    /// builtin profiles are: much faster to start than TOMLKit, and any text outside the subset
    /// is an error naming its line.
    init(profileSubsetTOML toml: String, source: String) throws(BashRulesError) {
        try self.init(document: ProfileTOMLReader.parse(toml, source: source), text: toml, source: source)
    }

    private init(document table: ProfileTOMLTable, text toml: String, source: String) throws(BashRulesError) {
        let locator = TOMLLineLocator(text: toml)
        let root = TOMLFieldReader(
            table: table, path: "", arrayTable: nil, knownFields: Self.rootFields, source: source, locator: locator)
        try root.rejectUnknownFields()

        var wrappers: [WrapperRule] = []
        for reader in try root.tables("wrappers", knownFields: Self.wrapperFields) {
            try reader.rejectUnknownFields()
            let command = try reader.requiredString("command")
            if wrappers.contains(where: { $0.command == command }) {
                throw reader.error(
                    "command", "wrapper '\(command)' is already defined by an earlier [[wrappers]] table")
            }
            wrappers.append(WrapperRule(
                command: command,
                flags: try reader.options("flags"),
                optionsWithValue: try reader.options("options_with_value"),
                lookupFlags: try reader.options("lookup_flags"),
                operands: try reader.int("operands", default: 0),
                assignments: try reader.bool("assignments", default: false),
                defaultCommand: try reader.string("default_command"),
                appendsArguments: try reader.bool("appends_arguments", default: false),
                placeholderOptions: try reader.options("placeholder_options")))
        }

        let optionAllowlists = try root.bool("option_allowlists", default: false)
        var execRules: [ExecArgumentRule] = []
        var execRuleReaders: [TOMLFieldReader] = []
        for reader in try root.tables("exec_rules", knownFields: Self.execRuleFields) {
            try reader.rejectUnknownFields()
            execRules.append(try Self.execRule(reader, optionAllowlists: optionAllowlists))
            execRuleReaders.append(reader)
        }

        let name = try root.requiredString("name")
        let addedCommandRules = try root.string("added_command_rules")
        if let addedCommandRules, !Self.builtinNames.contains(addedCommandRules) || addedCommandRules == name {
            let others = Self.builtinNames.filter { $0 != name }.joined(separator: ", ")
            throw root.error(
                "added_command_rules",
                "'\(addedCommandRules)' is not another builtin bash profile (valid: \(others)); name the builtin "
                    + "profile whose rules judge commands added with --allow-command, or remove the field")
        }
        self.init(
            name: name,
            allowedCommands: try root.strings("allowed_commands", required: true),
            allowSubstitutions: try root.bool("allow_substitutions", default: false),
            allowEval: try root.bool("allow_eval", default: false),
            allowBackground: try root.bool("allow_background", default: false),
            allowFunctionDefinitions: try root.bool("allow_function_definitions", default: false),
            checkRedirections: try root.bool("check_redirections", default: true),
            writableDevices: table["writable_devices"] == nil
                ? ["/dev/null", "/dev/stdout", "/dev/stderr"] : try root.strings("writable_devices"),
            deniedAssignments: try root.strings("denied_assignments"),
            shells: try root.strings("shells"),
            wrappers: wrappers,
            execRules: execRules,
            optionAllowlists: optionAllowlists,
            addedCommandRules: addedCommandRules)
        if optionAllowlists {
            try validateOptionAllowlists(root: root, ruleReaders: execRuleReaders)
        }
    }

    private static func execRule(_ reader: TOMLFieldReader, optionAllowlists: Bool) throws(BashRulesError)
        -> ExecArgumentRule
    {
        var script: ExecArgumentRule.ScriptLanguage?
        if let name = try reader.string("script") {
            guard let language = ExecArgumentRule.ScriptLanguage(rawValue: name) else {
                let valid = ExecArgumentRule.ScriptLanguage.allCases.map(\.rawValue).joined(separator: ", ")
                throw reader.error("script", "unknown script language '\(name)' (valid: \(valid))")
            }
            script = language
        }
        var writeOperands = ExecArgumentRule.WriteOperands.none
        if let name = try reader.string("write_operands") {
            guard let value = ExecArgumentRule.WriteOperands(rawValue: name) else {
                let valid = ExecArgumentRule.WriteOperands.allCases.map(\.rawValue).joined(separator: ", ")
                throw reader.error("write_operands", "unknown value '\(name)' (valid: \(valid))")
            }
            writeOperands = value
        }
        let rule = ExecArgumentRule(
            command: try reader.requiredString("command"),
            subcommand: try reader.string("subcommand"),
            denyCommand: try reader.bool("deny", default: false),
            allowlist: try reader.bool("allowlist", default: optionAllowlists),
            flags: try reader.options("flags"),
            valueOptions: try reader.options("value_options"),
            optionalValueOptions: try reader.options("optional_value_options"),
            terminatingOptions: try reader.options("terminating_options"),
            scriptOptions: try reader.options("script_options"),
            execOptions: try reader.options("exec_options"),
            writeOptions: try reader.options("write_options"),
            targetDirectoryOptions: try reader.options("target_directory_options"),
            inPlaceOptions: try reader.options("in_place_options"),
            unknownWriteOptions: try reader.options("unknown_write_options"),
            denyOptions: try reader.options("deny_options"),
            denySubcommands: try reader.strings("deny_subcommands"),
            subcommands: try reader.strings("subcommands"),
            writeOperands: writeOperands,
            sourcesKeptOptions: try reader.options("sources_kept_options"),
            recursiveOptions: try reader.options("recursive_options"),
            recursive: try reader.bool("recursive", default: false),
            noTargetDirectoryOptions: try reader.options("no_target_directory_options"),
            denyOperands: try reader.strings("deny_operands"),
            bundledFirstOperand: try reader.bool("bundled_first_operand", default: false),
            keywordOperands: try reader.strings("keyword_operands"),
            writeKeywords: try reader.strings("write_keywords"),
            defaultWriteTargets: try reader.strings("default_write_targets"),
            unknownWrites: try reader.bool("unknown_writes", default: false),
            numberOptions: try reader.bool("number_options", default: false),
            strayOptionsAreOperands: try reader.bool("stray_options_are_operands", default: false),
            optionsComplete: try reader.bool("options_complete", default: false),
            script: script,
            denyScriptCommands: try reader.strings("deny_script_commands"),
            denySubstituteFlags: try reader.strings("deny_substitute_flags"),
            denyScriptText: try reader.strings("deny_script_text"),
            optionsBeforeOperands: try reader.bool("options_before_operands", default: false),
            gnuAbbreviations: try reader.bool("gnu_abbreviations", default: false),
            reason: try reader.requiredString("reason"))
        // The modifier lists name options that some other list must let through; an entry found
        // nowhere else would never be seen, and the write it describes never judged deeper.
        for (field, options) in [
            ("sources_kept_options", rule.sourcesKeptOptions), ("recursive_options", rule.recursiveOptions),
            ("no_target_directory_options", rule.noTargetDirectoryOptions),
        ] {
            if let unlisted = options.first(where: { !rule.listsOption($0) }) {
                throw reader.error(
                    field,
                    "'\(unlisted)' is not listed in any option field of this rule (flags, value_options, "
                        + "in_place_options, …); list it there too")
            }
        }
        return rule
    }

    /// With `option_allowlists`, what is allowed must say which options it may take: every
    /// allowed command (wrappers and shells have their own grammar) needs an allowlist rule,
    /// and every subcommand an allowlist rule lets through needs one of its own.
    private func validateOptionAllowlists(root: TOMLFieldReader, ruleReaders: [TOMLFieldReader])
        throws(BashRulesError)
    {
        for command in allowedCommands where wrappersByCommand[command] == nil && !shellSet.contains(command) {
            if command.hasSuffix("*") {
                throw root.error(
                    "allowed_commands",
                    "'\(command)' is a wildcard, but with option_allowlists every allowed command needs an "
                        + "[[exec_rules]] table listing its options; list the commands by name")
            }
            guard hasOptionAllowlist(command) else {
                throw root.error(
                    "allowed_commands",
                    "'\(command)' has no [[exec_rules]] table listing its options, which option_allowlists "
                        + "requires; add one (command = \"\(command)\", flags = […], …) or remove the command")
            }
        }
        for (rule, reader) in zip(execRules, ruleReaders) where rule.allowlist {
            for subcommand in rule.subcommands {
                // A subcommand rule's own `subcommands` are nested: `remote` lists `show`, whose
                // rule is written `subcommand = "remote show"`.
                let path = rule.subcommand.map { $0 + " " + subcommand } ?? subcommand
                let covered = execRules.contains {
                    $0.command == rule.command && $0.subcommand.map { PathBytes.equal($0, path) } == true
                        && $0.allowlist
                }
                guard covered else {
                    throw reader.error(
                        "subcommands",
                        "subcommand '\(path)' of '\(rule.command)' has no [[exec_rules]] table of its own "
                            + "(subcommand = \"\(path)\") listing its options")
                }
            }
        }
    }
}
