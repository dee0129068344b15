/// A recursive-descent parser for the POSIX shell command language plus the bash forms agents
/// write (`&>`, `|&`, `<<<`, `$'…'`, `<(…)`, `function f`). It works on UTF-8 bytes, keeps no
/// global state, and fails instead of guessing: anything it does not understand is a
/// `ShellParseError`, which the analyzer turns into a denial.
///
/// Tokenizing and parsing are one pass, because the shell's tokens depend on the grammar
/// (reserved words only count in command position, `)` ends a `case` pattern, here-document
/// bodies start at the next newline token).
struct ShellParser {
    /// How deeply lists may nest (subshells, groups, compound commands, substitutions, and
    /// `sh -c`/`eval` scripts judged by the analyzer). Deeper text is denied, which bounds the
    /// recursion of both the parser and the analyzer.
    static let maximumDepth = 32

    let bytes: [UInt8]
    var index = 0
    var depth: Int
    var pendingHereDocuments: [PendingHereDocument] = []
    var hereDocuments: [ShellWord] = []

    /// A here-document whose body starts after the next newline token.
    struct PendingHereDocument {
        var delimiter: [UInt8]
        var stripsTabs: Bool
        var expands: Bool
    }

    init(bytes: [UInt8], depth: Int) {
        self.bytes = bytes
        self.depth = depth
    }

    /// Parses a whole piece of text: a command line, an `sh -c` script or an `eval` string.
    static func parse(_ text: String, depth: Int = 0) throws(ShellParseError) -> ShellScript {
        var parser = ShellParser(bytes: Array(text.utf8), depth: depth)
        return try parser.parseScript()
    }

    mutating func parseScript() throws(ShellParseError) -> ShellScript {
        guard depth <= Self.maximumDepth else { throw tooDeep() }
        let list = try parseList()
        skipBlanks()
        guard index == bytes.count else {
            throw syntax("unexpected '\(describeToken())'")
        }
        guard pendingHereDocuments.isEmpty else {
            throw syntax("here-document has no body")
        }
        return ShellScript(list: list, hereDocuments: hereDocuments)
    }

    // MARK: Lists

    /// Parses and-or lists separated by `;`, `&` and newlines, up to a token that cannot start
    /// a command (end of text, `)`, `;;`, or a closing reserved word). The caller checks that
    /// the token it stopped at is the one its grammar expects.
    mutating func parseList() throws(ShellParseError) -> ShellList {
        var list = ShellList()
        while true {
            try skipLinebreaks()
            if atListEnd() { return list }
            let andOr = try parseAndOr()
            skipBlanks()
            var isBackground = false
            if peek(0) == UInt8(ascii: "&") {
                index += 1
                isBackground = true
            } else if peek(0) == UInt8(ascii: ";") && !isCaseTerminator() {
                index += 1
            } else if peek(0) != UInt8(ascii: "\n") {
                list.items.append(ShellListItem(andOr: andOr, isBackground: false))
                return list
            }
            list.items.append(ShellListItem(andOr: andOr, isBackground: isBackground))
        }
    }

    func atListEnd() -> Bool {
        guard let byte = peek(0) else { return true }
        if byte == UInt8(ascii: ")") || isCaseTerminator() { return true }
        if let word = peekReservedWord() { return Self.closingWords.contains(word) }
        return false
    }

    func isCaseTerminator() -> Bool {
        peek(0) == UInt8(ascii: ";") && (peek(1) == UInt8(ascii: ";") || peek(1) == UInt8(ascii: "&"))
    }

    static let closingWords: Set<String> = ["then", "elif", "else", "fi", "do", "done", "esac", "}"]

    mutating func parseAndOr() throws(ShellParseError) -> ShellAndOr {
        var pipelines = [try parsePipeline()]
        while true {
            skipBlanks()
            let isAnd = peek(0) == UInt8(ascii: "&") && peek(1) == UInt8(ascii: "&")
            let isOr = peek(0) == UInt8(ascii: "|") && peek(1) == UInt8(ascii: "|")
            guard isAnd || isOr else { return ShellAndOr(pipelines: pipelines) }
            index += 2
            try skipLinebreaks()
            pipelines.append(try parsePipeline())
        }
    }

