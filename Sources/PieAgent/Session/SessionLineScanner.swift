import PieJSON

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The fields of an entry line the session layer reads on every resume.
///
/// Resuming touches every line of a file that can hold tens of thousands of entries, most of whose
/// bytes are message text the tree never looks at. So a line is scanned, not parsed: the structure
/// is checked and these scalars are pulled out, while string contents are skipped with `memchr`.
/// The full object is parsed only when someone asks for it (`SessionEntry.object`).
struct EntryScalars: Sendable, Equatable {
    var type: String?
    var id: String?
    var parentId: String?
    var timestamp: String?
    var targetId: String?
    var label: String?
    var name: String?
    var thinkingLevel: String?
    var provider: String?
    var modelId: String?
    var firstKeptEntryId: String?
    var summary: String?
    var hasMessage = false
    var role: String?
    var stopReason: String?
    /// `message.provider` and `message.model` of an assistant message.
    var messageProvider: String?
    var messageModel: String?
}

/// Scans one JSONL line into `EntryScalars`, rejecting anything that is not a structurally valid
/// JSON object. String escapes are decoded only for the scalars kept.
enum SessionLineScanner {
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> EntryScalars {
        var scanner = Scanner(bytes: bytes)
        scanner.skipWhitespace()
        var scalars = EntryScalars()
        try scanner.beginObject()
        while let key = try scanner.nextKey() {
            switch EntryKey(key) {
            case .type: scalars.type = try scanner.stringOrSkip()
            case .id: scalars.id = try scanner.stringOrSkip()
            case .parentId: scalars.parentId = try scanner.stringOrSkip()
            case .timestamp: scalars.timestamp = try scanner.stringOrSkip()
            case .targetId: scalars.targetId = try scanner.stringOrSkip()
            case .label: scalars.label = try scanner.stringOrSkip()
            case .name: scalars.name = try scanner.stringOrSkip()
            case .thinkingLevel: scalars.thinkingLevel = try scanner.stringOrSkip()
            case .provider: scalars.provider = try scanner.stringOrSkip()
            case .modelId: scalars.modelId = try scanner.stringOrSkip()
            case .firstKeptEntryId: scalars.firstKeptEntryId = try scanner.stringOrSkip()
            case .summary: scalars.summary = try scanner.stringOrSkip()
            case .message where scanner.peek == UInt8(ascii: "{"):
                scalars.hasMessage = true
                try scanMessage(&scanner, into: &scalars)
            default: try scanner.skipValue(depth: 1)
            }
            try scanner.endMember()
        }
        scanner.skipWhitespace()
        guard scanner.index == bytes.count else { throw scanner.error("unexpected trailing characters") }
        return scalars
    }

    private static func scanMessage(_ scanner: inout Scanner, into scalars: inout EntryScalars) throws(JSONParseError) {
        try scanner.beginObject()
        while let key = try scanner.nextKey() {
            switch MessageKey(key) {
            case .role: scalars.role = try scanner.stringOrSkip()
            case .stopReason: scalars.stopReason = try scanner.stringOrSkip()
            case .provider: scalars.messageProvider = try scanner.stringOrSkip()
            case .model: scalars.messageModel = try scanner.stringOrSkip()
            case nil: try scanner.skipValue(depth: 2)
            }
            try scanner.endMember()
        }
    }
}

/// Entry keys the scanner keeps, matched on raw bytes: comparing `String`s for every key of every
/// line is the dominant cost of a resume otherwise.
private enum EntryKey {
    case type, id, parentId, timestamp, targetId, label, name, thinkingLevel, provider, modelId, firstKeptEntryId,
        summary, message

