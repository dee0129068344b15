/// The scanner's strict grammar, RFC 8259 and nothing else: for what a model passes as tool
/// arguments and for the lines pie (or pi) wrote into session files and the audit log.
///
/// Strict on purpose: pi quietly turns unparsable arguments into `{}` and lets the tool guess,
/// which makes a local model's malformed call run with defaults. Trailing commas, comments, single
/// quotes, leading zeros, unknown escapes, raw control characters, invalid UTF-8 and trailing
/// content are errors whose messages say what to fix, at a byte offset. `Rules` add what only tool
/// arguments refuse: a repeated field name, a lone surrogate, a number no double holds.
///
/// The same nodes as the lenient grammar come out, so the same `JSONDocument` reads them and the
/// same tree is built; only the checking differs, and it is a path of its own so the lenient one,
/// which every stream chunk takes, pays nothing for it.
extension JSONScanner {
    struct Rules {
        var rejectsDuplicateKeys: Bool
        var rejectsLoneSurrogates: Bool
        var rejectsOutOfRangeNumbers: Bool
        /// Nesting deeper than this is refused rather than risking the stack on hostile input.
        var maxDepth: Int

        /// Tool arguments: every ambiguity is the model's to fix.
        static let toolArguments = Rules(
            rejectsDuplicateKeys: true, rejectsLoneSurrogates: true, rejectsOutOfRangeNumbers: true, maxDepth: 64)
        /// Session and audit lines: what `JSON.stringify` may write (a lone surrogate becomes
        /// U+FFFD, a repeated name reads as its last value) is read, as pi reads it.
        static let lines = Rules(
            rejectsDuplicateKeys: false, rejectsLoneSurrogates: false, rejectsOutOfRangeNumbers: false, maxDepth: 512)
    }

    /// The nodes of exactly one value with nothing but whitespace around it, checked strictly.
    /// The caller owns the returned memory, as with `scan`.
    static func scanStrict(
        _ bytes: UnsafeRawBufferPointer, rules: Rules
    ) throws(JSONParseError) -> UnsafeMutableBufferPointer<JSONNode> {
        var scanner = JSONScanner(bytes: bytes, partial: false)
        do throws(JSONParseError) {
            scanner.skipWhitespace()
            try scanner.strictValue(depth: 0, rules: rules)
            scanner.skipWhitespace()
            guard scanner.position == bytes.count else {
                throw scanner.strictError("unexpected content after the JSON value")
            }
        } catch {
            scanner.nodes.deallocate()
            throw error
        }
        return UnsafeMutableBufferPointer(start: scanner.nodes, count: scanner.nodeCount)
    }

    private func strictError(_ reason: String) -> JSONParseError {
        JSONParseError(reason: reason, offset: position)
    }

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func strictValue(depth: Int, rules: Rules) throws(JSONParseError) {
        guard depth < rules.maxDepth else { throw strictError("nesting deeper than \(rules.maxDepth) levels") }
        guard let byte = current else { throw strictError("unexpected end of input") }
        switch byte {
        case UInt8(ascii: "{"): try strictObject(depth: depth, rules: rules)
        case UInt8(ascii: "["): try strictArray(depth: depth, rules: rules)
        case UInt8(ascii: "\""): try strictString(rules: rules)
        case UInt8(ascii: "t"): try strictLiteral("true", .true)
        case UInt8(ascii: "f"): try strictLiteral("false", .false)
        case UInt8(ascii: "n"): try strictLiteral("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try strictNumber(rules: rules)
        default: throw strictError("unexpected character '\(Self.printable(byte))'")
        }
    }

    private mutating func strictLiteral(_ literal: StaticString, _ kind: JSONNode.Kind) throws(JSONParseError) {
        let start = position
        for byte in UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount) {
            guard current == byte else { throw strictError("invalid literal, expected '\(literal)'") }
            position += 1
        }
        appendLeaf(kind, start: start, end: position)
    }

