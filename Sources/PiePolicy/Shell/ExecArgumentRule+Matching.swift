/// Reading arguments the way the command's option parser would: each option is looked up in
/// the rule's table, values are taken separately or attached, operands are collected, and the
/// files the command writes are worked out for the caller to judge.
extension ExecArgumentRule {
    /// Checks `arguments`. `subcommandIndex` is where the subcommand's (last) word should be, as
    /// found by the rule one level up (the base rule, or `git remote` for `git remote show`);
    /// `nil` to look for a top-level subcommand here. A nested rule without it does not apply.
    func check(_ arguments: [ShellWord], subcommandIndex: Int? = nil) -> ExecArgumentCheck {
        var reader = ArgumentReader(arguments: arguments, optionBox: optionBox)
        if denyCommand {
            reader.result.denial = .denied("the command itself")
            return reader.result
        }
        if let path = subcommand {
            let subcommand = Self.lastWord(of: path)
            let position: Int?
            if subcommandIndex == nil && subcommand.utf8.count != path.utf8.count {
                return reader.result
            }
            if let subcommandIndex {
                guard let text = arguments[subcommandIndex].staticValue else {
                    reader.result.denial = .denied(
                        "argument '\(arguments[subcommandIndex].display)', which is only known at run time and "
                            + "could be the subcommand")
                    return reader.result
                }
                position = OptionBytes.equal(text, subcommand) ? subcommandIndex : nil
            } else {
                position = subcommandPosition(in: arguments, matching: subcommand, denial: &reader.result.denial)
            }
            guard let position else { return reader.result }
            reader.index = position + 1
        }
        reader.read(self)
        return reader.result
    }

    /// `remote show` → `show`; a word without spaces is itself.
    static func lastWord(of path: String) -> String {
        guard let space = path.utf8.lastIndex(of: UInt8(ascii: " ")) else { return path }
        return String(path[path.utf8.index(after: space)...])
    }

    /// `remote show` → `remote`; `nil` for a top-level subcommand.
    static func parentPath(of path: String) -> String? {
        guard let space = path.utf8.lastIndex(of: UInt8(ascii: " ")) else { return nil }
        return String(path[..<space])
    }

    /// The index of the subcommand (the first operand) when it is `subcommand`; `nil` when the
    /// first operand is something else, or is dynamic (then `denial` is set).
    private func subcommandPosition(
        in arguments: [ShellWord], matching subcommand: String, denial: inout ExecArgumentCheck.Denial?
    ) -> Int? {
        for (position, word) in arguments.enumerated() {
            guard let text = word.staticValue else {
                denial = .denied(
                    "argument '\(word.display)', which is only known at run time and could be the subcommand")
                return nil
            }
            if OptionBytes.startsWithDash(text) && !OptionBytes.equal(text, "-") { continue }
            return OptionBytes.equal(text, subcommand) ? position : nil
        }
        return nil
    }
}

/// One pass over a command's arguments under one rule.
/// The rule is passed to every step rather than stored, so that reading borrows it instead of
/// copying its many arrays.
private struct ArgumentReader {
    let arguments: [ShellWord]
    var index = 0
    var result = ExecArgumentCheck()
    var optionsEnded = false
    var scriptSeen = false
    /// File operands in order (a script operand excluded); `nil` for a run-time word.
    var operands: [String?] = []
    var inPlace = false
    var backupSuffix: String?
    var targetDirectory: (path: String?, option: String)?
    var wroteByOption = false
    /// Set by `sourcesKeptOptions`, `recursiveOptions` and `noTargetDirectoryOptions`.
    var sourcesKept = false
    var recursiveWrite = false
    var noTargetDirectory = false

    /// The rule's table, fetched once per check and read in place.
    let optionBox: ExecOptionTableBox

    init(arguments: [ShellWord], optionBox: ExecOptionTableBox) {
        self.arguments = arguments
        self.optionBox = optionBox
    }

