import TOMLKit

/// Loading a bash profile from TOML. Every field is checked for type and spelling; see
/// `docs/shell-analysis.md` for the format.
extension BashRules {
    static let rootFields = [
        "name", "allowed_commands", "allow_substitutions", "allow_eval", "allow_background",
        "allow_function_definitions", "check_redirections", "writable_devices", "denied_assignments", "shells",
        "wrappers", "exec_rules",
    ]
    static let wrapperFields = [
        "command", "flags", "options_with_value", "lookup_flags", "operands", "assignments", "default_command",
        "appends_arguments", "placeholder_options",
    ]
    static let execRuleFields = [
        "command", "subcommand", "deny", "deny_options", "deny_subcommands", "exec_options", "value_options",
        "script_options", "script", "deny_script_commands", "deny_substitute_flags", "deny_script_text",
        "options_before_operands", "gnu_abbreviations", "reason",
    ]

    /// Parses a profile. `source` names the file in errors.
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
        let locator = TOMLLineLocator(text: toml)
        let root = TOMLFieldReader(
            table: table, path: "", arrayTable: nil, knownFields: Self.rootFields, source: source, locator: locator)
        try root.rejectUnknownFields()

        var wrappers: [WrapperRule] = []
        for reader in try root.tables("wrappers", knownFields: Self.wrapperFields) {
            try reader.rejectUnknownFields()
            wrappers.append(WrapperRule(
                command: try reader.requiredString("command"),
                flags: try reader.options("flags"),
                optionsWithValue: try reader.options("options_with_value"),
                lookupFlags: try reader.options("lookup_flags"),
                operands: try reader.int("operands", default: 0),
                assignments: try reader.bool("assignments", default: false),
                defaultCommand: try reader.string("default_command"),
                appendsArguments: try reader.bool("appends_arguments", default: false),
                placeholderOptions: try reader.options("placeholder_options")))
        }

        var execRules: [ExecArgumentRule] = []
        for reader in try root.tables("exec_rules", knownFields: Self.execRuleFields) {
            try reader.rejectUnknownFields()
            var script: ExecArgumentRule.ScriptLanguage?
            if let name = try reader.string("script") {
                guard let language = ExecArgumentRule.ScriptLanguage(rawValue: name) else {
                    let valid = ExecArgumentRule.ScriptLanguage.allCases.map(\.rawValue).joined(separator: ", ")
                    throw reader.error("script", "unknown script language '\(name)' (valid: \(valid))")
                }
                script = language
            }
            execRules.append(ExecArgumentRule(
                command: try reader.requiredString("command"),
                subcommand: try reader.string("subcommand"),
                denyCommand: try reader.bool("deny", default: false),
                denyOptions: try reader.options("deny_options"),
                denySubcommands: try reader.strings("deny_subcommands"),
                execOptions: try reader.options("exec_options"),
                valueOptions: try reader.options("value_options"),
                scriptOptions: try reader.options("script_options"),
                script: script,
                denyScriptCommands: try reader.strings("deny_script_commands"),
                denySubstituteFlags: try reader.strings("deny_substitute_flags"),
                denyScriptText: try reader.strings("deny_script_text"),
                optionsBeforeOperands: try reader.bool("options_before_operands", default: false),
                gnuAbbreviations: try reader.bool("gnu_abbreviations", default: false),
                reason: try reader.requiredString("reason")))
        }

        self.init(
            name: try root.requiredString("name"),
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
            execRules: execRules)
    }
}
