import PieJSON

/// What a message the client sends asks of the server, as far as HTTP is concerned: requests are
/// answered in the POST's response (JSON or SSE); notifications and responses get 202 and nothing.
struct OutgoingMessage: Sendable {
    /// Ids of the requests in the message (one, or several in a 2025-03-26 batch).
    let requestIDs: Set<JSONValue>
    /// The ids of `initialize` requests, whose results name the negotiated protocol version.
    let initializeIDs: Set<JSONValue>
    /// `notifications/initialized` is in the message: initialisation is complete once it is
    /// accepted, and the server-message stream may be opened.
    let completesInitialization: Bool
    /// Requests the client gave up on (`notifications/cancelled`'s `requestId`).
    let cancelledRequestIDs: Set<JSONValue>
    /// "tools/call request 3", "notification notifications/initialized": for messages.
    let summary: String

    /// - Throws: the message is neither a JSON-RPC object nor a batch of them.
    init(_ message: JSONValue) throws(MCPTransportError) {
        let items: [JSONValue]
        switch message {
        case .object: items = [message]
        case .array(let batch) where !batch.isEmpty: items = batch
        default:
            throw MCPTransportError(.protocolViolation, "Not sent: a JSON-RPC message is an object (or a non-empty batch array), not \(message.rendered.prefix(80)).")
        }
        var requests: Set<JSONValue> = []
        var initializes: Set<JSONValue> = []
        var initialized = false
        var cancelled: Set<JSONValue> = []
        var summaries: [String] = []
        for item in items {
            guard case .object(let object) = item else {
                throw MCPTransportError(.protocolViolation, "Not sent: a JSON-RPC batch holds only objects, not \(item.rendered.prefix(80)).")
            }
            guard let method = object["method"]?.stringValue else {
                summaries.append("response to request \(object["id"]?.rendered ?? "null")")
                continue
            }
            if let id = object["id"], !id.isNull {
                requests.insert(id)
                if method == "initialize" { initializes.insert(id) }
                summaries.append("\(method) request \(id.rendered)")
            } else {
                if method == "notifications/initialized" { initialized = true }
                if method == "notifications/cancelled", let id = object["params"]?["requestId"], !id.isNull { cancelled.insert(id) }
                summaries.append("notification \(method)")
            }
        }
        requestIDs = requests
        initializeIDs = initializes
        completesInitialization = initialized
        cancelledRequestIDs = cancelled
        summary = summaries.count == 1 ? summaries[0] : "batch (\(summaries.joined(separator: ", ")))"
    }

    /// The id a server message answers, if it is a response (`result` or `error`, no `method`).
    static func responseID(of message: JSONValue) -> JSONValue? {
        guard case .object(let object) = message, object["method"] == nil,
              object["result"] != nil || object["error"] != nil, let id = object["id"], !id.isNull
        else { return nil }
        return id
    }
}
