/// Word scanning: quotes, escapes, `$` expansions, backquotes and process substitutions.
/// Quote removal happens here, so `'l''s'` and `l\s` both become the literal `ls`.
extension ShellParser {
    /// Reads one word at the cursor, up to an unquoted blank, newline or operator byte.
    mutating func parseWord() throws(ShellParseError) -> ShellWord {
        var builder = WordBuilder()
        let start = index
        while let byte = peek(0) {
            if Self.isBlank(byte) || byte == UInt8(ascii: "\n") { break }
            if Self.isOperatorStart(byte) {
                guard isProcessSubstitutionStart() else { break }
                builder.append(.substitution(try parseProcessSubstitution()))
                continue
            }
            switch byte {
            case UInt8(ascii: "\\"):
                index += 1
                guard let escaped = peek(0) else {
                    builder.appendLiteral(byte, quoted: false)
                    continue
                }
                index += 1
                if escaped == UInt8(ascii: "\n") { continue }
                guard escaped != 0 else { throw controlCharacter(escaped) }
                builder.appendLiteral(escaped, quoted: true)
            case UInt8(ascii: "'"):
                index += 1
                try readSingleQuoted(into: &builder)
            case UInt8(ascii: "\""):
                index += 1
                try readDoubleQuoted(into: &builder, terminator: UInt8(ascii: "\""))
            case UInt8(ascii: "$"):
                try readDollar(into: &builder, inDoubleQuotes: false)
            case UInt8(ascii: "`"):
                index += 1
                builder.append(.substitution(try parseBackquote(inDoubleQuotes: false)))
            case UInt8(ascii: "~") where index == start:
                index += 1
                builder.append(.tilde(readTildeUser()))
            default:
                guard !Self.isForbiddenControl(byte), byte != 0 else { throw controlCharacter(byte) }
                builder.appendLiteral(byte, quoted: false)
                index += 1
            }
        }
        guard index > start else { throw syntax("expected a word but found '\(describeToken())'") }
        return builder.finish()
    }

