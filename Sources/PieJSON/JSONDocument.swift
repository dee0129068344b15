/// A parsed JSON document kept as its bytes plus `JSONScanner`'s nodes, read through
/// `JSONElement`.
///
/// The wire adapters read a few fields of each stream chunk, so chunks are parsed into this
/// rather than a `JSONValue` tree: nothing is decoded that nobody reads and no dictionary is
/// built per object. A class, so the elements handed out share one document and it can free
/// the nodes, which the scanner allocated itself, when the last one is gone.
public final class JSONDocument {
    @usableFromInline let bytes: [UInt8]
    /// Never mutated; only the scanner writes nodes, before handing them over.
    @usableFromInline let nodes: UnsafeBufferPointer<JSONNode>

    /// Parses a complete document; fails with the same errors as `JSONParser.parse`.
    public init(_ bytes: [UInt8]) throws(JSONParseError) {
        let scanned = bytes.withUnsafeBytes { buffer in
            Result { () throws(JSONParseError) in try JSONScanner.scan(buffer) }
        }
        self.bytes = bytes
        self.nodes = UnsafeBufferPointer(try scanned.get())
    }

    /// Parses a complete document with the strict grammar (`JSONScanner.scanStrict`).
    init(_ bytes: [UInt8], strict rules: JSONScanner.Rules) throws(JSONParseError) {
        let scanned = bytes.withUnsafeBytes { buffer in
            Result { () throws(JSONParseError) in try JSONScanner.scanStrict(buffer, rules: rules) }
        }
        self.bytes = bytes
        self.nodes = UnsafeBufferPointer(try scanned.get())
    }

    /// A document whose nodes were already scanned from `bytes`; it frees them.
    init(_ bytes: [UInt8], adopting nodes: UnsafeMutableBufferPointer<JSONNode>) {
        self.bytes = bytes
        self.nodes = UnsafeBufferPointer(nodes)
    }

    /// Parses as much of a truncated document as is there; `nil` when that is not even the
    /// opening of a value.
    public init?(prefixOf bytes: [UInt8]) {
        guard let nodes = bytes.withUnsafeBytes({ JSONScanner.scanPrefix($0) }) else { return nil }
        self.bytes = bytes
        self.nodes = UnsafeBufferPointer(nodes)
    }

    deinit {
        nodes.deallocate()
    }

    @inlinable public var root: JSONElement { JSONElement(document: self, index: 0) }
}
