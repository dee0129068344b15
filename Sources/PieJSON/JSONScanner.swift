/// The one JSON scanner: checks a document and lists its values as `JSONNode`s without decoding
/// any of them. `JSONParser` builds `JSONValue` trees from the nodes and `JSONDocument` reads them
/// lazily, so both accept the same documents and fail with the same errors.
///
/// The default grammar is lenient, as what servers send needs: any number `Double(String)` reads,
/// a stray escape is the character, invalid UTF-8 is repaired (see `JSONString`). The strict
/// grammar (`scanStrict`, JSONScanner+Strict.swift) is RFC 8259 for tool arguments and the lines
/// pie and pi wrote.
///
/// `partial` mode accepts a truncated document (a tool call's arguments still arriving): open
/// strings, arrays and objects end where the input does, and a dangling key or half-written
/// literal is dropped.
///
/// Nodes go into memory the scanner allocates itself, because an `Array` calls into the runtime
/// to check uniqueness on every append, a measurable share of scanning a stream chunk. On
/// success the memory passes to the caller, on failure it is freed here.
struct JSONScanner {
    let bytes: UnsafeRawBufferPointer
    private let partial: Bool
    var position = 0
    private(set) var nodes: UnsafeMutablePointer<JSONNode>
    private(set) var nodeCount = 0
    private var nodeCapacity: Int
    private var depth = 0

    init(bytes: UnsafeRawBufferPointer, partial: Bool) {
        self.bytes = bytes
        self.partial = partial
        // Stream chunks hold about one value per eight bytes; starting there saves regrowing.
        // Large documents start no bigger and grow as they need, since one long string is
        // one node.
        nodeCapacity = min(bytes.count / 8, 1024) + 4
        nodes = .allocate(capacity: nodeCapacity)
    }

    /// The nodes of a complete document with nothing but whitespace around its one value. The
    /// caller owns the returned memory and deallocates it.
    static func scan(_ bytes: UnsafeRawBufferPointer) throws(JSONParseError) -> UnsafeMutableBufferPointer<JSONNode> {
        var scanner = JSONScanner(bytes: bytes, partial: false)
        do throws(JSONParseError) {
            scanner.skipWhitespace()
            try scanner.scanValue()
            scanner.skipWhitespace()
            if scanner.position != bytes.count {
                throw JSONParseError(reason: "unexpected trailing characters", offset: scanner.position)
            }
        } catch {
            scanner.nodes.deallocate()
            throw error
        }
        return UnsafeMutableBufferPointer(start: scanner.nodes, count: scanner.nodeCount)
    }

    /// The nodes of a document's prefix, owned by the caller as with `scan`; `nil` when not
    /// even the opening of a value is there yet.
    static func scanPrefix(_ bytes: UnsafeRawBufferPointer) -> UnsafeMutableBufferPointer<JSONNode>? {
        var scanner = JSONScanner(bytes: bytes, partial: true)
        scanner.skipWhitespace()
        do {
            try scanner.scanValue()
        } catch {
            scanner.nodes.deallocate()
            return nil
        }
        return UnsafeMutableBufferPointer(start: scanner.nodes, count: scanner.nodeCount)
    }

    @inline(__always)
    mutating func append(_ node: JSONNode) {
        if nodeCount == nodeCapacity {
            let grown = UnsafeMutablePointer<JSONNode>.allocate(capacity: nodeCapacity * 2)
            grown.initialize(from: nodes, count: nodeCount)
            nodes.deallocate()
            nodes = grown
            nodeCapacity *= 2
        }
        (nodes + nodeCount).initialize(to: node)
        nodeCount += 1
    }

    /// Nesting beyond this is rejected rather than risking the stack on hostile input.
    static let maxDepth = 512

    private func fail(_ reason: String) -> JSONParseError {
        JSONParseError(reason: reason, offset: position)
    }

    private var atEnd: Bool { position >= bytes.count }

    @inline(__always)
    mutating func skipWhitespace() {
        // Stream chunks are compact: most of the time there is nothing to skip.
        guard position < bytes.count, bytes[position] <= 0x20 else { return }
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    @inline(__always)
    private mutating func scanValue() throws(JSONParseError) {
        guard !atEnd else { throw fail("unexpected end of input") }
        switch bytes[position] {
        case UInt8(ascii: "{"): try scanObject()
        case UInt8(ascii: "["): try scanArray()
        case UInt8(ascii: "\""): try scanString()
        case UInt8(ascii: "t"): try scanLiteral("true", .true)
        case UInt8(ascii: "f"): try scanLiteral("false", .false)
        case UInt8(ascii: "n"): try scanLiteral("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try scanNumber()
        default: throw fail("unexpected character")
        }
    }

    @inline(__always)
    mutating func appendLeaf(_ kind: JSONNode.Kind, start: Int, end: Int) {
        append(JSONNode(leaf: kind, start: start, end: end))
    }

    @inline(__always)
    private mutating func scanLiteral(_ word: StaticString, _ kind: JSONNode.Kind) throws(JSONParseError) {
        let count = word.utf8CodeUnitCount
        for offset in 0..<count {
            guard position + offset < bytes.count else {
                throw fail("unexpected end of input")
            }
            if bytes[position + offset] != word.utf8Start[offset] { throw fail("invalid literal") }
        }
        appendLeaf(kind, start: position, end: position + count)
        position += count
    }

    /// Takes the longest run of number characters and accepts exactly what `Double(String)`
    /// reads; plain integers, nearly every number in a stream, are recognised on the way.
    @inline(__always)
    private mutating func scanNumber() throws(JSONParseError) {
        let start = position
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        let digitsStart = position
        var onlyDigits = true
        scan: while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                position += 1
            case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"):
                onlyDigits = false
                position += 1
            default:
                break scan
            }
        }
        // A number running to the end of a partial document may still be growing; keep it anyway.
        let text = UnsafeRawBufferPointer(rebasing: bytes[start..<position])
        guard onlyDigits && position > digitsStart || JSONNumber.isValid(text) else {
            throw JSONParseError(reason: "invalid number", offset: start)
        }
        appendLeaf(.number, start: start, end: position)
    }