    private mutating func strictObject(depth: Int, rules: Rules) throws(JSONParseError) {
        let container = open(.object)
        position += 1
        var keys: [String] = []
        var count = 0
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            position += 1
            return close(container, count: 0)
        }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw strictError("expected a quoted field name") }
            let keyOffset = position
            try strictString(rules: rules)
            if rules.rejectsDuplicateKeys {
                let key = Self.text(of: nodes[nodeCount - 1], in: bytes)
                guard !keys.contains(key) else {
                    throw JSONParseError(reason: "duplicate field '\(key)'", offset: keyOffset)
                }
                keys.append(key)
            }
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw strictError("expected ':' after field name") }
            position += 1
            skipWhitespace()
            try strictValue(depth: depth + 1, rules: rules)
            count += 1
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"):
                position += 1
                return close(container, count: count)
            case nil: throw strictError("unexpected end of input, expected ',' or '}'")
            default: throw strictError("expected ',' or '}'")
            }
        }
    }

    private mutating func strictArray(depth: Int, rules: Rules) throws(JSONParseError) {
        let container = open(.array)
        position += 1
        var count = 0
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            position += 1
            return close(container, count: 0)
        }
        while true {
            skipWhitespace()
            try strictValue(depth: depth + 1, rules: rules)
            count += 1
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"):
                position += 1
                return close(container, count: count)
            case nil: throw strictError("unexpected end of input, expected ',' or ']'")
            default: throw strictError("expected ',' or ']'")
            }
        }
    }

    /// Checks a string from its opening quote: no raw control characters, known escapes, valid
    /// UTF-8, and per `rules` no lone surrogates. Decoding waits until the string is read.
    private mutating func strictString(rules: Rules) throws(JSONParseError) {
        position += 1
        let start = position
        var plain = true
        while let byte = current {
            switch byte {
            case UInt8(ascii: "\""):
                if !plain {
                    let text = UnsafeRawBufferPointer(rebasing: bytes[start..<position])
                    guard String(validating: text.assumingMemoryBound(to: UInt8.self), as: UTF8.self) != nil else {
                        throw JSONParseError(reason: "invalid UTF-8 in string", offset: start)
                    }
                }
                appendLeaf(plain ? .plainString : .string, start: start, end: position)
                position += 1
                return
            case UInt8(ascii: "\\"):
                plain = false
                position += 1
                try strictEscape(rules: rules)
            case 0..<0x20:
                throw strictError("control character U+\(Self.hex4(UInt32(byte))) must be escaped in a string")
            case 0x80...:
                plain = false
                position += 1
            default:
                position += 1
            }
        }
        throw strictError("unterminated string")
    }

    private mutating func strictEscape(rules: Rules) throws(JSONParseError) {
        guard let byte = current else { throw strictError("unterminated escape") }
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            position += 1
        case UInt8(ascii: "u"):
            position += 1
            try strictUnicodeEscape(rules: rules)
        default:
            throw strictError("invalid escape '\\\(Self.printable(byte))'")
        }
    }

    /// A `\u` escape whose `u` was just read, and the low half after a high surrogate.
    private mutating func strictUnicodeEscape(rules: Rules) throws(JSONParseError) {
        let high = try strictHex4()
        guard (0xD800..<0xE000).contains(high) else { return }
        if high < 0xDC00, current == UInt8(ascii: "\\"), position + 1 < bytes.count,
           bytes[position + 1] == UInt8(ascii: "u")
        {
            let save = position
            position += 2
            let low = try strictHex4()
            if (0xDC00..<0xE000).contains(low) { return }
            if rules.rejectsLoneSurrogates { throw strictError("unpaired surrogate \\u\(Self.hex4(high))") }
            position = save
        }
        if rules.rejectsLoneSurrogates { throw strictError("unpaired surrogate \\u\(Self.hex4(high))") }
    }

    private mutating func strictHex4() throws(JSONParseError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = current, let digit = Self.hexValue(byte) else {
                throw strictError("expected four hex digits after \\u")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    private mutating func strictNumber(rules: Rules) throws(JSONParseError) {
        let start = position
        if current == UInt8(ascii: "-") { position += 1 }
        guard let first = current, Self.isDigit(first) else { throw strictError("expected a digit") }
        if first == UInt8(ascii: "0") {
            position += 1
            if let next = current, Self.isDigit(next) { throw strictError("leading zeros are not allowed") }
        } else {
            skipDigits()
        }
        if current == UInt8(ascii: ".") {
            position += 1
            guard let digit = current, Self.isDigit(digit) else { throw strictError("expected a digit after '.'") }
            skipDigits()
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            position += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            guard let digit = current, Self.isDigit(digit) else { throw strictError("expected a digit in the exponent") }
            skipDigits()
        }
        if rules.rejectsOutOfRangeNumbers,
           !JSONNumber.value(UnsafeRawBufferPointer(rebasing: bytes[start..<position])).isFinite
        {
            throw JSONParseError(reason: "number out of range", offset: start)
        }
        appendLeaf(.number, start: start, end: position)
    }

    private mutating func skipDigits() {
        while let byte = current, Self.isDigit(byte) { position += 1 }
    }

    /// The text of a string node, as a `JSONElement` reads it.
    private static func text(of string: JSONNode, in bytes: UnsafeRawBufferPointer) -> String {
        let raw = UnsafeRawBufferPointer(rebasing: bytes[string.start..<string.end])
        return string.kind == .plainString ? String(decoding: raw, as: UTF8.self) : JSONString.decode(raw)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }

    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case 0x30...0x39: UInt32(byte - 0x30)
        case 0x41...0x46: UInt32(byte - 0x41 + 10)
        case 0x61...0x66: UInt32(byte - 0x61 + 10)
        default: nil
        }
    }

    private static func hex4(_ value: UInt32) -> String {
        let hex = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    private static func printable(_ byte: UInt8) -> String {
        (0x20..<0x7F).contains(byte) ? String(UnicodeScalar(byte)) : "\\x" + String(byte, radix: 16)
    }
}