    mutating func parsePipeline() throws(ShellParseError) -> ShellPipeline {
        skipBlanks()
        if peekReservedWord() == "!" { index += 1 }
        var commands = [try parseCommand()]
        while true {
            skipBlanks()
            guard peek(0) == UInt8(ascii: "|"), peek(1) != UInt8(ascii: "|") else {
                return ShellPipeline(commands: commands)
            }
            index += peek(1) == UInt8(ascii: "&") ? 2 : 1
            try skipLinebreaks()
            commands.append(try parseCommand())
        }
    }

    // MARK: Commands

    mutating func parseCommand() throws(ShellParseError) -> ShellCommand {
        skipBlanks()
        if peek(0) == UInt8(ascii: "(") {
            guard peek(1) != UInt8(ascii: "(") else {
                throw syntax("arithmetic commands '((…))' are not supported")
            }
            index += 1
            let list = try parseNestedList()
            try expect(")")
            return .compound(.subshell(list), redirections: try parseTrailingRedirections())
        }
        if let word = peekReservedWord() {
            switch word {
            case "{":
                index += 1
                let list = try parseNestedList()
                try expectReservedWord("}")
                return .compound(.braceGroup(list), redirections: try parseTrailingRedirections())
            case "if", "while", "until", "for", "case":
                index += word.utf8.count
                let compound = try parseClause(word)
                return .compound(compound, redirections: try parseTrailingRedirections())
            case "function":
                index += word.utf8.count
                return try parseFunctionKeywordDefinition()
            default:
                throw syntax("unexpected '\(word)'")
            }
        }
        return try parseSimpleCommand()
    }

    /// Parses a list one level deeper, refusing to go past `maximumDepth`.
    mutating func parseNestedList() throws(ShellParseError) -> ShellList {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else { throw tooDeep() }
        return try parseList()
    }

    mutating func parseClause(_ keyword: String) throws(ShellParseError) -> ShellCompoundCommand {
        switch keyword {
        case "if":
            var branches: [ShellIfBranch] = []
            var elseBody: ShellList?
            repeat {
                let condition = try parseNestedList()
                try expectReservedWord("then")
                branches.append(ShellIfBranch(condition: condition, body: try parseNestedList()))
            } while consumeReservedWord("elif")
            if consumeReservedWord("else") { elseBody = try parseNestedList() }
            try expectReservedWord("fi")
            return .ifClause(branches: branches, elseBody: elseBody)
        case "while", "until":
            let condition = try parseNestedList()
            try expectReservedWord("do")
            let body = try parseNestedList()
            try expectReservedWord("done")
            return .loop(condition: condition, body: body)
        case "for":
            return try parseForLoop()
        default:
            return try parseCaseClause()
        }
    }

    mutating func parseForLoop() throws(ShellParseError) -> ShellCompoundCommand {
        skipBlanks()
        guard peek(0) != UInt8(ascii: "(") else {
            throw syntax("arithmetic 'for ((…))' loops are not supported")
        }
        let nameWord = try parseWord()
        guard let variable = nameWord.literalValue, nameWord.isUnquotedLiteral, Self.isName(variable) else {
            throw syntax("'for' needs a variable name, found '\(nameWord.display)'")
        }
        var words: [ShellWord] = []
        try skipLinebreaks()
        if consumeReservedWord("in") {
            while true {
                skipBlanks()
                guard let byte = peek(0), !Self.isOperatorStart(byte), byte != UInt8(ascii: "\n") else { break }
                words.append(try parseWord())
            }
        } else {
            words = [ShellWord.runtimeValue("@")]
        }
        skipBlanks()
        if peek(0) == UInt8(ascii: ";") { index += 1 }
        try skipLinebreaks()
        try expectReservedWord("do")
        let body = try parseNestedList()
        try expectReservedWord("done")
        return .forLoop(variable: variable, words: words, body: body)
    }

