import PieJSON

/// The dedup key under which a server notification starts an automation (c4pt0r/pie's keys):
/// list changes collapse per server and list, a resource update per URI, and a custom
/// `notifications/*` only when the server names its own key in `_meta.pie_dedup_key` (or
/// `_pie_dedup_key`). A custom notification without one could be sent in a loop to start run
/// after run, so it is dropped and counted instead.
public enum MCPNotificationKey {
    public enum Outcome: Sendable, Equatable {
        case key(String)
        /// Not a trigger: why, for the log and the dropped counter.
        case dropped(String)
    }

    /// Longest dedup key a server may choose; longer ones are dropped, not cut (two cut keys
    /// could collide).
    public static let maximumKeyLength = 256

    public static func key(server: String, method: String, params: JSONValue?) -> Outcome {
        switch method {
        case "notifications/tools/list_changed": return .key("mcp:\(server):tools")
        case "notifications/resources/list_changed": return .key("mcp:\(server):resources")
        case "notifications/prompts/list_changed": return .key("mcp:\(server):prompts")
        case "notifications/resources/updated":
            guard let uri = params?["uri"]?.stringValue, !uri.isEmpty else {
                return .dropped("notifications/resources/updated without a uri")
            }
            return .key("mcp:\(server):resources:\(uri)")
        default:
            guard method.hasPrefix("notifications/") else { return .dropped("'\(method)' is not a notification method") }
            let chosen = params?["_meta"]?["pie_dedup_key"]?.stringValue ?? params?["_pie_dedup_key"]?.stringValue
            guard let chosen, !chosen.isEmpty else {
                return .dropped("\(method) has no _meta.pie_dedup_key, so it cannot be deduplicated")
            }
            guard chosen.utf8.count <= maximumKeyLength else {
                return .dropped("\(method)'s _meta.pie_dedup_key is longer than \(maximumKeyLength) bytes")
            }
            return .key("mcp:\(server):custom:\(method):\(chosen)")
        }
    }
}
