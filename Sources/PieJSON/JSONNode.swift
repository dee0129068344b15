/// One value of a scanned JSON document. `JSONScanner` lists a document's values in order, a
/// container before its contents and an object's key before its value, so a whole document is
/// one flat array instead of a tree of allocations.
///
/// Leaves and containers need two different numbers each, so they share two fields: 24 bytes a
/// node keeps a stream chunk's nodes within the allocator's cheapest size classes.
@usableFromInline
struct JSONNode: Sendable {
    @usableFromInline
    enum Kind: UInt8, Sendable {
        case null
        case `false`
        case `true`
        case number
        /// ASCII without escapes: the bytes are the text, and keys compare byte for byte.
        case plainString
        /// Has escapes or non-ASCII bytes: decoded when read, compared as a `String`.
        case string
        case array
        case object
    }

    @usableFromInline let kind: Kind
    /// Leaves: `start`; containers: `count`.
    @usableFromInline var first: Int
    /// Leaves: `end`; containers: the index after their contents.
    @usableFromInline var second: Int

    /// A number, literal or string spanning `start..<end`.
    init(leaf kind: Kind, start: Int, end: Int) {
        self.kind = kind
        first = start
        second = end
    }

    /// An array or object whose contents are still to come; see `close`.
    init(container kind: Kind) {
        self.kind = kind
        first = 0
        second = 0
    }

    @inlinable var isContainer: Bool { kind == .array || kind == .object }

    /// Numbers and literals: the first byte; strings: the byte after the opening quote.
    @inlinable var start: Int { first }

    /// Numbers and literals: one past the last byte; strings: the closing quote, or the end of
    /// the input for a string cut short in partial mode.
    @inlinable var end: Int { second }

    /// Arrays: how many items; objects: how many members.
    @inlinable var count: Int { first }

    /// Records a container's contents once scanned: `count` items or members, ending before
    /// node `next`.
    mutating func close(count: Int, next: Int) {
        first = count
        second = next
    }

    /// The index of the first node after this one (at `index`) and everything inside it.
    @inlinable func next(at index: Int) -> Int {
        isContainer ? second : index + 1
    }
}
