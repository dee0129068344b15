/// Reads exactly the subset of TOML the builtin bash profiles are written in, and rejects
/// everything else with the line it is on: comments, `key = value` with bare keys, basic
/// strings with TOML's escapes, `true`/`false`, decimal integers, arrays of those (across lines,
/// with comments and a trailing comma), and `[[name]]` array-of-tables headers.
///
/// It exists for start-up time: TOMLKit took about 24 M of the 63 M instructions pie needed to
/// start, for the builtin profiles alone (docs/architecture.md, "Why some things are written
/// by hand"). TOMLKit stays the parser for any other profile text, and the oracle: a test reads
/// every builtin profile with both and requires the same `BashRules`.
struct ProfileTOMLReader {
    private let bytes: [UInt8]
    private let source: String
    private var index = 0
    private var line = 1

    private init(text: String, source: String) {
        self.bytes = Array(text.utf8)
        self.source = source
    }

    /// The document's root table. `source` names the text in errors.
    static func parse(_ text: String, source: String) throws(BashRulesError) -> ProfileTOMLTable {
        var reader = ProfileTOMLReader(text: text, source: source)
        return try reader.document()
    }

    private mutating func document() throws(BashRulesError) -> ProfileTOMLTable {
        var root = ProfileTOMLTable()
        var arrays: [String: [ProfileTOMLValue]] = [:]
        var arrayOrder: [String] = []
        var current: (name: String, table: ProfileTOMLTable)?
        while true {
            try skipBlank()
            guard index < bytes.count else { break }
            if bytes[index] == UInt8(ascii: "[") {
                guard next(1) == UInt8(ascii: "[") else {
                    throw error("a [table] header; only [[name]] array-of-tables headers are read here")
                }
                index += 2
                skipSpaces()
                let name = try bareKey()
                skipSpaces()
                guard next(0) == UInt8(ascii: "]"), next(1) == UInt8(ascii: "]") else {
                    throw error("expected ']]' to close the header [[\(name)]]")
                }
                index += 2
                if arrays[name] == nil {
                    guard root[name] == nil else {
                        throw error("'\(name)' is already defined as a key, so [[\(name)]] cannot add to it")
                    }
                    arrays[name] = []
                    arrayOrder.append(name)
                }
                try endOfLine()
                if let open = current { arrays[open.name, default: []].append(.table(open.table)) }
                current = (name, ProfileTOMLTable())
            } else {
                let keyLine = line
                let key = try bareKey()
                skipSpaces()
                guard next(0) == UInt8(ascii: "=") else { throw error("expected '=' after the key '\(key)'") }
                index += 1
                skipSpaces()
                let value = try value()
                try endOfLine()
                let inserted = current != nil ? current!.table.insert(key, value) : root.insert(key, value)
                guard inserted else { throw error("'\(key)' is defined twice in one table", line: keyLine) }
            }
        }
        if let open = current { arrays[open.name, default: []].append(.table(open.table)) }
        for name in arrayOrder {
            root.insert(name, .array(arrays[name] ?? []))
        }
        return root
    }

    // MARK: Values

    private mutating func value() throws(BashRulesError) -> ProfileTOMLValue {
        switch next(0) ?? 0 {
        case UInt8(ascii: "\""):
            return .string(try basicString())
        case UInt8(ascii: "["):
            return .array(try array())
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            for (word, value) in [("true", true), ("false", false)] where matches(word) {
                index += word.utf8.count
                try requireDelimiter("true or false")
                return .bool(value)
            }
        case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .integer(try integer())
        default:
            break
        }
        throw error(
            "expected a value read here: a \"basic string\", true, false, a decimal integer or an array "
                + "(literal and multi-line strings, floats, dates and inline tables are not)")
    }

    private mutating func array() throws(BashRulesError) -> [ProfileTOMLValue] {
        index += 1
        var elements: [ProfileTOMLValue] = []
        elements.reserveCapacity(8)
        while true {
            try skipBlank()
            if next(0) == UInt8(ascii: "]") { break }
            guard index < bytes.count else { throw error("the array is not closed with ']'") }
            elements.append(try value())
            try skipBlank()
            if next(0) == UInt8(ascii: ",") {
                index += 1
            } else if next(0) != UInt8(ascii: "]") {
                throw error("expected ',' or ']' after an array element")
            }
        }
        index += 1
        return elements
    }

    /// A decimal integer without underscores or leading zeros (`0`, `12`, `-3`).
    private mutating func integer() throws(BashRulesError) -> Int {
        let negative = next(0) == UInt8(ascii: "-")
        if negative || next(0) == UInt8(ascii: "+") { index += 1 }
        let start = index
        while let byte = next(0), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { index += 1 }
        guard index > start, bytes[start] != UInt8(ascii: "0") || index - start == 1 else {
            throw error("expected a decimal integer without leading zeros")
        }
        try requireDelimiter("a decimal integer (hex, octal, binary, underscores, floats and dates are not read here)")
        let digits = String(decoding: bytes[start..<index], as: UTF8.self)
        guard let magnitude = Int(digits) else { throw error("the integer \(digits) is out of range") }
        return negative ? -magnitude : magnitude
    }

