import PieLocal
import PieJSON

/// One normalised event of a recorded response. Tool-call arguments are kept as the raw string
/// the model produced, so malformed arguments replay exactly as they happened.
public enum ReplayEvent: Sendable, Hashable {
    case text(String)
    case thinking(String)
    case toolCall(id: String, name: String, arguments: String)
    case usage(Usage)
    case stop(StopReason)
    /// The call fails with this error after the events before it were delivered.
    case error(ProviderError)

    /// Decodes one `{"type": …}` object of a transcript line.
    init(json: JSONValue) throws(ReplayEventDecodingError) {
        guard let type = json["type"]?.stringValue else { throw ReplayEventDecodingError("an event has no \"type\"") }
        switch type {
        case "text":
            self = .text(try Self.string("text", in: json, for: type))
        case "thinking":
            self = .thinking(try Self.string("text", in: json, for: type))
        case "tool_call":
            self = .toolCall(
                id: try Self.string("id", in: json, for: type), name: try Self.string("name", in: json, for: type),
                arguments: try Self.string("arguments", in: json, for: type))
        case "usage":
            self = .usage(
                Usage(
                    input: json["input"]?.intValue ?? 0, output: json["output"]?.intValue ?? 0,
                    cacheRead: json["cache_read"]?.intValue ?? 0, cacheWrite: json["cache_write"]?.intValue ?? 0))
        case "stop":
            let reason = try Self.string("reason", in: json, for: type)
            guard let stop = Self.stopReasons[reason] else {
                throw ReplayEventDecodingError("unknown stop reason \"\(reason)\" (stop, length, tool_use, refused)")
            }
            self = .stop(stop)
        case "error":
            let message = try Self.string("message", in: json, for: type)
            switch json["kind"]?.stringValue ?? "stream_error" {
            case "context_overflow": self = .error(.contextOverflow(message: message))
            case "overloaded": self = .error(.overloaded(message: message))
            case "stream_error": self = .error(.streamError(message: message))
            case let kind:
                throw ReplayEventDecodingError("unknown error kind \"\(kind)\" (context_overflow, overloaded, stream_error)")
            }
        default:
            throw ReplayEventDecodingError(
                "unknown event type \"\(type)\" (text, thinking, tool_call, usage, stop, error, expect)")
        }
    }

    private static let stopReasons: [String: StopReason] = [
        "stop": .stop, "length": .length, "tool_use": .toolUse, "refused": .refused,
    ]

    private static func string(_ key: String, in json: JSONValue, for type: String) throws(ReplayEventDecodingError) -> String {
        guard let value = json[key]?.stringValue else {
            throw ReplayEventDecodingError("a \"\(type)\" event needs a string \"\(key)\"")
        }
        return value
    }
}

/// What is wrong with one event object; the transcript adds the line number.
struct ReplayEventDecodingError: Error, Sendable {
    var reason: String

    init(_ reason: String) {
        self.reason = reason
    }
}
