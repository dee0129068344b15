/// Why a document failed to parse, with the byte offset so callers can point at the line.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public let offset: Int
    public let reason: String

    public var description: String { "\(reason) at byte \(offset)" }
}

/// A hand-written JSON parser over raw bytes.
///
/// It exists because stream chunks are parsed at hundreds of megabytes per second and
/// `JSONDecoder` round-trips through `Any`. `partial` mode accepts a truncated document (a tool
/// call's arguments still arriving) and returns the value as far as it goes: open strings,
/// arrays and objects are closed, and a dangling key or half-written literal is dropped.
public enum JSONParser {
    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        var copy = text
        let result = copy.withUTF8 { buffer in
            Result { () throws(JSONParseError) -> JSONValue in try parse(UnsafeRawBufferPointer(buffer)) }
        }
        return try result.get()
    }

    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(JSONParseError) -> JSONValue in try parse(buffer) }
        }
        return try result.get()
    }

    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(JSONParseError) -> JSONValue {
        var cursor = Cursor(bytes: bytes, partial: false)
        cursor.skipWhitespace()
        let value = try cursor.parseValue()
        cursor.skipWhitespace()
        if cursor.position != bytes.count {
            throw JSONParseError(offset: cursor.position, reason: "unexpected trailing characters")
        }
        return value
    }

    /// Best-effort parse of a JSON prefix; `nil` when not even the opening of a value is there yet.
    public static func parsePartial(_ text: String) -> JSONValue? {
        var copy = text
        return copy.withUTF8 { buffer in
            var cursor = Cursor(bytes: UnsafeRawBufferPointer(buffer), partial: true)
            cursor.skipWhitespace()
            return try? cursor.parseValue()
        }
    }

    /// Parses complete JSON when possible, otherwise the partial prefix, otherwise an empty
    /// object: tool arguments must always be an object the agent can validate.
    public static func parseArguments(_ text: String) -> JSONValue {
        if let full = try? parse(text), case .object = full { return full }
        if let partial = parsePartial(text), case .object = partial { return partial }
        return .object([:])
    }
}

private struct Cursor {
    let bytes: UnsafeRawBufferPointer
    let partial: Bool
    var position = 0

    init(bytes: UnsafeRawBufferPointer, partial: Bool) {
        self.bytes = bytes
        self.partial = partial
    }

    private func fail(_ reason: String) -> JSONParseError {
        JSONParseError(offset: position, reason: reason)
    }

