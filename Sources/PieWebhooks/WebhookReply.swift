import PieJSON

/// The listener's answer to one request, before it becomes an HTTP response. Every answer is a
/// small JSON object except the metrics page.
struct WebhookReply: Sendable {
    var status: Int
    var contentType: String
    var body: [UInt8]
    /// `Allow` for a 405.
    var allow: String?
    /// Close the connection after answering (413: the rest of the body is not read).
    var closeConnection = false

    static func json(_ status: Int, _ fields: [(String, JSONValue)]) -> WebhookReply {
        WebhookReply(status: status, contentType: "application/json", body: JSONWriter.bytes(.object(JSONObject(fields))) + [0x0A])
    }

    static func error(_ outcome: DeliveryOutcome, _ detail: String) -> WebhookReply {
        json(outcome.status, [("error", .string(detail)), ("outcome", .string(outcome.rawValue))])
    }
}
