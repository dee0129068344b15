/// The RFC 8259 grammar, read strictly into a `JSONValue` tree: for what a model passes as tool
/// arguments and for the lines pie (or pi) wrote into session files and the audit log.
///
/// Strict on purpose: pi quietly turns unparsable arguments into `{}` and lets the tool guess,
/// which makes a local model's malformed call run with defaults. Trailing commas, comments, single
/// quotes, leading zeros, unknown escapes, raw control characters, invalid UTF-8 and trailing
/// garbage are errors whose messages say what to fix, at a byte offset. `Rules` add what only tool
/// arguments refuse: a repeated field name, a lone surrogate, a number no double holds.
///
/// A recursive descent rather than `JSONScanner`'s flat nodes: these inputs are read whole into a
/// tree anyway, and the scanner is kept lenient for what servers send.
struct JSONReader {
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

    private let bytes: UnsafeBufferPointer<UInt8>
    private let rules: Rules
    private var position = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>, rules: Rules) {
        self.bytes = bytes
        self.rules = rules
    }

    /// Exactly one value with nothing but whitespace around it.
    static func read(_ bytes: UnsafeBufferPointer<UInt8>, rules: Rules) throws(JSONParseError) -> JSONValue {
        var reader = JSONReader(bytes, rules: rules)
        reader.skipWhitespace()
        let value = try reader.readValue(depth: 0)
        reader.skipWhitespace()
        guard reader.position == bytes.count else {
            throw reader.error("unexpected content after the JSON value")
        }
        return value
    }

    private func error(_ reason: String) -> JSONParseError {
        JSONParseError(reason: reason, offset: position)
    }

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    private mutating func readValue(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth < rules.maxDepth else { throw error("nesting deeper than \(rules.maxDepth) levels") }
        guard let byte = current else { throw error("unexpected end of input") }
        switch byte {
        case UInt8(ascii: "{"): return try readObject(depth: depth)
        case UInt8(ascii: "["): return try readArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try readString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try readNumber())
        default: throw error("unexpected character '\(Self.printable(byte))'")
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        for byte in expected {
            guard current == byte else { throw error("invalid literal, expected '\(literal)'") }
            position += 1
        }
    }

    private mutating func readObject(depth: Int) throws(JSONParseError) -> JSONValue {
        position += 1
        var members: [JSONObject.Member] = []
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            position += 1
            return .object(JSONObject(members))
        }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw error("expected a quoted field name") }
            let keyOffset = position
            let key = try readString()
            if rules.rejectsDuplicateKeys, members.contains(where: { $0.key == key }) {
                throw JSONParseError(reason: "duplicate field '\(key)'", offset: keyOffset)
            }
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw error("expected ':' after field name") }
            position += 1
            skipWhitespace()
            members.append(JSONObject.Member(key, try readValue(depth: depth + 1)))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"): position += 1; return .object(JSONObject(members))
            case nil: throw error("unexpected end of input, expected ',' or '}'")
            default: throw error("expected ',' or '}'")
            }
        }
    }

    private mutating func readArray(depth: Int) throws(JSONParseError) -> JSONValue {
        position += 1
        var values: [JSONValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            position += 1
            return .array(values)
        }
        while true {
            skipWhitespace()
            values.append(try readValue(depth: depth + 1))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"): position += 1; return .array(values)
            case nil: throw error("unexpected end of input, expected ',' or ']'")
            default: throw error("expected ',' or ']'")
            }
        }
    }

    /// Strings without escapes (nearly all of them) are validated and copied straight from the
    /// input; the rest are decoded into a byte buffer.
    private mutating func readString() throws(JSONParseError) -> String {
        position += 1
        let start = position
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "\""):
                let text = try decodeUTF8(UnsafeBufferPointer(rebasing: bytes[start..<position]), at: start)
                position += 1
                return text
            case UInt8(ascii: "\\"):
                return try readEscapedString(from: start)
            case 0..<0x20:
                throw controlCharacter(bytes[position])
            default:
                position += 1
            }
        }
        throw error("unterminated string")
    }

    private mutating func readEscapedString(from start: Int) throws(JSONParseError) -> String {
        var decoded = Array(bytes[start..<position])
        while let byte = current {
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return try decoded.withUnsafeBufferPointer { buffer throws(JSONParseError) in
                    try decodeUTF8(buffer, at: start)
                }
            case UInt8(ascii: "\\"):
                position += 1
                appendUTF8(of: try readEscape(), to: &decoded)
            case 0..<0x20:
                throw controlCharacter(byte)
            default:
                decoded.append(byte)
                position += 1
            }
        }
        throw error("unterminated string")
    }

    private func controlCharacter(_ byte: UInt8) -> JSONParseError {
        error("control character U+\(Self.hex4(UInt32(byte))) must be escaped in a string")
    }

    private func decodeUTF8(_ text: UnsafeBufferPointer<UInt8>, at start: Int) throws(JSONParseError) -> String {
        guard let string = String(validating: text, as: UTF8.self) else {
            throw JSONParseError(reason: "invalid UTF-8 in string", offset: start)
        }
        return string
    }

    private func appendUTF8(of scalar: Unicode.Scalar, to buffer: inout [UInt8]) {
        if let encoded = UTF8.encode(scalar) { buffer.append(contentsOf: encoded) }
    }

    private mutating func readEscape() throws(JSONParseError) -> Unicode.Scalar {
        guard let byte = current else { throw error("unterminated escape") }
        position += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"): return try readUnicodeEscape()
        default:
            position -= 1
            throw error("invalid escape '\\\(Self.printable(byte))'")
        }
    }

    /// The scalar of a `\u` escape whose `u` was just read, joining a surrogate pair.
    private mutating func readUnicodeEscape() throws(JSONParseError) -> Unicode.Scalar {
        let high = try readHex4()
        guard (0xD800..<0xE000).contains(high) else { return Unicode.Scalar(high) ?? "\u{FFFD}" }
        if high < 0xDC00, current == UInt8(ascii: "\\"), position + 1 < bytes.count,
           bytes[position + 1] == UInt8(ascii: "u")
        {
            let save = position
            position += 2
            let low = try readHex4()
            if (0xDC00..<0xE000).contains(low) {
                return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)) ?? "\u{FFFD}"
            }
            if rules.rejectsLoneSurrogates { throw error("unpaired surrogate \\u\(Self.hex4(high))") }
            position = save
        }
        if rules.rejectsLoneSurrogates { throw error("unpaired surrogate \\u\(Self.hex4(high))") }
        return "\u{FFFD}"
    }

    private mutating func readHex4() throws(JSONParseError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = current, let digit = Self.hexValue(byte) else {
                throw error("expected four hex digits after \\u")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    private mutating func readNumber() throws(JSONParseError) -> Double {
        let start = position
        if current == UInt8(ascii: "-") { position += 1 }
        guard let first = current, Self.isDigit(first) else { throw error("expected a digit") }
        if first == UInt8(ascii: "0") {
            position += 1
            if let next = current, Self.isDigit(next) { throw error("leading zeros are not allowed") }
        } else {
            skipDigits()
        }
        if current == UInt8(ascii: ".") {
            position += 1
            guard let digit = current, Self.isDigit(digit) else { throw error("expected a digit after '.'") }
            skipDigits()
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            position += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            guard let digit = current, Self.isDigit(digit) else { throw error("expected a digit in the exponent") }
            skipDigits()
        }
        let value = JSONNumber.value(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[start..<position])))
        guard value.isFinite || !rules.rejectsOutOfRangeNumbers else {
            throw JSONParseError(reason: "number out of range", offset: start)
        }
        return value
    }

    private mutating func skipDigits() {
        while let byte = current, Self.isDigit(byte) { position += 1 }
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
