/// A value inside a `JSONDocument`, decoded only when read. The accessors mirror `JSONValue`'s
/// and give the same answers, including for duplicate keys (the last one counts).
///
/// The reads a wire adapter makes per stream chunk (members, names, strings, numbers) are
/// `@inlinable`: called across the module boundary they were a function call and a retain of the
/// document each, a third more instructions per streamed byte.
public struct JSONElement {
    @usableFromInline let document: JSONDocument
    /// The value's node in `document.nodes`.
    @usableFromInline let index: Int

    @usableFromInline
    init(document: JSONDocument, index: Int) {
        self.document = document
        self.index = index
    }

    @inlinable var node: JSONNode { document.nodes[index] }

    /// The member named `key`, the last one if the name repeats.
    @inlinable public subscript(key: StaticString) -> JSONElement? {
        var found: JSONElement?
        for member in members where member.isNamed(key) { found = member.value }
        return found
    }

    /// The members of an object in order; none for anything else. One pass over them reads
    /// several fields for the price of one lookup.
    @inlinable public var members: Members {
        let object = node
        return Members(document: document, position: index + 1, remaining: object.kind == .object ? object.count : 0)
    }

    public struct Members: Sequence, IteratorProtocol {
        @usableFromInline let document: JSONDocument
        @usableFromInline var position: Int
        @usableFromInline var remaining: Int

        @usableFromInline
        init(document: JSONDocument, position: Int, remaining: Int) {
            self.document = document
            self.position = position
            self.remaining = remaining
        }

        @inlinable public var underestimatedCount: Int { remaining }

        @inlinable @inline(__always)
        public mutating func next() -> Member? {
            guard remaining > 0 else { return nil }
            let member = Member(document: document, nameIndex: position)
            position = document.nodes[position + 1].next(at: position + 1)
            remaining -= 1
            return member
        }
    }

    /// One member of an object: its name, compared without decoding it, and its value.
    public struct Member {
        @usableFromInline let document: JSONDocument
        /// The name's node; the value's is the next one.
        @usableFromInline let nameIndex: Int

        @usableFromInline
        init(document: JSONDocument, nameIndex: Int) {
            self.document = document
            self.nameIndex = nameIndex
        }

        @inlinable public var value: JSONElement { JSONElement(document: document, index: nameIndex + 1) }

        /// Whether the name is `key`. Keys are literals: a `StaticString` knows whether it is
        /// ASCII and hands out its bytes without a copy.
        @inlinable @inline(__always)
        public func isNamed(_ key: StaticString) -> Bool {
            let name = document.nodes[nameIndex]
            return key.withUTF8Buffer { wanted in
                document.bytes.withUnsafeBytes { bytes in
                    let raw = UnsafeRawBufferPointer(rebasing: bytes[name.start..<name.end])
                    // A name with escapes is decoded first; then bytes decide, as they do for a
                    // `JSONObject` (`JSONObject.sameName`).
                    guard name.kind == .plainString else {
                        return JSONString.decode(raw).utf8.elementsEqual(wanted)
                    }
                    guard raw.count == wanted.count else { return false }
                    for offset in 0..<raw.count where raw[offset] != wanted[offset] { return false }
                    return true
                }
            }
        }
    }

    @inlinable public subscript(position: Int) -> JSONElement? {
        let array = node
        guard array.kind == .array, position >= 0, position < array.count else { return nil }
        var item = index + 1
        for _ in 0..<position { item = document.nodes[item].next(at: item) }
        return JSONElement(document: document, index: item)
    }

    /// The items of an array in order; none for anything else.
    @inlinable public var items: Items {
        let array = node
        return Items(document: document, position: index + 1, remaining: array.kind == .array ? array.count : 0)
    }

    public struct Items: Sequence, IteratorProtocol {
        @usableFromInline let document: JSONDocument?
        @usableFromInline var position: Int
        @usableFromInline var remaining: Int

        @usableFromInline
        init(document: JSONDocument?, position: Int, remaining: Int) {
            self.document = document
            self.position = position
            self.remaining = remaining
        }

        /// What a missing array reads as.
        public static var empty: Items { Items(document: nil, position: 0, remaining: 0) }

        @inlinable public var underestimatedCount: Int { remaining }

        @inlinable public mutating func next() -> JSONElement? {
            guard remaining > 0, let document else { return nil }
            let item = JSONElement(document: document, index: position)
            position = document.nodes[position].next(at: position)
            remaining -= 1
            return item
        }
    }

    @inlinable public var stringValue: String? {
        let string = node
        switch string.kind {
        case .plainString, .string: return text(of: string)
        default: return nil
        }
    }

    @inlinable func text(of string: JSONNode) -> String {
        document.bytes.withUnsafeBytes {
            let raw = UnsafeRawBufferPointer(rebasing: $0[string.start..<string.end])
            return string.kind == .plainString ? String(decoding: raw, as: UTF8.self) : JSONString.decode(raw)
        }
    }

    @inlinable public var doubleValue: Double? {
        let number = node
        guard number.kind == .number else { return nil }
        return document.bytes.withUnsafeBytes {
            JSONNumber.value(UnsafeRawBufferPointer(rebasing: $0[number.start..<number.end]))
        }
    }

    /// Integral numbers only, as `JSONValue.intValue`.
    @inlinable public var intValue: Int? {
        let number = node
        guard number.kind == .number else { return nil }
        return document.bytes.withUnsafeBytes {
            let text = UnsafeRawBufferPointer(rebasing: $0[number.start..<number.end])
            return JSONNumber.smallInteger(text) ?? JSONValue.number(JSONNumber.value(text)).intValue
        }
    }

    @inlinable public var boolValue: Bool? {
        switch node.kind {
        case .true: return true
        case .false: return false
        default: return nil
        }
    }

    @inlinable public var isNull: Bool { node.kind == .null }

    /// The whole value as a `JSONValue` tree.
    public var value: JSONValue {
        let current = node
        switch current.kind {
        case .null: return .null
        case .false: return .bool(false)
        case .true: return .bool(true)
        case .number: return .number(doubleValue ?? .nan)
        case .plainString, .string: return .string(text(of: current))
        case .array: return .array(items.map(\.value))
        case .object:
            var tree: [JSONObject.Member] = []
            tree.reserveCapacity(current.count)
            for member in members {
                tree.append(JSONObject.Member(text(of: document.nodes[member.nameIndex]), member.value.value))
            }
            return .object(JSONObject(tree))
        }
    }
}
