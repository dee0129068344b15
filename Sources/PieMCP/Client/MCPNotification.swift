import PieJSON

/// A notification the server sent, as received: for triggers (`notifications/resources/updated`,
/// `…/list_changed`, custom `notifications/*`). Its params are the server's data, never
/// instructions to pie.
public struct MCPNotification: Sendable, Equatable {
    public var method: String
    public var params: JSONValue?

    public init(method: String, params: JSONValue? = nil) {
        self.method = method
        self.params = params
    }
}

/// One `notifications/progress` update for a request that asked for progress.
public struct MCPProgress: Sendable, Equatable {
    public var progress: Double
    public var total: Double?
    public var message: String?

    public init(progress: Double, total: Double? = nil, message: String? = nil) {
        self.progress = progress
        self.total = total
        self.message = message
    }
}

/// One page of a paginated list (`tools/list`, `resources/list`, `prompts/list`).
public struct MCPPage<Item: Sendable & Equatable>: Sendable, Equatable {
    public var items: [Item]
    /// The cursor for the next page; nil on the last.
    public var nextCursor: String?

    public init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }
}

/// What the client counted: messages it could not use and notifications it saw. Read by
/// `pie mcp doctor` and the tests.
public struct MCPClientCounters: Sendable, Equatable {
    /// Responses whose id matched no request in flight (late answers after a timeout included).
    public var unknownResponses = 0
    /// Lines or bodies that were not JSON, or JSON that was not JSON-RPC.
    public var malformedMessages = 0
    /// Server requests answered with -32601 (sampling, elicitation, roots/list, …).
    public var refusedServerRequests = 0
    public var toolsListChanged = 0
    public var resourcesListChanged = 0
    public var promptsListChanged = 0
    /// Notifications dropped because the consumer of `notifications` fell behind.
    public var droppedNotifications = 0

    public init() {}
}
