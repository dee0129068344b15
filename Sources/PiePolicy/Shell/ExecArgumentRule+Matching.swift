/// What checking a command's arguments against one exec rule found.
struct ExecArgumentCheck {
    /// What was denied, e.g. `option '-exec'` or `sed command 'e' in '1e id'`; `nil` when the
    /// arguments pass this rule.
    var denial: String?
    /// Commands given to exec options (`find -exec cmd … ;`), for the caller to judge.
    var commands: [[ShellWord]] = []
}

/// Reading arguments the way the command's option parser would, to find denied options,
/// subcommands and script content.
extension ExecArgumentRule {
    func check(_ arguments: [ShellWord]) -> ExecArgumentCheck {
        var result = ExecArgumentCheck()
        if denyCommand {
            result.denial = "the command itself"
            return result
        }
        var index = 0
        if let subcommand {
            guard let position = subcommandPosition(in: arguments, matching: subcommand, denial: &result.denial)
            else { return result }
            index = position + 1
        }
        var optionsEnded = false
        var sawOperand = false
        var scriptSeen = false

        /// Checks the script given as the word at `position`; `false` when denied.
        func checkScript(_ word: ShellWord?, text: String? = nil) -> Bool {
            scriptSeen = true
            guard let script = text ?? word?.staticValue else {
                result.denial = "script '\(word?.display ?? "")', which is only known at run time"
                return false
            }
            result.denial = scriptDenial(script)
            return result.denial == nil
        }

        while index < arguments.count {
            let word = arguments[index]
            index += 1
            guard let text = word.staticValue else {
                if optionsEnded && (script == nil || scriptSeen) { continue }
                result.denial =
                    "argument '\(word.display)', which is only known at run time and could become an option (write it literally, or after '--')"
                return result
            }
            if optionsEnded || !text.hasPrefix("-") || text == "-" {
                if !sawOperand {
                    sawOperand = true
                    if denySubcommands.contains(text) {
                        result.denial = "subcommand '\(text)'"
                        return result
                    }
                    if optionsBeforeOperands { optionsEnded = true }
                }
                if script != nil && !scriptSeen && !checkScript(word) { return result }
                continue
            }
            if text == "--" {
                optionsEnded = true
                continue
            }
            if execOptions.contains(text) {
                var command: [ShellWord] = []
                while index < arguments.count {
                    let inner = arguments[index]
                    index += 1
                    if let value = inner.staticValue, value == ";" || value == "+" { break }
                    command.append(inner)
                }
                result.commands.append(command)
                continue
            }
            if text.hasPrefix("--") {
                let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = String(parts[0])
                let attached = parts.count > 1 ? String(parts[1]) : nil
                let matches = longOptionsMatching(name)
                if let denied = matches.first(where: { denyOptions.contains($0) || execOptions.contains($0) }) {
                    result.denial = "option '\(text)'" + (denied == name ? "" : " (\(denied))")
                    return result
                }
                if matches.contains(where: scriptOptions.contains) {
                    let next = attached == nil && index < arguments.count ? arguments[index] : nil
                    if attached == nil { index += 1 }
                    if !checkScript(next, text: attached) { return result }
                } else if attached == nil && matches.contains(where: valueOptions.contains) {
                    index += 1
                }
                continue
            }
            if denyOptions.contains(text) {
                result.denial = "option '\(text)'"
                return result
            }
            if scriptOptions.contains(text) {
                let next = index < arguments.count ? arguments[index] : nil
                index += 1
                if !checkScript(next) { return result }
                continue
            }
            if valueOptions.contains(text) {
                index += 1
                continue
            }
            let cluster = Array(text.utf8.dropFirst())
            for (offset, byte) in cluster.enumerated() {
                let option = "-" + String(decoding: [byte], as: UTF8.self)
                if denyOptions.contains(option) || execOptions.contains(option) {
                    result.denial = "option '\(option)' in '\(text)'"
                    return result
                }
                let rest = cluster[(offset + 1)...]
                if scriptOptions.contains(option) {
                    let next = rest.isEmpty && index < arguments.count ? arguments[index] : nil
                    if rest.isEmpty { index += 1 }
                    let attached = rest.isEmpty ? nil : String(decoding: rest, as: UTF8.self)
                    if !checkScript(next, text: attached) { return result }
                    break
                }
                if valueOptions.contains(option) {
                    if rest.isEmpty { index += 1 }
                    break
                }
            }
        }
        return result
    }

    /// The index of the subcommand (the first operand) when it is `subcommand`; `nil` when the
    /// first operand is something else, or is dynamic (then `denial` is set).
    private func subcommandPosition(in arguments: [ShellWord], matching subcommand: String, denial: inout String?)
        -> Int?
    {
        for (position, word) in arguments.enumerated() {
            guard let text = word.staticValue else {
                denial = "argument '\(word.display)', which is only known at run time and could be the subcommand"
                return nil
            }
            if text.hasPrefix("-") && text != "-" { continue }
            return text == subcommand ? position : nil
        }
        return nil
    }

    /// The listed long options `name` stands for: itself, or with GNU abbreviations every
    /// listed option it is a prefix of (at least one letter after `--`).
    private func longOptionsMatching(_ name: String) -> [String] {
        var matches: [String] = []
        for list in [denyOptions, execOptions, scriptOptions, valueOptions] {
            for option in list where option.hasPrefix("--") {
                if option == name || (gnuAbbreviations && name.utf8.count > 2 && option.hasPrefix(name)) {
                    matches.append(option)
                }
            }
        }
        return matches
    }

    /// Why a script is denied, or `nil` when it passes.
    private func scriptDenial(_ text: String) -> String? {
        if script == .sed {
            guard let commands = SedScript.commands(in: text) else {
                return "sed script '\(text)', which could not be read"
            }
            for command in commands {
                if denyScriptCommands.contains(String(command.letter)) {
                    return "sed command '\(command.letter)' in '\(text)'"
                }
                if let flag = command.substituteFlags.first(where: { denySubstituteFlags.contains(String($0)) }) {
                    return "flag '\(flag)' of the sed 's' command in '\(text)'"
                }
            }
        }
        if let found = denyScriptText.first(where: { text.contains($0) }) {
            return "'\(found)' in the \(script?.rawValue ?? "script") program '\(text)'"
        }
        return nil
    }
}