    init?(_ key: UnsafeBufferPointer<UInt8>) {
        switch key.count {
        case 2 where matches(key, "id"): self = .id
        case 4 where matches(key, "type"): self = .type
        case 4 where matches(key, "name"): self = .name
        case 5 where matches(key, "label"): self = .label
        case 7 where matches(key, "message"): self = .message
        case 7 where matches(key, "modelId"): self = .modelId
        case 7 where matches(key, "summary"): self = .summary
        case 8 where matches(key, "parentId"): self = .parentId
        case 8 where matches(key, "targetId"): self = .targetId
        case 8 where matches(key, "provider"): self = .provider
        case 9 where matches(key, "timestamp"): self = .timestamp
        case 13 where matches(key, "thinkingLevel"): self = .thinkingLevel
        case 16 where matches(key, "firstKeptEntryId"): self = .firstKeptEntryId
        default: return nil
        }
    }
}

/// Keys kept inside `message`.
private enum MessageKey {
    case role, stopReason, provider, model

    init?(_ key: UnsafeBufferPointer<UInt8>) {
        switch key.count {
        case 4 where matches(key, "role"): self = .role
        case 5 where matches(key, "model"): self = .model
        case 8 where matches(key, "provider"): self = .provider
        case 10 where matches(key, "stopReason"): self = .stopReason
        default: return nil
        }
    }
}

extension String {
    /// Copies UTF-8 bytes into a string, repairing invalid sequences with U+FFFD.
    ///
    /// Non-generic on purpose: `String(decoding:as:)` is generic and, in unoptimised builds, runs
    /// unspecialised for every line and every kept field of a resume.
    init(repairingUTF8 bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else {
            self = ""
            return
        }
        self.init(unsafeUninitializedCapacity: bytes.count) { target in
            guard let destination = target.baseAddress else { return 0 }
            memcpy(destination, source, bytes.count)
            return bytes.count
        }
    }
}

private func matches(_ key: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
    guard let base = key.baseAddress else { return literal.utf8CodeUnitCount == 0 }
    return memcmp(base, literal.utf8Start, key.count) == 0
}

private let maxDepth = 512

/// Where a string ends, and whether it needs escape decoding. A struct, not a tuple: unoptimised
/// builds look up tuple metadata at run time on every call.
private struct QuoteEnd {
    var end: Int
    var escaped: Bool
}