    mutating func parseCaseClause() throws(ShellParseError) -> ShellCompoundCommand {
        skipBlanks()
        let subject = try parseWord()
        try skipLinebreaks()
        try expectReservedWord("in")
        var items: [ShellCaseItem] = []
        while true {
            try skipLinebreaks()
            if consumeReservedWord("esac") { return .caseClause(subject: subject, items: items) }
            if peek(0) == UInt8(ascii: "(") { index += 1 }
            var patterns: [ShellWord] = []
            while true {
                skipBlanks()
                patterns.append(try parseWord())
                skipBlanks()
                guard peek(0) == UInt8(ascii: "|") else { break }
                index += 1
            }
            try expect(")")
            let body = try parseNestedList()
            items.append(ShellCaseItem(patterns: patterns, body: body))
            skipBlanks()
            if isCaseTerminator() {
                index += 2
                if peek(0) == UInt8(ascii: "&") { index += 1 }
            } else {
                try skipLinebreaks()
                try expectReservedWord("esac")
                return .caseClause(subject: subject, items: items)
            }
        }
    }

    /// `function name [()] body`, the bash form of a function definition.
    mutating func parseFunctionKeywordDefinition() throws(ShellParseError) -> ShellCommand {
        skipBlanks()
        let nameWord = try parseWord()
        guard let name = nameWord.literalValue, !name.isEmpty else {
            throw syntax("'function' needs a literal name")
        }
        skipBlanks()
        if peek(0) == UInt8(ascii: "(") {
            index += 1
            skipBlanks()
            try expect(")")
        }
        return try parseFunctionBody(name: name)
    }

    mutating func parseFunctionBody(name: String) throws(ShellParseError) -> ShellCommand {
        try skipLinebreaks()
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else { throw tooDeep() }
        let body = try parseCommand()
        guard case .compound = body else {
            throw syntax("the body of function '\(name)' must be a compound command")
        }
        return .functionDefinition(name: name, body: body)
    }

    mutating func parseTrailingRedirections() throws(ShellParseError) -> [ShellRedirection] {
        var redirections: [ShellRedirection] = []
        while true {
            skipBlanks()
            guard let redirection = try parseRedirectionIfPresent() else { return redirections }
            redirections.append(redirection)
        }
    }

    mutating func parseSimpleCommand() throws(ShellParseError) -> ShellCommand {
        var command = ShellSimpleCommand()
        while true {
            skipBlanks()
            guard let byte = peek(0) else { break }
            if isProcessSubstitutionStart() {
                command.words.append(try parseWord())
                continue
            }
            if let redirection = try parseRedirectionIfPresent() {
                command.redirections.append(redirection)
                continue
            }
            if byte == UInt8(ascii: "(") {
                guard command.assignments.isEmpty, command.redirections.isEmpty,
                    command.words.count == 1, let name = command.words[0].staticValue
                else { throw syntax("unexpected '('") }
                index += 1
                skipBlanks()
                try expect(")")
                return try parseFunctionBody(name: name)
            }
            if Self.isOperatorStart(byte) || byte == UInt8(ascii: "\n") { break }
            let word = try parseWord()
            if command.words.isEmpty, let assignment = Self.assignment(from: word) {
                command.assignments.append(assignment)
            } else {
                command.words.append(word)
            }
        }
        guard !command.isEmpty else {
            throw syntax(peek(0) == nil ? "a command is missing at the end" : "unexpected '\(describeToken())'")
        }
        return .simple(command)
    }

    /// `NAME=value` or `NAME+=value` with an unquoted literal name; anything else is a word.
    static func assignment(from word: ShellWord) -> ShellAssignment? {
        guard case .literal(let text, quoted: false)? = word.parts.first else { return nil }
        let utf8 = Array(text.utf8)
        guard let equals = utf8.firstIndex(of: UInt8(ascii: "=")), equals > 0 else { return nil }
        let nameEnd = utf8[equals - 1] == UInt8(ascii: "+") ? equals - 1 : equals
        let name = String(decoding: utf8[..<nameEnd], as: UTF8.self)
        guard isName(name) else { return nil }
        var valueParts: [ShellWordPart] = []
        if equals + 1 < utf8.count {
            valueParts.append(.literal(String(decoding: utf8[(equals + 1)...], as: UTF8.self), quoted: false))
        }
        valueParts += word.parts.dropFirst()
        return ShellAssignment(name: name, value: ShellWord(parts: valueParts))
    }