    private var atEnd: Bool { position >= bytes.count }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    mutating func parseValue() throws(JSONParseError) -> JSONValue {
        guard !atEnd else { throw fail("unexpected end of input") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try parseLiteral("true", .bool(true))
        case UInt8(ascii: "f"): return try parseLiteral("false", .bool(false))
        case UInt8(ascii: "n"): return try parseLiteral("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw fail("unexpected character")
        }
    }

    private mutating func parseLiteral(_ word: StaticString, _ value: JSONValue) throws(JSONParseError) -> JSONValue {
        let count = word.utf8CodeUnitCount
        for offset in 0..<count {
            guard position + offset < bytes.count else {
                throw fail("unexpected end of input")
            }
            if bytes[position + offset] != word.utf8Start[offset] { throw fail("invalid literal") }
        }
        position += count
        return value
    }

    private mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = position
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"),
                UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"):
                position += 1
            default:
                return try number(from: start)
            }
        }
        // A number running to the end of a partial document may still be growing; keep it anyway.
        return try number(from: start)
    }

    private func number(from start: Int) throws(JSONParseError) -> JSONValue {
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        guard let number = Double(text) else { throw JSONParseError(offset: start, reason: "invalid number") }
        return .number(number)
    }

    /// Parses a string starting at the opening quote. In partial mode an unterminated string
    /// returns what has arrived so far.
    mutating func parseString() throws(JSONParseError) -> String {
        position += 1
        let start = position
        // Fast path: no escapes, one copy straight into a String.
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                position += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            position += 1
        }
        var scalars: [UInt8] = Array(UnsafeRawBufferPointer(rebasing: bytes[start..<position]))
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return String(decoding: scalars, as: UTF8.self)
            }
            if byte != UInt8(ascii: "\\") {
                scalars.append(byte)
                position += 1
                continue
            }
            guard position + 1 < bytes.count else {
                position = bytes.count
                break
            }
            let escape = bytes[position + 1]
            position += 2
            switch escape {
            case UInt8(ascii: "n"): scalars.append(0x0A)
            case UInt8(ascii: "t"): scalars.append(0x09)
            case UInt8(ascii: "r"): scalars.append(0x0D)
            case UInt8(ascii: "b"): scalars.append(0x08)
            case UInt8(ascii: "f"): scalars.append(0x0C)
            case UInt8(ascii: "u"):
                guard let unit = readHex4() else {
                    if partial && position + 4 > bytes.count { position = bytes.count; break }
                    throw fail("invalid unicode escape")
                }
                var scalarValue = UInt32(unit)
                if (0xD800..<0xDC00).contains(unit), position + 6 <= bytes.count,
                   bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u")
                {
                    position += 2
                    if let low = readHex4(), (0xDC00..<0xE000).contains(low) {
                        scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                    } else {
                        position -= 2
                    }
                }
                // Lone surrogates become U+FFFD rather than failing the whole chunk.
                let scalar = Unicode.Scalar(scalarValue) ?? "\u{FFFD}"
                scalars.append(contentsOf: Array(String(Character(scalar)).utf8))
            default: scalars.append(escape)
            }
        }
        if partial { return String(decoding: scalars, as: UTF8.self) }
        throw fail("unterminated string")
    }

    private mutating func readHex4() -> UInt16? {
        guard position + 4 <= bytes.count else { return nil }
        var value: UInt16 = 0
        for offset in 0..<4 {
            let byte = bytes[position + offset]
            let digit: UInt16
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt16(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt16(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt16(byte - UInt8(ascii: "A") + 10)
            default: return nil
            }
            value = value << 4 | digit
        }
        position += 4
        return value
    }

    private mutating func parseArray() throws(JSONParseError) -> JSONValue {
        position += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if !atEnd, bytes[position] == UInt8(ascii: "]") {
            position += 1
            return .array(items)
        }
        while true {
            skipWhitespace()
            if atEnd, partial { return .array(items) }
            do {
                items.append(try parseValue())
            } catch {
                if partial && atEndAfterFailure { return .array(items) }
                throw error
            }
            skipWhitespace()
            if atEnd {
                if partial { return .array(items) }
                throw fail("unterminated array")
            }
            switch bytes[position] {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"):
                position += 1
                return .array(items)
            default: throw fail("expected ',' or ']'")
            }
        }
    }

    private mutating func parseObject() throws(JSONParseError) -> JSONValue {
        position += 1
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if !atEnd, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            if atEnd {
                if partial { return .object(members) }
                throw fail("unterminated object")
            }
            guard bytes[position] == UInt8(ascii: "\"") else { throw fail("expected a key") }
            let key = try parseString()
            skipWhitespace()
            if atEnd {
                if partial { return .object(members) }
                throw fail("unterminated object")
            }
            guard bytes[position] == UInt8(ascii: ":") else { throw fail("expected ':'") }
            position += 1
            skipWhitespace()
            if atEnd {
                if partial { return .object(members) }
                throw fail("unterminated object")
            }
            do {
                members[key] = try parseValue()
            } catch {
                if partial && atEndAfterFailure { return .object(members) }
                throw error
            }
            skipWhitespace()
            if atEnd {
                if partial { return .object(members) }
                throw fail("unterminated object")
            }
            switch bytes[position] {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"):
                position += 1
                return .object(members)
            default: throw fail("expected ',' or '}'")
            }
        }
    }

    /// A failure counts as "ran out of input" when it happened at the last few bytes, i.e. a
    /// half-written literal such as `tr` or `nul`.
    private var atEndAfterFailure: Bool {
        var probe = position
        while probe < bytes.count, bytes[probe] >= UInt8(ascii: "a"), bytes[probe] <= UInt8(ascii: "z") { probe += 1 }
        return probe >= bytes.count
    }
}