    /// A `"…"` string with TOML's escapes.
    private mutating func basicString() throws(BashRulesError) -> String {
        if next(1) == UInt8(ascii: "\""), next(2) == UInt8(ascii: "\"") {
            throw error("a multi-line string; write a \"basic string\" on one line")
        }
        index += 1
        var segment = index
        var decoded: [UInt8] = []
        var escaped = false
        while true {
            // Most bytes are plain: skip them without the checks below.
            while index < bytes.count, bytes[index] >= 0x20, bytes[index] != UInt8(ascii: "\""),
                bytes[index] != UInt8(ascii: "\\"), bytes[index] != 0x7F
            {
                index += 1
            }
            guard let byte = next(0) else { throw error("the string is not closed with '\"'") }
            switch byte {
            case UInt8(ascii: "\""):
                let text: String
                if escaped {
                    decoded.append(contentsOf: bytes[segment..<index])
                    text = String(decoding: decoded, as: UTF8.self)
                } else {
                    text = String(decoding: bytes[segment..<index], as: UTF8.self)
                }
                index += 1
                return text
            case UInt8(ascii: "\\"):
                decoded.append(contentsOf: bytes[segment..<index])
                escaped = true
                try escape(into: &decoded)
                segment = index
            case UInt8(ascii: "\n"):
                throw error("the string is not closed with '\"' before the end of the line")
            case 0..<0x20 where byte != UInt8(ascii: "\t"), 0x7F:
                throw error("a control character (byte \(byte)) in a string; write it as an escape such as \\u\(hex4(byte))")
            default:
                index += 1
            }
        }
    }

    /// One escape at `index` (the backslash): `\b \t \n \f \r \" \\ \uXXXX \UXXXXXXXX`.
    private mutating func escape(into decoded: inout [UInt8]) throws(BashRulesError) {
        guard let letter = next(1) else { throw error("the string is not closed with '\"'") }
        index += 2
        let simple: UInt8? = switch letter {
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "t"): 0x09
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "\""): UInt8(ascii: "\"")
        case UInt8(ascii: "\\"): UInt8(ascii: "\\")
        default: nil
        }
        if let simple {
            decoded.append(simple)
            return
        }
        let digits: Int
        switch letter {
        case UInt8(ascii: "u"): digits = 4
        case UInt8(ascii: "U"): digits = 8
        default:
            throw error(
                "unknown escape '\\\(Character(Unicode.Scalar(letter)))' (valid: \\b \\t \\n \\f \\r \\\" \\\\ "
                    + "\\uXXXX \\UXXXXXXXX)")
        }
        guard index + digits <= bytes.count,
            let code = UInt32(String(decoding: bytes[index..<index + digits], as: UTF8.self), radix: 16),
            bytes[index..<index + digits].allSatisfy({ Self.isHexDigit($0) })
        else {
            throw error("'\\\(Character(Unicode.Scalar(letter)))' must be followed by \(digits) hexadecimal digits")
        }
        guard let scalar = Unicode.Scalar(code) else {
            throw error("the escape names U+\(String(code, radix: 16, uppercase: true)), which is not a Unicode scalar value")
        }
        // No argument can hold a NUL byte, and TOMLKit would end the string there.
        guard code != 0 else { throw error("a NUL character (\\u0000), which no command argument can hold") }
        index += digits
        decoded.append(contentsOf: String(Character(scalar)).utf8)
    }

    // MARK: Layout

    /// A bare key: ASCII letters, digits, `_` and `-` (quoted and dotted keys are not read here).
    private mutating func bareKey() throws(BashRulesError) -> String {
        let start = index
        while let byte = next(0), Self.isBareKeyByte(byte) { index += 1 }
        guard index > start else {
            throw error("expected a bare key (letters, digits, '_', '-'); quoted and dotted keys are not read here")
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    /// Spaces, tabs, line ends and comments.
    private mutating func skipBlank() throws(BashRulesError) {
        while let byte = next(0) {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"):
                index += 1
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                try newline()
            case UInt8(ascii: "#"):
                try comment()
            default:
                return
            }
        }
    }

    private mutating func skipSpaces() {
        while let byte = next(0), byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") { index += 1 }
    }

    /// After a header or a key's value: spaces, maybe a comment, then a line end or the end.
    private mutating func endOfLine() throws(BashRulesError) {
        skipSpaces()
        if next(0) == UInt8(ascii: "#") { try comment() }
        guard index < bytes.count else { return }
        guard next(0) == UInt8(ascii: "\n") || next(0) == UInt8(ascii: "\r") else {
            throw error("expected the end of the line (one key or header per line)")
        }
        try newline()
    }

    private mutating func newline() throws(BashRulesError) {
        if next(0) == UInt8(ascii: "\r") {
            guard next(1) == UInt8(ascii: "\n") else { throw error("a carriage return not followed by a line feed") }
            index += 1
        }
        index += 1
        line += 1
    }

    /// From `#` to the line end, which is left for the caller.
    private mutating func comment() throws(BashRulesError) {
        while let byte = next(0), byte != UInt8(ascii: "\n"), byte != UInt8(ascii: "\r") {
            if (byte < 0x20 && byte != UInt8(ascii: "\t")) || byte == 0x7F {
                throw error("a control character (byte \(byte)) in a comment")
            }
            index += 1
        }
    }

    /// A value must end at a space, a comma, `]`, a comment or the line end (`truex`, `1.5`).
    private func requireDelimiter(_ what: String) throws(BashRulesError) {
        guard let byte = next(0) else { return }
        switch byte {
        case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: ","),
            UInt8(ascii: "]"), UInt8(ascii: "#"):
            return
        default:
            throw error("expected \(what)")
        }
    }

    private func next(_ offset: Int) -> UInt8? {
        index + offset < bytes.count ? bytes[index + offset] : nil
    }

    private func matches(_ word: String) -> Bool {
        let utf8 = word.utf8
        return index + utf8.count <= bytes.count && bytes[index..<index + utf8.count].elementsEqual(utf8)
    }

    private func error(_ message: String, line: Int? = nil) -> BashRulesError {
        BashRulesError(
            source: source, line: line ?? self.line, field: nil,
            message: "outside the TOML subset the builtin bash profiles are read with: \(message)")
    }

    private func hex4(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
    }

    private static func isBareKeyByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
            || byte == UInt8(ascii: "-")
    }
}