    static func isName(_ text: String) -> Bool {
        guard let first = text.utf8.first, !isDigit(first) else { return false }
        return text.utf8.allSatisfy(isNameByte)
    }

    // MARK: Redirections

    mutating func parseRedirectionIfPresent() throws(ShellParseError) -> ShellRedirection? {
        var cursor = index
        var fileDescriptor: Int?
        while cursor < bytes.count, Self.isDigit(bytes[cursor]), cursor - index < 9 { cursor += 1 }
        if cursor > index, cursor < bytes.count,
            bytes[cursor] == UInt8(ascii: "<") || bytes[cursor] == UInt8(ascii: ">")
        {
            fileDescriptor = Int(String(decoding: bytes[index..<cursor], as: UTF8.self))
        } else {
            cursor = index
        }
        guard let op = Self.redirectionOperator(in: bytes, at: cursor) else { return nil }
        index = cursor + op.rawValue.utf8.count
        if op == .hereDocument {
            let stripsTabs = peek(0) == UInt8(ascii: "-")
            if stripsTabs { index += 1 }
            skipBlanks()
            let delimiterWord = try parseWord()
            guard let delimiter = delimiterWord.literalValue, !delimiter.isEmpty else {
                throw syntax("here-document delimiter must be a literal word")
            }
            let expands = delimiterWord.parts.allSatisfy(\.isUnquotedLiteral)
            pendingHereDocuments.append(PendingHereDocument(
                delimiter: Array(delimiter.utf8), stripsTabs: stripsTabs, expands: expands))
            return ShellRedirection(fileDescriptor: fileDescriptor, op: op, target: delimiterWord)
        }
        skipBlanks()
        guard let byte = peek(0), !Self.isOperatorStart(byte) || isProcessSubstitutionStart(),
            byte != UInt8(ascii: "\n")
        else { throw syntax("redirection '\(op.rawValue)' has no target") }
        return ShellRedirection(fileDescriptor: fileDescriptor, op: op, target: try parseWord())
    }

    static func redirectionOperator(in bytes: [UInt8], at position: Int) -> ShellRedirection.Operator? {
        func at(_ offset: Int) -> UInt8? {
            position + offset < bytes.count ? bytes[position + offset] : nil
        }
        switch at(0) {
        case UInt8(ascii: "<"):
            if at(1) == UInt8(ascii: "(") { return nil }
            if at(1) == UInt8(ascii: "<") { return at(2) == UInt8(ascii: "<") ? .hereString : .hereDocument }
            if at(1) == UInt8(ascii: ">") { return .readWrite }
            if at(1) == UInt8(ascii: "&") { return .duplicateInput }
            return .input
        case UInt8(ascii: ">"):
            if at(1) == UInt8(ascii: "(") { return nil }
            if at(1) == UInt8(ascii: ">") { return .append }
            if at(1) == UInt8(ascii: "|") { return .clobber }
            if at(1) == UInt8(ascii: "&") { return .duplicateOutput }
            return .output
        case UInt8(ascii: "&"):
            guard at(1) == UInt8(ascii: ">") else { return nil }
            return at(2) == UInt8(ascii: ">") ? .appendOutputAndError : .outputAndError
        default:
            return nil
        }
    }

    func isProcessSubstitutionStart() -> Bool {
        (peek(0) == UInt8(ascii: "<") || peek(0) == UInt8(ascii: ">")) && peek(1) == UInt8(ascii: "(")
    }

    // MARK: Tokens

    func peek(_ offset: Int) -> UInt8? {
        index + offset < bytes.count ? bytes[index + offset] : nil
    }

