import PieJSON
import PieMCP

/// Raw JSON-RPC values, as a client would send them.
enum RPC {
    static func initialize(id: Int = 1, version: String = "2025-06-18") -> JSONValue {
        [
            "jsonrpc": "2.0", "id": .integer(id), "method": "initialize",
            "params": [
                "protocolVersion": .string(version), "capabilities": [:],
                "clientInfo": ["name": "pie-tests", "version": "1"],
            ],
        ]
    }

    static let initialized: JSONValue = ["jsonrpc": "2.0", "method": "notifications/initialized"]

    static func request(id: Int, _ method: String, _ params: JSONValue = [:]) -> JSONValue {
        ["jsonrpc": "2.0", "id": .integer(id), "method": .string(method), "params": params]
    }

    static func call(id: Int, _ tool: String, _ arguments: JSONValue = [:], progressToken: Int? = nil) -> JSONValue {
        var params: JSONObject = ["name": .string(tool), "arguments": arguments]
        if let progressToken { params["_meta"] = ["progressToken": .integer(progressToken)] }
        return request(id: id, "tools/call", .object(params))
    }
}

/// Reads a transport's events one at a time.
struct EventReader {
    private var iterator: AsyncStream<MCPTransportEvent>.Iterator

    init(_ transport: some MCPTransport) {
        iterator = transport.events.makeAsyncIterator()
    }

    mutating func next() async -> MCPTransportEvent? {
        await iterator.next()
    }

    /// Messages up to and including the response with `id`; other events are returned too.
    mutating func until(response id: Int) async -> [MCPTransportEvent] {
        var seen: [MCPTransportEvent] = []
        while let event = await iterator.next() {
            seen.append(event)
            if case .message(let message) = event, message["id"] == .integer(id), message["method"] == nil { break }
            if case .closed = event { break }
        }
        return seen
    }

    /// The error the request `id` was answered with: the transport's own when its POST failed.
    mutating func error(for id: Int) async -> (code: Int?, message: String, transport: String?)? {
        guard let error = await until(response: id).last?.message?["error"] else { return nil }
        return (error["code"]?.intValue, error["message"]?.stringValue ?? "", error["data"]?["transport"]?.stringValue)
    }

    /// Events up to the first message whose method is `method`.
    mutating func until(method: String) async -> [MCPTransportEvent] {
        var seen: [MCPTransportEvent] = []
        while let event = await iterator.next() {
            seen.append(event)
            if case .message(let message) = event, message["method"]?.stringValue == method { break }
            if case .closed = event { break }
        }
        return seen
    }
}

extension MCPTransportEvent {
    var message: JSONValue? {
        if case .message(let message) = self { return message }
        return nil
    }

    var method: String? { message?["method"]?.stringValue }
}
