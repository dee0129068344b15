/// Reading JSON into `JSONValue` trees, in the modes pie needs:
///
/// - `parse`: lenient, for what servers send (responses, error bodies, models.json);
/// - `parsePartial` / `parseArguments`: a tool call's arguments still streaming in;
/// - `parseStrict`: a model's tool arguments, where every ambiguity is an error it can act on;
/// - `parseLine`: a session or audit line pie or pi wrote.
///
/// All of them run `JSONScanner` (its strict grammar for the last two) and build the tree from its
/// nodes; stream chunks skip the tree and are read in place through `JSONDocument`. Hand-written
/// because Foundation's `JSONDecoder` round-trips through `Any`, has no partial mode, loses key
/// order and costs start-up time.
public enum JSONParser {
    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8))
    }

    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        try JSONDocument(bytes).root.value
    }

    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(JSONParseError) -> JSONValue {
        try parse(Array(bytes))
    }

    /// Best-effort parse of a JSON prefix; `nil` when not even the opening of a value is there yet.
    public static func parsePartial(_ text: String) -> JSONValue? {
        JSONDocument(prefixOf: Array(text.utf8))?.root.value
    }

    /// Parses complete JSON when possible, otherwise the partial prefix, otherwise an empty
    /// object: tool arguments must always be an object the agent can validate.
    public static func parseArguments(_ text: String) -> JSONValue {
        if let full = try? parse(text), case .object = full { return full }
        if let partial = parsePartial(text), case .object = partial { return partial }
        return .object(JSONObject())
    }

    /// A model's tool arguments: RFC 8259 and nothing else; a repeated field, a lone surrogate, a
    /// number out of range, invalid UTF-8 or trailing content is an error naming the byte.
    public static func parseStrict(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw JSONParseError(reason: "not valid UTF-8", offset: nil)
        }
        return try JSONDocument(bytes, strict: .toolArguments).root.value
    }

    /// One line of a session file or the audit log: RFC 8259, reading what `JSON.stringify`
    /// writes (a lone surrogate as U+FFFD, a repeated name as its last value).
    public static func parseLine(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> JSONValue {
        let raw = UnsafeRawBufferPointer(bytes)
        let nodes = try JSONScanner.scanStrict(raw, rules: .lines)
        // A lone string or number (the session line scanner checks fields one at a time) is read
        // straight from the input: no copy, no document.
        if nodes.count == 1, let leaf = leafValue(nodes[0], in: raw) {
            nodes.deallocate()
            return leaf
        }
        return JSONDocument(Array(bytes), adopting: nodes).root.value
    }

    private static func leafValue(_ node: JSONNode, in raw: UnsafeRawBufferPointer) -> JSONValue? {
        let text = UnsafeRawBufferPointer(rebasing: raw[node.start..<node.end])
        switch node.kind {
        case .number: return .number(JSONNumber.value(text))
        case .plainString: return .string(String(decoding: text, as: UTF8.self))
        case .string: return .string(JSONString.decode(text))
        case .null, .false, .true, .array, .object: return nil
        }
    }

    public static func parseLine(_ text: some StringProtocol) throws(JSONParseError) -> JSONValue {
        try JSONDocument(Array(text.utf8), strict: .lines).root.value
    }
}