    mutating func read(_ rule: ExecArgumentRule) {
        while index < arguments.count, result.denial == nil {
            let word = arguments[index]
            index += 1
            guard let text = word.staticValue else {
                if optionsEnded || word.startsWithProcessSubstitution
                    || (rule.allowlist && rule.optionsComplete && optionBox.table.onlyFlags)
                {
                    operand(rule, word, text: nil)
                    continue
                }
                result.denial = .denied(
                    "argument '\(word.display)', which is only known at run time and could become an option "
                        + "(write it literally, or after '--')")
                return
            }
            if optionsEnded || !OptionBytes.startsWithDash(text) || OptionBytes.equal(text, "-") {
                operand(rule, word, text: text)
            } else if OptionBytes.equal(text, "--") {
                optionsEnded = true
            } else if OptionBytes.startsWithDoubleDash(text) {
                longOption(rule, text)
            } else {
                shortOption(rule, text, word: word)
            }
        }
        guard result.denial == nil else { return }
        collectWriteTargets(rule)
    }

    // MARK: Operands

    private mutating func operand(_ rule: ExecArgumentRule, _ word: ShellWord, text: String?) {
        if rule.bundledFirstOperand && result.firstOperandIndex == nil && !optionsEnded, let text,
            !OptionBytes.startsWithDash(text)
        {
            result.firstOperandIndex = index - 1
            bundle(rule, text)
            return
        }
        if !rule.denyOperands.isEmpty {
            guard let text else {
                result.denial = .denied(
                    "operand '\(word.display)', which is only known at run time and could match a denied operand "
                        + "(\(rule.denyOperands.joined(separator: ", ")))")
                return
            }
            if let pattern = rule.denyOperands.first(where: { ComponentGlob($0).matches(Array(text.utf8)) }) {
                result.denial = .denied("operand '\(text)' (it matches '\(pattern)')")
                return
            }
        }
        if result.firstOperandIndex == nil {
            result.firstOperandIndex = index - 1
            if let text {
                if OptionBytes.isAmong(text, rule.denySubcommands) {
                    result.denial = .denied("subcommand '\(text)'")
                    return
                }
                if !rule.subcommands.isEmpty && !OptionBytes.isAmong(text, rule.subcommands) {
                    result.denial = .unlisted(
                        "subcommand '\(text)' (allowed: \(rule.subcommands.joined(separator: ", ")))")
                    return
                }
            } else if !rule.subcommands.isEmpty {
                result.denial = .denied(
                    "argument '\(word.display)', which is only known at run time and could be any subcommand")
                return
            }
            if rule.optionsBeforeOperands { optionsEnded = true }
        }
        if rule.script != nil && !scriptSeen {
            checkScript(rule, word, text: text)
            return
        }
        if !rule.keywordOperands.isEmpty {
            keywordOperand(rule, word, text: text)
            return
        }
        if rule.collectsOperands { operands.append(text) }
    }

    /// `KEY=VALUE` (`dd of=out`).
    private mutating func keywordOperand(_ rule: ExecArgumentRule, _ word: ShellWord, text: String?) {
        guard let text else {
            result.denial = .denied(
                "operand '\(word.display)', which is only known at run time and could be any KEY=VALUE")
            return
        }
        guard let equals = text.utf8.firstIndex(of: UInt8(ascii: "=")) else {
            result.denial = .unlisted(
                "operand '\(text)' (expected KEY=VALUE with a key among \(rule.keywordOperands.joined(separator: ", ")))")
            return
        }
        let key = String(text[..<equals])
        let value = String(text[text.utf8.index(after: equals)...])
        guard OptionBytes.isAmong(key, rule.keywordOperands) else {
            result.denial = .unlisted(
                "operand key '\(key)=' (allowed keys: \(rule.keywordOperands.joined(separator: ", ")))")
            return
        }
        if OptionBytes.isAmong(key, rule.writeKeywords) {
            result.writeTargets.append(.init(path: value, origin: "'\(text)'"))
        }
    }

