import PieJSON

/// One dispatched server-sent event.
///
/// `data` stays as bytes: adapters hand it straight to `JSONParser` without building a String.
public struct SSEEvent: Sendable, Equatable {
    /// The `event:` field, or `"message"` when the event named none.
    public var type: String
    public var data: [UInt8]
    /// The last event ID seen on the stream so far (WHATWG semantics: it persists across events).
    public var lastEventID: String

    public init(type: String = "message", data: [UInt8], lastEventID: String = "") {
        self.type = type
        self.data = data
        self.lastEventID = lastEventID
    }

    public var text: String { String(decoding: data, as: UTF8.self) }
}
