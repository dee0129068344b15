import PieJSON

/// One JSON-RPC 2.0 message, classified the way MCP uses them: a request (has `method` and
/// `id`), a notification (`method`, no `id`), or a response (`id` with `result` or `error`).
public enum JSONRPCMessage: Sendable, Equatable {
    case request(id: JSONValue, method: String, params: JSONValue?)
    case notification(method: String, params: JSONValue?)
    case result(id: JSONValue, result: JSONValue)
    /// An error response; `id` is nil when the peer could not read the request's id.
    case error(id: JSONValue?, code: Int, message: String, data: JSONValue?)

    /// JSON-RPC's "Method not found", pie's answer to server requests it declares no capability for.
    public static let methodNotFound = -32601
    public static let invalidRequest = -32600
    public static let invalidParams = -32602

    /// Reads `value`, or says in one sentence why it is not a JSON-RPC 2.0 message.
    public init(_ value: JSONValue) throws(JSONRPCShapeError) {
        guard case .object(let object) = value else { throw JSONRPCShapeError("not a JSON object") }
        guard object["jsonrpc"] == .string("2.0") else { throw JSONRPCShapeError("\"jsonrpc\" is not \"2.0\"") }
        let id = object["id"]
        // Only an error response may carry a null id (the peer could not read the request's).
        let nullErrorID = id == .null && object["error"] != nil && object["method"] == nil
        if let id, !nullErrorID, !Self.isValidID(id) {
            throw JSONRPCShapeError("\"id\" is neither a string nor a number")
        }
        if let method = object["method"] {
            guard case .string(let name) = method else { throw JSONRPCShapeError("\"method\" is not a string") }
            let params = object["params"]
            if let params, params.objectValue == nil, params.arrayValue == nil {
                throw JSONRPCShapeError("\"params\" of \(name) is neither an object nor an array")
            }
            if let id {
                self = .request(id: id, method: name, params: params)
            } else {
                self = .notification(method: name, params: params)
            }
            return
        }
        if let result = object["result"] {
            guard let id else { throw JSONRPCShapeError("a result without an \"id\"") }
            self = .result(id: id, result: result)
            return
        }
        if let error = object["error"] {
            guard let code = error["code"]?.doubleValue, code == code.rounded(), abs(code) < 1e15 else {
                throw JSONRPCShapeError("an error response without an integer \"code\"")
            }
            self = .error(
                id: id == .null ? nil : id, code: Int(code), message: error["message"]?.stringValue ?? "",
                data: error["data"])
            return
        }
        throw JSONRPCShapeError("neither a request, a notification nor a response")
    }

    /// Request ids are strings or numbers (JSON-RPC also allows null only in error responses).
    static func isValidID(_ id: JSONValue) -> Bool {
        switch id {
        case .string, .number: true
        case .null, .bool, .array, .object: false
        }
    }

    /// The message as it goes on the wire.
    public var json: JSONValue {
        var object: JSONObject = ["jsonrpc": "2.0"]
        switch self {
        case .request(let id, let method, let params):
            object["id"] = id
            object["method"] = .string(method)
            if let params { object["params"] = params }
        case .notification(let method, let params):
            object["method"] = .string(method)
            if let params { object["params"] = params }
        case .result(let id, let result):
            object["id"] = id
            object["result"] = result
        case .error(let id, let code, let message, let data):
            object["id"] = id ?? .null
            var error: JSONObject = ["code": .integer(code), "message": .string(message)]
            if let data { error["data"] = data }
            object["error"] = .object(error)
        }
        return .object(object)
    }
}

/// Why a value is not a JSON-RPC message.
public struct JSONRPCShapeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) { self.reason = reason }

    public var description: String { reason }
}