    private mutating func checkScript(_ rule: ExecArgumentRule, _ word: ShellWord?, text: String?) {
        scriptSeen = true
        guard let script = text else {
            result.denial = .denied("script '\(word?.display ?? "")', which is only known at run time")
            return
        }
        if let denial = rule.scriptDenial(script) { result.denial = .denied(denial) }
    }

    /// tar's old style: each letter of `text` is a one-letter option, and the letters that take
    /// a value take the next words in turn (`tar cfC a.tar dir`). The bundle is not an operand.
    private mutating func bundle(_ rule: ExecArgumentRule, _ text: String) {
        for byte in text.utf8 {
            let letter = "-" + String(decoding: [byte], as: UTF8.self)
            guard let kind = optionBox.table.shortKinds[byte] else {
                if rule.allowlist {
                    result.denial = .undeclared("option '\(letter)' in the bundle '\(text)'")
                    return
                }
                continue
            }
            option(rule, letter, kind: kind, display: text, attached: nil, clustered: text.utf8.count > 1)
            if result.denial != nil { return }
        }
    }

    // MARK: Options

    private mutating func longOption(_ rule: ExecArgumentRule, _ text: String) {
        let name: String
        let attached: String?
        if let equals = text.utf8.firstIndex(of: UInt8(ascii: "=")) {
            name = String(text[..<equals])
            attached = String(text[text.utf8.index(after: equals)...])
        } else {
            name = text
            attached = nil
        }
        if let kind = optionBox.table.kind(of: name) {
            option(rule, name, kind: kind, display: text, attached: attached, clustered: false)
            return
        }
        let matches = rule.gnuAbbreviations ? optionBox.table.longOptions(abbreviatedBy: name) : []
        if rule.allowlist {
            if rule.strayOptionsAreOperands {
                operand(rule, ShellWord(parts: [.literal(text, quoted: true)]), text: text)
                return
            }
            result.denial = .undeclared(
                matches.isEmpty
                    ? "option '\(text)'"
                    : "option '\(text)' (an abbreviation of '\(matches.joined(separator: "', '"))'; write options in full)")
            return
        }
        for match in matches { noteModifier(rule, match) }
        if let denied = matches.first(where: { optionBox.table.kind(of: $0) == .denied || optionBox.table.kind(of: $0) == .exec }) {
            result.denial = .denied("option '\(text)' (\(denied))")
            return
        }
        if let script = matches.first(where: { optionBox.table.kind(of: $0) == .script }) {
            option(rule, script, kind: .script, display: text, attached: attached, clustered: false)
        } else if attached == nil, matches.contains(where: { optionBox.table.kind(of: $0)?.takesSeparateValue == true }) {
            index += 1
        }
    }

    private mutating func shortOption(_ rule: ExecArgumentRule, _ text: String, word: ShellWord) {
        if let kind = optionBox.table.kind(of: text) {
            option(rule, text, kind: kind, display: text, attached: nil, clustered: false)
            return
        }
        let cluster = Array(text.utf8.dropFirst())
        if rule.numberOptions && cluster.allSatisfy(ShellParser.isDigit) { return }
        if rule.allowlist && rule.strayOptionsAreOperands
            && !cluster.allSatisfy({ optionBox.table.shortKinds[$0] == .flag })
        {
            operand(rule, word, text: text)
            return
        }
        for (offset, byte) in cluster.enumerated() {
            guard let kind = optionBox.table.shortKinds[byte] else {
                if rule.allowlist {
                    let letter = "-" + String(decoding: [byte], as: UTF8.self)
                    result.denial = .undeclared(
                        letter == text ? "option '\(text)'" : "option '\(letter)' in '\(text)'")
                    return
                }
                continue
            }
            if kind == .flag {
                if rule.hasModifiers { noteModifier(rule, "-" + String(decoding: [byte], as: UTF8.self)) }
                continue
            }
            let letter = "-" + String(decoding: [byte], as: UTF8.self)
            let rest = cluster[(offset + 1)...]
            let attached = rest.isEmpty ? nil : String(decoding: rest, as: UTF8.self)
            option(rule, letter, kind: kind, display: text, attached: attached, clustered: cluster.count > 1)
            return
        }
    }