private struct Scanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    func error(_ reason: String) -> JSONParseError {
        JSONParseError(reason: reason, offset: index)
    }

    mutating func skipWhitespace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0D {
            index += 1
        }
    }

    /// Consumes `{`; members are then read with `nextKey` / value / `endMember`.
    mutating func beginObject() throws(JSONParseError) {
        guard peek == UInt8(ascii: "{") else { throw error("expected an object") }
        index += 1
        skipWhitespace()
        if peek == UInt8(ascii: "}") {
            index += 1
            pendingObjectEnd = true
        }
    }

    /// Set when the object just closed, so `nextKey` reports the end exactly once.
    private var pendingObjectEnd = false

    /// The raw bytes of the next key (the scanner then sits on its value), or nil at the `}`.
    mutating func nextKey() throws(JSONParseError) -> UnsafeBufferPointer<UInt8>? {
        if pendingObjectEnd {
            pendingObjectEnd = false
            return nil
        }
        skipWhitespace()
        guard peek == UInt8(ascii: "\"") else { throw error("expected object key") }
        let end = try closingQuote(from: index + 1).end
        let key = UnsafeBufferPointer(rebasing: bytes[(index + 1)..<end])
        index = end + 1
        skipWhitespace()
        guard peek == UInt8(ascii: ":") else { throw error("expected ':'") }
        index += 1
        skipWhitespace()
        return key
    }

    /// After a member's value: consumes `,` (more members follow) or `}` (the next `nextKey` is nil).
    mutating func endMember() throws(JSONParseError) {
        skipWhitespace()
        switch peek {
        case UInt8(ascii: ","): index += 1
        case UInt8(ascii: "}"):
            index += 1
            pendingObjectEnd = true
        default: throw error("expected ',' or '}'")
        }
    }

    /// The value as a string when it is one; any other value is skipped and yields nil.
    mutating func stringOrSkip() throws(JSONParseError) -> String? {
        if peek == UInt8(ascii: "\"") { return try readString() }
        try skipValue(depth: 1)
        return nil
    }

    /// Index of the quote closing the string whose body starts at `start`, found with `memchr`;
    /// also reports whether the body contains a backslash (and so needs escape decoding).
    func closingQuote(from start: Int) throws(JSONParseError) -> QuoteEnd {
        guard let base = bytes.baseAddress else { throw error("unterminated string") }
        var cursor = start
        var escaped = false
        while cursor < bytes.count {
            guard let found = memchr(base + cursor, Int32(UInt8(ascii: "\"")), bytes.count - cursor) else { break }
            let quote = UnsafeRawPointer(found) - UnsafeRawPointer(base)
            var backslashes = 0
            while quote - backslashes - 1 >= start, bytes[quote - backslashes - 1] == UInt8(ascii: "\\") {
                backslashes += 1
            }
            if backslashes > 0 { escaped = true }
            if backslashes % 2 == 0 { return QuoteEnd(end: quote, escaped: escaped) }
            cursor = quote + 1
        }
        throw JSONParseError(reason: "unterminated string", offset: bytes.count)
    }

    mutating func readString() throws(JSONParseError) -> String {
        let start = index + 1
        let quote = try closingQuote(from: start)
        let end = quote.end
        index = end + 1
        let body = UnsafeBufferPointer(rebasing: bytes[(start - 1)...end])
        if quote.escaped {
            guard case .string(let decoded) = try JSONParser.parseLine(body) else { throw error("invalid string") }
            return decoded
        }
        return String(repairingUTF8: UnsafeBufferPointer(rebasing: bytes[start..<end]))
    }

    /// Checks and skips one value without building it.
    mutating func skipValue(depth: Int) throws(JSONParseError) {
        guard depth < maxDepth else { throw error("nesting deeper than \(maxDepth)") }
        guard let byte = peek else { throw error("unexpected end of input") }
        switch byte {
        case UInt8(ascii: "\""):
            index = try closingQuote(from: index + 1).end + 1
        case UInt8(ascii: "{"):
            try beginObject()
            while try nextKey() != nil {
                try skipValue(depth: depth + 1)
                try endMember()
            }
        case UInt8(ascii: "["):
            index += 1
            skipWhitespace()
            if peek == UInt8(ascii: "]") {
                index += 1
                return
            }
            while true {
                skipWhitespace()
                try skipValue(depth: depth + 1)
                skipWhitespace()
                switch peek {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "]"):
                    index += 1
                    return
                default: throw error("expected ',' or ']'")
                }
            }
        case UInt8(ascii: "t"): try skipLiteral("true")
        case UInt8(ascii: "f"): try skipLiteral("false")
        case UInt8(ascii: "n"): try skipLiteral("null")
        default:
            guard byte == UInt8(ascii: "-") || isDigit(byte) else { throw error("unexpected character") }
            try skipNumber()
        }
    }

    mutating func skipLiteral(_ literal: StaticString) throws(JSONParseError) {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count, let base = bytes.baseAddress,
            memcmp(base + index, literal.utf8Start, count) == 0
        else { throw error("invalid literal") }
        index += count
    }

    /// Numbers are checked by the full parser's grammar on the number's bytes only.
    mutating func skipNumber() throws(JSONParseError) {
        let start = index
        while index < bytes.count, isNumberByte(bytes[index]) { index += 1 }
        guard index < bytes.count else { throw error("truncated number") }
        guard case .number = try JSONParser.parseLine(UnsafeBufferPointer(rebasing: bytes[start..<index])) else {
            throw error("invalid number")
        }
    }

    /// Plain comparisons: range patterns in `switch` cost a generic call each in unoptimised builds.
    func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    func isNumberByte(_ byte: UInt8) -> Bool {
        isDigit(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
    }
}