    /// The reserved word at the cursor, if the next token is one: an unquoted run of bytes
    /// equal to a reserved word and followed by a delimiter.
    func peekReservedWord() -> String? {
        var end = index
        while end < bytes.count, end - index < 9 {
            let byte = bytes[end]
            if Self.isBlank(byte) || byte == UInt8(ascii: "\n") || Self.isOperatorStart(byte) { break }
            guard Self.isLetter(byte) || byte == UInt8(ascii: "{") || byte == UInt8(ascii: "}")
                || byte == UInt8(ascii: "!")
            else { return nil }
            end += 1
        }
        guard end > index else { return nil }
        if end < bytes.count {
            let next = bytes[end]
            guard Self.isBlank(next) || next == UInt8(ascii: "\n") || Self.isOperatorStart(next) else { return nil }
        }
        let word = String(decoding: bytes[index..<end], as: UTF8.self)
        return Self.reservedWords.contains(word) ? word : nil
    }

    static let reservedWords: Set<String> = [
        "if", "then", "elif", "else", "fi", "do", "done", "case", "esac", "while", "until", "for",
        "in", "{", "}", "!", "function",
    ]

    mutating func consumeReservedWord(_ word: String) -> Bool {
        skipBlanks()
        guard peekReservedWord() == word else { return false }
        index += word.utf8.count
        return true
    }

    mutating func expectReservedWord(_ word: String) throws(ShellParseError) {
        try skipLinebreaks()
        guard consumeReservedWord(word) else {
            throw syntax("expected '\(word)' but found '\(describeToken())'")
        }
    }

    mutating func expect(_ character: Unicode.Scalar) throws(ShellParseError) {
        skipBlanks()
        guard peek(0) == UInt8(ascii: character) else {
            throw syntax("expected '\(character)' but found '\(describeToken())'")
        }
        index += 1
    }

    /// Skips blanks, line continuations and comments, but not newlines. A comment stops at a
    /// control character, so that the word parser reports it: a CR inside a comment is where
    /// readers that end lines at CR would see a command.
    mutating func skipBlanks() {
        while let byte = peek(0) {
            if Self.isBlank(byte) {
                index += 1
            } else if byte == UInt8(ascii: "\\") && peek(1) == UInt8(ascii: "\n") {
                index += 2
            } else if byte == UInt8(ascii: "#") {
                while let next = peek(0), next != UInt8(ascii: "\n"), next != 0, !Self.isForbiddenControl(next) {
                    index += 1
                }
            } else {
                return
            }
        }
    }

    /// Skips blanks and newlines; each newline ends a line, after which pending
    /// here-document bodies are read.
    mutating func skipLinebreaks() throws(ShellParseError) {
        while true {
            skipBlanks()
            guard peek(0) == UInt8(ascii: "\n") else { return }
            index += 1
            try readPendingHereDocuments()
        }
    }

    func describeToken() -> String {
        guard index < bytes.count else { return "end of input" }
        let end = min(bytes.count, index + 12)
        return String(decoding: bytes[index..<end], as: UTF8.self)
    }

    func syntax(_ message: String) -> ShellParseError {
        ShellParseError(kind: .syntax, message: message, offset: index)
    }

    func tooDeep() -> ShellParseError {
        ShellParseError(
            kind: .tooDeep, message: "nesting is deeper than \(Self.maximumDepth) levels", offset: index)
    }

    // MARK: Byte classes

    static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }
    static func isNameByte(_ byte: UInt8) -> Bool { isLetter(byte) || isDigit(byte) || byte == 0x5F }

    /// Bytes that end an unquoted word and start an operator.
    static func isOperatorStart(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: ";"), UInt8(ascii: "&"), UInt8(ascii: "|"), UInt8(ascii: "("),
            UInt8(ascii: ")"), UInt8(ascii: "<"), UInt8(ascii: ">"):
            true
        default:
            false
        }
    }

    /// Control characters other than tab and newline, and DEL.
    static func isForbiddenControl(_ byte: UInt8) -> Bool {
        (byte < 0x20 && byte != 0x09 && byte != 0x0A) || byte == 0x7F
    }
}