    /// Applies a matched option. `display` is the word as written, `attached` its attached
    /// value (after `=` or the letter).
    private mutating func option(
        _ rule: ExecArgumentRule, _ name: String, kind: ExecOptionTable.Kind, display: String, attached: String?, clustered: Bool
    ) {
        var shown: String { display == name ? "option '\(name)'" : "option '\(name)' in '\(display)'" }
        noteModifier(rule, name)
        switch kind {
        case .denied:
            result.denial = .denied(shown)
        case .unknownWrite:
            result.denial = .unknownWrites(shown)
        case .exec:
            guard !clustered, attached == nil else {
                result.denial = .denied(shown + " (an exec option must stand alone)")
                return
            }
            var command: [ShellWord] = []
            while index < arguments.count {
                let inner = arguments[index]
                index += 1
                if let value = inner.staticValue, OptionBytes.equal(value, ";") || OptionBytes.equal(value, "+") { break }
                command.append(inner)
            }
            result.commands.append(command)
        case .flag:
            if attached != nil && rule.allowlist && OptionBytes.startsWithDoubleDash(name) {
                result.denial = .undeclared(shown + " with a value (it takes none)")
            }
        case .optionalValue:
            break
        case .inPlace:
            inPlace = true
            backupSuffix = attached
        case .value:
            if attached == nil { index += 1 }
        case .terminating:
            if attached == nil { index += 1 }
            optionsEnded = true
        case .script:
            let next = attached == nil && index < arguments.count ? arguments[index] : nil
            if attached == nil { index += 1 }
            checkScript(rule, next, text: attached ?? next?.staticValue)
        case .write, .targetDirectory:
            let value = takeValue(attached)
            if kind == .write {
                wroteByOption = true
                result.writeTargets.append(.init(path: value, origin: "'\(display)\(attached == nil ? " " + (value ?? "…") : "")'"))
            } else {
                targetDirectory = (value, display)
            }
        }
    }

    /// Notes an option that changes which operands are written and how deep.
    private mutating func noteModifier(_ rule: ExecArgumentRule, _ name: String) {
        guard rule.hasModifiers else { return }
        if OptionBytes.isAmong(name, rule.sourcesKeptOptions) { sourcesKept = true }
        if OptionBytes.isAmong(name, rule.recursiveOptions) { recursiveWrite = true }
        if OptionBytes.isAmong(name, rule.noTargetDirectoryOptions) { noTargetDirectory = true }
    }

    /// The value of an option that takes one: attached, or the next word (`nil` when that is
    /// only known at run time or missing).
    private mutating func takeValue(_ attached: String?) -> String? {
        if let attached { return attached }
        guard index < arguments.count else { return nil }
        index += 1
        return arguments[index - 1].staticValue
    }

    // MARK: Write targets