    /// Scans a string from its opening quote. Escapes are checked here and decoded only when
    /// the string is read (`JSONString`). In partial mode an unterminated string ends with the input.
    @inline(__always)
    private mutating func scanString() throws(JSONParseError) {
        position += 1
        let start = position
        // Every byte of the string OR-ed together: its top bit says whether any is non-ASCII.
        var unionOfBytes: UInt64 = 0
        var escaped = false
        while true {
            skipPlainStringWords(&unionOfBytes)
            guard position < bytes.count else { break }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let plain = !escaped && unionOfBytes & 0x8080_8080_8080_8080 == 0
                appendLeaf(plain ? .plainString : .string, start: start, end: position)
                position += 1
                return
            }
            if byte != UInt8(ascii: "\\") {
                unionOfBytes |= UInt64(byte)
                position += 1
                continue
            }
            escaped = true
            guard position + 1 < bytes.count else {
                position = bytes.count
                break
            }
            let escape = bytes[position + 1]
            position += 2
            if escape == UInt8(ascii: "u") {
                guard JSONString.hex4(bytes, at: position) != nil else {
                    if partial && position + 4 > bytes.count {
                        position = bytes.count
                        break
                    }
                    throw fail("invalid unicode escape")
                }
                position += 4
            }
        }
        if partial {
            appendLeaf(.string, start: start, end: bytes.count)
            return
        }
        throw fail("unterminated string")
    }

    /// Moves eight bytes at a time up to the next quote or backslash, or to the last few bytes.
    @inline(__always)
    private mutating func skipPlainStringWords(_ unionOfBytes: inout UInt64) {
        let quotes = ByteWords.repeating(UInt8(ascii: "\""))
        let backslashes = ByteWords.repeating(UInt8(ascii: "\\"))
        while position &+ 8 <= bytes.count {
            let word = ByteWords.load(bytes, at: position)
            let stops = ByteWords.firstEqualLane(word, quotes) | ByteWords.firstEqualLane(word, backslashes)
            guard stops != 0 else {
                unionOfBytes |= word
                position &+= 8
                continue
            }
            let plain = ByteWords.lanesBefore(stops)
            unionOfBytes |= word & ((1 &<< UInt64(plain &* 8)) &- 1)
            position &+= plain
            return
        }
    }

    @inline(__always)
    private mutating func enter() throws(JSONParseError) {
        depth += 1
        if depth > Self.maxDepth { throw fail("nesting deeper than \(Self.maxDepth) levels") }
    }

    /// Appends a container's node, to be completed by `close` once its contents are scanned.
    @inline(__always)
    mutating func open(_ kind: JSONNode.Kind) -> Int {
        append(JSONNode(container: kind))
        return nodeCount - 1
    }

    @inline(__always)
    mutating func close(_ container: Int, count: Int) {
        nodes[container].close(count: count, next: nodeCount)
    }

    /// Forgets the nodes of a member or item that partial mode drops.
    private mutating func drop(from mark: Int) {
        nodeCount = mark
    }

    private mutating func scanArray() throws(JSONParseError) {
        try enter()
        defer { depth -= 1 }
        let container = open(.array)
        position += 1
        var count = 0
        skipWhitespace()
        if !atEnd, bytes[position] == UInt8(ascii: "]") {
            position += 1
            return close(container, count: count)
        }
        while true {
            skipWhitespace()
            if atEnd, partial { return close(container, count: count) }
            let mark = nodeCount
            do {
                try scanValue()
            } catch {
                guard partial && atEndAfterFailure else { throw error }
                drop(from: mark)
                return close(container, count: count)
            }
            count += 1
            skipWhitespace()
            if atEnd {
                if partial { return close(container, count: count) }
                throw fail("unterminated array")
            }
            switch bytes[position] {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"):
                position += 1
                return close(container, count: count)
            default: throw fail("expected ',' or ']'")
            }
        }
    }

    private mutating func scanObject() throws(JSONParseError) {
        try enter()
        defer { depth -= 1 }
        let container = open(.object)
        position += 1
        var count = 0
        skipWhitespace()
        if !atEnd, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return close(container, count: count)
        }
        while true {
            skipWhitespace()
            if atEnd {
                if partial { return close(container, count: count) }
                throw fail("unterminated object")
            }
            guard bytes[position] == UInt8(ascii: "\"") else { throw fail("expected a key") }
            let mark = nodeCount
            try scanString()
            skipWhitespace()
            if atEnd {
                guard partial else { throw fail("unterminated object") }
                drop(from: mark)
                return close(container, count: count)
            }
            guard bytes[position] == UInt8(ascii: ":") else { throw fail("expected ':'") }
            position += 1
            skipWhitespace()
            if atEnd {
                guard partial else { throw fail("unterminated object") }
                drop(from: mark)
                return close(container, count: count)
            }
            do {
                try scanValue()
            } catch {
                guard partial && atEndAfterFailure else { throw error }
                drop(from: mark)
                return close(container, count: count)
            }
            count += 1
            skipWhitespace()
            if atEnd {
                if partial { return close(container, count: count) }
                throw fail("unterminated object")
            }
            switch bytes[position] {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"):
                position += 1
                return close(container, count: count)
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