    mutating func readTildeUser() -> String {
        let start = index
        while let byte = peek(0), Self.isNameByte(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") {
            index += 1
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    /// Reads up to the closing `'`; nothing inside is special.
    mutating func readSingleQuoted(into builder: inout WordBuilder) throws(ShellParseError) {
        builder.markQuoted()
        while let byte = peek(0) {
            index += 1
            if byte == UInt8(ascii: "'") { return }
            guard byte != 0 else { throw controlCharacter(byte) }
            builder.appendLiteral(byte, quoted: true)
        }
        throw syntax("unterminated single quote")
    }

    /// Reads double-quoted text (or an unquoted-delimiter here-document body, with
    /// `terminator` nil) where `$`, backquotes and some backslash escapes stay special.
    mutating func readDoubleQuoted(into builder: inout WordBuilder, terminator: UInt8?) throws(ShellParseError) {
        builder.markQuoted()
        while let byte = peek(0) {
            if byte == terminator {
                index += 1
                return
            }
            switch byte {
            case UInt8(ascii: "\\"):
                let next = peek(1)
                let escapable =
                    next == UInt8(ascii: "$") || next == UInt8(ascii: "`") || next == UInt8(ascii: "\\")
                    || next == UInt8(ascii: "\n") || (terminator != nil && next == terminator)
                if let next, escapable {
                    index += 2
                    if next != UInt8(ascii: "\n") { builder.appendLiteral(next, quoted: true) }
                } else {
                    index += 1
                    builder.appendLiteral(byte, quoted: true)
                }
            case UInt8(ascii: "$"):
                try readDollar(into: &builder, inDoubleQuotes: true)
            case UInt8(ascii: "`"):
                index += 1
                builder.append(.substitution(try parseBackquote(inDoubleQuotes: true)))
            default:
                guard byte != 0, terminator != nil || !Self.isForbiddenControl(byte) else {
                    throw controlCharacter(byte)
                }
                builder.appendLiteral(byte, quoted: true)
                index += 1
            }
        }
        if terminator != nil { throw syntax("unterminated double quote") }
    }

    /// Reads what follows a `$`: ANSI-C or locale quoting, `$((…))`, `$(…)`, `${…}`, a
    /// parameter name, or a plain `$`.
    mutating func readDollar(into builder: inout WordBuilder, inDoubleQuotes: Bool) throws(ShellParseError) {
        index += 1
        guard let next = peek(0) else {
            builder.appendLiteral(UInt8(ascii: "$"), quoted: inDoubleQuotes)
            return
        }
        switch next {
        case UInt8(ascii: "'") where !inDoubleQuotes:
            index += 1
            try readANSICQuoted(into: &builder)
        case UInt8(ascii: "\"") where !inDoubleQuotes:
            index += 1
            try readDoubleQuoted(into: &builder, terminator: UInt8(ascii: "\""))
        case UInt8(ascii: "(") where peek(1) == UInt8(ascii: "("):
            index += 2
            builder.append(.arithmetic(try readArithmetic()))
        case UInt8(ascii: "["):
            index += 1
            builder.append(.arithmetic(try readBracketArithmetic()))
        case UInt8(ascii: "("):
            index += 1
            let body = try parseNestedList()
            try expect(")")
            builder.append(.substitution(ShellSubstitution(
                kind: .command, body: ShellScript(list: body, hereDocuments: []))))
        case UInt8(ascii: "{"):
            index += 1
            builder.append(.parameter(try readBracedParameter(inDoubleQuotes: inDoubleQuotes)))
        default:
            if Self.isLetter(next) || next == UInt8(ascii: "_") {
                let start = index
                while let byte = peek(0), Self.isNameByte(byte) { index += 1 }
                builder.append(.parameter(ShellParameterExpansion(
                    name: String(decoding: bytes[start..<index], as: UTF8.self))))
            } else if Self.isDigit(next) || Self.specialParameters.contains(next) {
                index += 1
                builder.append(.parameter(ShellParameterExpansion(name: String(decoding: [next], as: UTF8.self))))
            } else {
                builder.appendLiteral(UInt8(ascii: "$"), quoted: inDoubleQuotes)
            }
        }
    }

    static let specialParameters: Set<UInt8> = Set("@*#?-$!".utf8)
    /// The bytes after `:` that make `${x:-word}`-style operators rather than a substring.
    static let defaultOperators: Set<UInt8> = Set("-=?+".utf8)

    /// Reads `${…}` after the `{`. The operator itself is skipped; the word after it is kept
    /// with its expansions, which the analyzer judges like any other.
    mutating func readBracedParameter(inDoubleQuotes: Bool) throws(ShellParseError) -> ShellParameterExpansion {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else { throw tooDeep() }
        let nameStart = index
        var evaluatesText = false
        if peek(0) == UInt8(ascii: "!") && peek(1) != UInt8(ascii: "}") {
            evaluatesText = true
            index += 1
        } else if peek(0) == UInt8(ascii: "#") && peek(1) != UInt8(ascii: "}") {
            index += 1
        }
        if let byte = peek(0), Self.specialParameters.contains(byte) || Self.isDigit(byte) {
            index += 1
            while let byte = peek(0), Self.isDigit(byte), Self.isDigit(bytes[nameStart]) { index += 1 }
        } else {
            while let byte = peek(0), Self.isNameByte(byte) { index += 1 }
        }
        let name = String(decoding: bytes[nameStart..<index], as: UTF8.self)
        if peek(0) == UInt8(ascii: "[") {
            index += 1
            let subscriptStart = index
            while let byte = peek(0), byte != UInt8(ascii: "]") { index += 1 }
            let subscriptText = bytes[subscriptStart..<index]
            guard peek(0) == UInt8(ascii: "]") else { throw syntax("unterminated subscript in '${'") }
            index += 1
            let isAll = subscriptText.elementsEqual("@".utf8) || subscriptText.elementsEqual("*".utf8)
            if !isAll && !ShellArithmetic.isPlain(subscriptText) { evaluatesText = true }
        }
        if peek(0) == UInt8(ascii: "@") { evaluatesText = true }
        let assigns =
            peek(0) == UInt8(ascii: "=") || (peek(0) == UInt8(ascii: ":") && peek(1) == UInt8(ascii: "="))
        if peek(0) == UInt8(ascii: ":"), let next = peek(1), !Self.defaultOperators.contains(next) {
            var end = index + 1
            while end < bytes.count, bytes[end] != UInt8(ascii: "}") { end += 1 }
            if !ShellArithmetic.isPlain(bytes[(index + 1)..<end]) { evaluatesText = true }
        }
        var nested = WordBuilder()
        while let byte = peek(0) {
            switch byte {
            case UInt8(ascii: "}"):
                index += 1
                return ShellParameterExpansion(
                    name: name, operand: nested.finish(), evaluatesText: evaluatesText, assigns: assigns)
            case UInt8(ascii: "\\"):
                index += 2
            case UInt8(ascii: "'"):
                guard !inDoubleQuotes else {
                    throw syntax("single quotes inside a double-quoted '${…}' are not supported")
                }
                index += 1
                try readSingleQuoted(into: &nested)
            case UInt8(ascii: "\""):
                index += 1
                try readDoubleQuoted(into: &nested, terminator: UInt8(ascii: "\""))
            case UInt8(ascii: "$"):
                try readDollar(into: &nested, inDoubleQuotes: inDoubleQuotes)
            case UInt8(ascii: "`"):
                index += 1
                nested.append(.substitution(try parseBackquote(inDoubleQuotes: inDoubleQuotes)))
            default:
                guard byte != 0, inDoubleQuotes || !Self.isForbiddenControl(byte) else {
                    throw controlCharacter(byte)
                }
                index += 1
            }
        }
        throw syntax("unterminated '${'")
    }

    /// Reads `$((…))` after the `$((` as raw text up to the matching `))`.
    mutating func readArithmetic() throws(ShellParseError) -> ShellArithmetic {
        try readArithmeticText(open: UInt8(ascii: "("), close: UInt8(ascii: ")"), doubledClose: true, form: "$((")
    }

    /// Reads the obsolete bash form `$[…]` after the `$[`, up to the matching `]`.
    mutating func readBracketArithmetic() throws(ShellParseError) -> ShellArithmetic {
        try readArithmeticText(open: UInt8(ascii: "["), close: UInt8(ascii: "]"), doubledClose: false, form: "$[")
    }

    /// Raw text up to the `close` (or `close close` when `doubledClose`) that balances the form's
    /// opening, skipping nested `open`/`close` pairs; control characters are refused.
    private mutating func readArithmeticText(
        open: UInt8, close: UInt8, doubledClose: Bool, form: String
    ) throws(ShellParseError) -> ShellArithmetic {
        let start = index
        var depth = 0
        while let byte = peek(0) {
            if byte == open {
                depth += 1
            } else if byte == close {
                if depth == 0 {
                    if doubledClose, peek(1) != close { break }
                    let text = String(decoding: bytes[start..<index], as: UTF8.self)
                    index += doubledClose ? 2 : 1
                    return ShellArithmetic(text: text)
                }
                depth -= 1
            } else if byte == 0 || Self.isForbiddenControl(byte) {
                throw controlCharacter(byte)
            }
            index += 1
        }
        throw syntax("unterminated '\(form)'")
    }

    /// Reads a backquoted command after the opening backquote. Inside, a backslash before
    /// `$`, `` ` `` or `\` (and `"` within double quotes) is removed before the body is parsed
    /// as a script of its own, which is how the shell nests backquotes.
    mutating func parseBackquote(inDoubleQuotes: Bool) throws(ShellParseError) -> ShellSubstitution {
        var body: [UInt8] = []
        while let byte = peek(0) {
            index += 1
            if byte == UInt8(ascii: "`") {
                var parser = ShellParser(bytes: body, depth: depth + 1)
                let script = try parser.parseScript()
                return ShellSubstitution(kind: .backquote, body: script)
            }
            if byte == UInt8(ascii: "\\"), let next = peek(0),
                next == UInt8(ascii: "$") || next == UInt8(ascii: "`") || next == UInt8(ascii: "\\")
                    || (inDoubleQuotes && next == UInt8(ascii: "\""))
            {
                body.append(next)
                index += 1
                continue
            }
            body.append(byte)
        }
        throw syntax("unterminated backquote")
    }

    /// Reads `<(…)` or `>(…)` at the cursor.
    mutating func parseProcessSubstitution() throws(ShellParseError) -> ShellSubstitution {
        let kind: ShellSubstitution.Kind = peek(0) == UInt8(ascii: "<") ? .processInput : .processOutput
        index += 2
        let body = try parseNestedList()
        try expect(")")
        return ShellSubstitution(kind: kind, body: ShellScript(list: body, hereDocuments: []))
    }

    func controlCharacter(_ byte: UInt8) -> ShellParseError {
        let name =
            switch byte {
            case 0: "NUL"
            case 0x0D: "carriage return (\\r)"
            default: "control character 0x\(String(byte, radix: 16))"
            }
        return ShellParseError(kind: .controlCharacter, message: "\(name) outside quotes", offset: index)
    }
}

/// Accumulates the parts of a word, merging adjacent literal bytes with the same quoting.
struct WordBuilder {
    private var parts: [ShellWordPart] = []
    private var pending: [UInt8] = []
    private var pendingQuoted = false
    private var sawQuote = false

    mutating func appendLiteral(_ byte: UInt8, quoted: Bool) {
        if !pending.isEmpty && pendingQuoted != quoted { flush() }
        pendingQuoted = quoted
        pending.append(byte)
    }

    mutating func appendLiteral(bytes: [UInt8]) {
        for byte in bytes { appendLiteral(byte, quoted: true) }
    }

    /// Records that quotes were present even if they enclose nothing (`''` is an empty word,
    /// and a quoted here-document delimiter turns expansion off).
    mutating func markQuoted() {
        sawQuote = true
    }

    mutating func append(_ part: ShellWordPart) {
        flush()
        parts.append(part)
    }

    mutating func finish() -> ShellWord {
        flush()
        if parts.isEmpty && sawQuote { parts.append(.literal("", quoted: true)) }
        return ShellWord(parts: parts)
    }

    private mutating func flush() {
        guard !pending.isEmpty else { return }
        parts.append(.literal(String(decoding: pending, as: UTF8.self), quoted: pendingQuoted))
        pending.removeAll(keepingCapacity: true)
    }
}
