/// Why a document failed to parse, with the byte offset so callers can point at the line.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public let offset: Int
    public let reason: String

    public var description: String { "\(reason) at byte \(offset)" }
}

/// Parses JSON bytes into `JSONValue` trees: request files, whole responses, tool arguments.
///
/// Hand-written because `JSONDecoder` round-trips through `Any` and has no partial mode: a tool
/// call's arguments still arriving parse as far as they go (see `JSONScanner`). Stream chunks
/// skip the tree and are read in place through `JSONDocument`.
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
        return .object([:])
    }
}