    private mutating func collectWriteTargets(_ rule: ExecArgumentRule) {
        if rule.unknownWrites {
            result.denial = .unknownWrites("the command")
            return
        }
        let tree = rule.recursive || recursiveWrite
        if !wroteByOption {
            for path in rule.defaultWriteTargets {
                result.writeTargets.append(.init(path: path, origin: "its default output '\(path)'", tree: tree))
            }
        }
        if inPlace {
            for path in operands {
                result.writeTargets.append(
                    .init(path: path, origin: "operand '\(path ?? "…")' (edited in place)", tree: tree))
                if let suffix = backupSuffix, let path {
                    let backup = Self.backupPath(of: path, suffix: suffix)
                    result.writeTargets.append(.init(path: backup, origin: "the backup '\(backup)' of '\(path)'"))
                }
            }
        }
        var mode = rule.writeOperands
        if mode == .allAndLast && sourcesKept { mode = .last }
        if let (directory, option) = targetDirectory {
            result.writeTargets.append(.init(path: directory, origin: "'\(option)'", destination: true))
            for path in operands {
                if mode == .allAndLast { result.writeTargets.append(source(path, tree: tree)) }
                result.writeTargets.append(into(directory, path, tree: tree))
            }
            return
        }
        switch mode {
        case .none:
            break
        case .all:
            for path in operands {
                result.writeTargets.append(.init(path: path, origin: "operand '\(path ?? "…")'", tree: tree))
            }
        case .second:
            // Every operand after the first: a third one is either an error or, as with GNU uniq's
            // `+N` (read as `-s N`), the real output.
            for path in operands.dropFirst() {
                result.writeTargets.append(.init(path: path, origin: "operand '\(path ?? "…")'", tree: tree))
            }
        case .last, .allAndLast:
            guard let last = operands.last else { break }
            if mode == .allAndLast {
                for path in operands.count == 1 ? operands : operands.dropLast() {
                    result.writeTargets.append(source(path, tree: tree))
                }
            }
            if noTargetDirectory {
                // `-T`: the destination itself is written (merged into or replaced), never a
                // directory that the sources go into.
                result.writeTargets.append(.init(path: last, origin: "operand '\(last ?? "…")' (the destination itself)", tree: tree))
                break
            }
            if operands.count == 1 {
                result.writeTargets.append(into(".", last, tree: tree))
                break
            }
            result.writeTargets.append(.init(path: last, origin: "operand '\(last ?? "…")'", tree: tree, destination: true))
            for path in operands.dropLast() {
                result.writeTargets.append(into(last, path, tree: tree))
            }
        }
    }

    /// A source operand that the command changes too (`mv` removes it, a hard link aliases it).
    private func source(_ path: String?, tree: Bool) -> ExecArgumentCheck.WriteTarget {
        .init(path: path, origin: "source operand '\(path ?? "…")' (moved away or linked)", tree: tree)
    }

    /// `directory/<last component of path>`: where `cp path directory` writes.
    private func into(_ directory: String?, _ path: String?, tree: Bool = false) -> ExecArgumentCheck.WriteTarget {
        guard let directory, let path else {
            return .init(path: nil, origin: "operand '\(path ?? "…")' written into '\(directory ?? "…")'", tree: tree)
        }
        let target = directory + "/" + Self.lastComponent(of: path)
        return .init(path: target, origin: "'\(target)' (operand '\(path)' written into '\(directory)')", tree: tree)
    }

    static func lastComponent(of path: String) -> String {
        let components = path.utf8.split(separator: UInt8(ascii: "/"))
        guard let last = components.last else { return "." }
        return String(decoding: last, as: UTF8.self)
    }

    /// Where GNU sed's `-i SUFFIX` keeps the original: each `*` in the suffix is replaced by
    /// the file's last component and the result is placed in the file's directory unless it
    /// contains a `/`; without `*` the suffix is appended to the file name.
    static func backupPath(of path: String, suffix: String) -> String {
        guard suffix.utf8.contains(UInt8(ascii: "*")) else { return path + suffix }
        // On bytes, as sed does: `*` followed by a combining mark is one Character in Swift.
        let base = Array(lastComponent(of: path).utf8)
        var bytes: [UInt8] = []
        for byte in suffix.utf8 {
            if byte == UInt8(ascii: "*") { bytes += base } else { bytes.append(byte) }
        }
        let name = String(decoding: bytes, as: UTF8.self)
        if bytes.contains(UInt8(ascii: "/")) { return name }
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return name }
        return String(path[...slash]) + name
    }
}

extension ExecArgumentRule {
    /// Why a script is denied, or `nil` when it passes.
    func scriptDenial(_ text: String) -> String? {
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
