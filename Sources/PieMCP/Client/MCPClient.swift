import PieJSON

/// An MCP client over any `MCPTransport`: the `initialize` handshake, requests with timeouts,
/// progress and cancellation, and everything the server sends unasked (its requests, its
/// notifications, stray responses).
///
/// pie declares no client capabilities (no sampling, elicitation or roots), so every server
/// request but `ping` is answered with -32601. Each request gets `requestTimeoutMs` unless the
/// call gives its own; when it expires or the calling task is cancelled, the server is told with
/// `notifications/cancelled` (request id and reason) and the call throws at once.
public actor MCPClient {
    public nonisolated let serverName: String
    /// Every notification the server sends, in order, for triggers and the REPL. Bounded: when
    /// the consumer falls behind, the oldest are kept and later ones dropped (and counted).
    public nonisolated let notifications: AsyncStream<MCPNotification>

    private let transport: any MCPTransport
    private let requestTimeoutMs: Int
    private let clientVersion: String
    private let notificationSink: AsyncStream<MCPNotification>.Continuation
    private let sleep: @Sendable (Int) async throws -> Void

    public private(set) var serverInfo: MCPServerInfo?
    public private(set) var counters = MCPClientCounters()
    /// The last thing that was not a usable message, for diagnostics.
    public private(set) var lastMalformed: String?
    /// The last message pie could not send (an answer or a cancellation to a server going away).
    public private(set) var lastSendFailure: String?

    private var nextID = 1
    private var pending: [Int: Pending] = [:]
    private var progressHandlers: [JSONValue: @Sendable (MCPProgress) -> Void] = [:]
    private var closedReason: MCPTransportError?
    private var closeWaiters: [CheckedContinuation<MCPTransportError, Never>] = []
    private var loop: Task<Void, Never>?

    /// A request waiting for its answer. The answer can arrive before the caller starts waiting
    /// (the actor is re-entered while the request is written), so it is parked in `outcome`.
    private struct Pending {
        var method: String
        var continuation: CheckedContinuation<Result<JSONValue, MCPError>, Never>?
        var outcome: Result<JSONValue, MCPError>?
        var progressToken: JSONValue?
        var timer: Task<Void, Never>?
    }

    /// `sleep` waits the given milliseconds (timeouts); tests may pass their own clock.
    public init(
        serverName: String, transport: any MCPTransport, requestTimeoutMs: Int = 60_000, clientVersion: String = "0",
        notificationBuffer: Int = 1024,
        sleep: @escaping @Sendable (Int) async throws -> Void = { try await Task.sleep(for: .milliseconds($0)) }
    ) {
        self.serverName = serverName
        self.transport = transport
        self.requestTimeoutMs = requestTimeoutMs
        self.clientVersion = clientVersion
        self.sleep = sleep
        (notifications, notificationSink) = AsyncStream.makeStream(
            of: MCPNotification.self, bufferingPolicy: .bufferingOldest(max(notificationBuffer, 1)))
    }

    // MARK: Lifecycle

    /// Starts the transport and performs the handshake: `initialize` offering
    /// `MCPProtocolVersion.offered`, a check of the version the server chose, then
    /// `notifications/initialized`. On any failure the transport is closed.
    @discardableResult
    public func connect() async throws(MCPError) -> MCPServerInfo {
        do {
            try await transport.start()
        } catch {
            throw MCPError(server: serverName, kind: .unavailable, message: error.message)
        }
        let events = transport.events
        loop = Task { [weak self] in
            for await event in events {
                guard let self else { return }
                await self.handle(event)
            }
            await self?.ended(MCPTransportError(.closed, "the connection ended"))
        }
        do {
            let info = try await initialize()
            serverInfo = info
            try await notify("notifications/initialized", params: nil)
            return info
        } catch {
            await close()
            throw error
        }
    }

    private func initialize() async throws(MCPError) -> MCPServerInfo {
        let params: JSONValue = .object([
            "protocolVersion": .string(MCPProtocolVersion.offered),
            "capabilities": .object([:]),
            "clientInfo": .object(["name": "pie", "version": .string(clientVersion)]),
        ])
        let result = try await request("initialize", params: params)
        guard let version = result["protocolVersion"]?.stringValue else {
            throw violation("its initialize result has no protocolVersion")
        }
        guard MCPProtocolVersion.accepted.contains(version) else {
            throw violation(
                "it speaks protocol version \(version), pie offered \(MCPProtocolVersion.offered) and accepts "
                    + MCPProtocolVersion.accepted.joined(separator: ", ")
                    + "; update the server or pie")
        }
        guard let capabilities = result["capabilities"]?.objectValue else {
            throw violation("its initialize result has no capabilities object")
        }
        let serverInfo = result["serverInfo"]
        return MCPServerInfo(
            name: serverInfo?["name"]?.stringValue ?? serverName, version: serverInfo?["version"]?.stringValue ?? "",
            title: serverInfo?["title"]?.stringValue, protocolVersion: version, capabilities: capabilities,
            instructions: result["instructions"]?.stringValue)
    }

    /// Closes the transport; requests in flight fail as closed. Idempotent.
    public func close() async {
        await transport.close()
        ended(MCPTransportError(.closed, "closed by pie"))
    }

    /// Returns when the connection has ended, with the transport's reason (exit status, stderr).
    public func waitUntilClosed() async -> MCPTransportError {
        if let closedReason { return closedReason }
        return await withCheckedContinuation { closeWaiters.append($0) }
    }

    /// Whether the connection has ended.
    public var isClosed: Bool { closedReason != nil }

    // MARK: Tools, resources, prompts

    public func listTools(cursor: String? = nil) async throws(MCPError) -> MCPPage<MCPTool> {
        try await page("tools/list", cursor: cursor, key: "tools", MCPTool.init(json:))
    }

    /// Every tool, following `nextCursor` to the end. Call again after `notifications/tools/list_changed`.
    public func listAllTools() async throws(MCPError) -> [MCPTool] {
        try await all { cursor throws(MCPError) in try await self.listTools(cursor: cursor) }
    }

    /// Calls `name` with `arguments`, which must be a JSON object (the arguments as the model wrote
    /// them; anything else is `.invalidRequest`, and nothing is sent). `onProgress` (when given)
    /// asks for progress with a `_meta.progressToken` and receives each `notifications/progress`.
    /// A result with `isError` is returned, not thrown: it is the tool's answer.
    public func callTool(
        _ name: String, arguments: JSONValue, timeoutMs: Int? = nil,
        onProgress: (@Sendable (MCPProgress) -> Void)? = nil
    ) async throws(MCPError) -> MCPToolResult {
        guard case .object = arguments else {
            throw MCPError(
                server: serverName, kind: .invalidRequest,
                message: "the arguments of tool '\(name)' must be a JSON object, not \(JSONWriter.string(arguments).prefix(80))")
        }
        let params: JSONValue = .object(["name": .string(name), "arguments": arguments])
        let result = try await request("tools/call", params: params, timeoutMs: timeoutMs, onProgress: onProgress)
        do {
            return try MCPToolResult(json: result)
        } catch {
            throw violation("tool '\(name)' returned a malformed result: \(error.reason)")
        }
    }

    public func listResources(cursor: String? = nil) async throws(MCPError) -> MCPPage<MCPResource> {
        try await page("resources/list", cursor: cursor, key: "resources", MCPResource.init(json:))
    }

    public func listAllResources() async throws(MCPError) -> [MCPResource] {
        try await all { cursor throws(MCPError) in try await self.listResources(cursor: cursor) }
    }

    public func readResource(_ uri: String, timeoutMs: Int? = nil) async throws(MCPError) -> [MCPResourceContents] {
        let result = try await request("resources/read", params: .object(["uri": .string(uri)]), timeoutMs: timeoutMs)
        var contents: [MCPResourceContents] = []
        do {
            for item in result["contents"]?.arrayValue ?? [] { contents.append(try MCPResourceContents(json: item)) }
        } catch {
            throw violation("resources/read of '\(uri)' returned \(error.reason)")
        }
        return contents
    }

    /// Asks for `notifications/resources/updated` about `uri` (the server must declare `resources.subscribe`).
    public func subscribe(_ uri: String) async throws(MCPError) {
        _ = try await request("resources/subscribe", params: .object(["uri": .string(uri)]))
    }

    public func unsubscribe(_ uri: String) async throws(MCPError) {
        _ = try await request("resources/unsubscribe", params: .object(["uri": .string(uri)]))
    }

    public func listPrompts(cursor: String? = nil) async throws(MCPError) -> MCPPage<MCPPrompt> {
        try await page("prompts/list", cursor: cursor, key: "prompts", MCPPrompt.init(json:))
    }

    public func listAllPrompts() async throws(MCPError) -> [MCPPrompt] {
        try await all { cursor throws(MCPError) in try await self.listPrompts(cursor: cursor) }
    }

    public func getPrompt(_ name: String, arguments: [String: String] = [:]) async throws(MCPError) -> MCPPromptResult {
        let values = JSONObject(arguments.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) })
        let result = try await request("prompts/get", params: .object(["name": .string(name), "arguments": .object(values)]))
        do {
            return try MCPPromptResult(json: result)
        } catch {
            throw violation("prompts/get of '\(name)' returned \(error.reason)")
        }
    }

    /// `ping`: the server must answer with an empty result.
    public func ping(timeoutMs: Int? = nil) async throws(MCPError) {
        _ = try await request("ping", params: nil, timeoutMs: timeoutMs)
    }

    // MARK: Requests

    /// Sends one request and waits for its answer (the `result` value). The building block of the
    /// methods above, public for methods pie has no wrapper for.
    public func request(
        _ method: String, params: JSONValue?, timeoutMs: Int? = nil, onProgress: (@Sendable (MCPProgress) -> Void)? = nil
    ) async throws(MCPError) -> JSONValue {
        if let closedReason { throw closedError(closedReason) }
        if Task.isCancelled {
            throw MCPError(server: serverName, kind: .cancelled, message: "\(method) was cancelled by pie before it was sent")
        }
        let id = nextID
        nextID += 1
        var params = params
        var token: JSONValue?
        if let onProgress {
            token = .integer(id)
            var object = params?.objectValue ?? [:]
            var meta = object["_meta"]?.objectValue ?? [:]
            meta["progressToken"] = token
            object["_meta"] = .object(meta)
            params = .object(object)
            progressHandlers[.integer(id)] = onProgress
        }
        pending[id] = Pending(method: method, progressToken: token)
        let limit = timeoutMs ?? requestTimeoutMs
        if limit > 0 {
            let sleep = self.sleep
            pending[id]?.timer = Task { [weak self] in
                do { try await sleep(limit) } catch { return }
                await self?.abandon(id, kind: .timeout, reason: "timed out after \(limit) ms")
            }
        }
        do {
            try await transport.send(JSONRPCMessage.request(id: .integer(id), method: method, params: params).json)
        } catch {
            finish(id, .failure(MCPError(server: serverName, kind: .transportClosed, message: "cannot send \(method): \(error.message)")))
        }
        let outcome = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<JSONValue, MCPError>, Never>) in
                guard let parked = pending[id] else {
                    continuation.resume(returning: .failure(MCPError(server: serverName, kind: .cancelled, message: "\(method) was abandoned")))
                    return
                }
                if let outcome = parked.outcome {
                    pending[id] = nil
                    continuation.resume(returning: outcome)
                } else {
                    pending[id]?.continuation = continuation
                }
            }
        } onCancel: {
            Task { await self.abandon(id, kind: .cancelled, reason: "cancelled by pie") }
        }
        return try outcome.get()
    }

    /// Sends a notification (no answer expected).
    public func notify(_ method: String, params: JSONValue?) async throws(MCPError) {
        do {
            try await transport.send(JSONRPCMessage.notification(method: method, params: params).json)
        } catch {
            throw MCPError(server: serverName, kind: .transportClosed, message: "cannot send \(method): \(error.message)")
        }
    }

    /// Gives up on request `id`: the caller gets `kind` at once, and the server is told with
    /// `notifications/cancelled` so it can stop (a late answer is then ignored and counted).
    private func abandon(_ id: Int, kind: MCPError.Kind, reason: String) async {
        guard let entry = pending[id], entry.outcome == nil else { return }
        let message = kind == .timeout
            ? "\(entry.method) \(reason); the server was sent notifications/cancelled. Raise request_timeout_ms if it needs longer"
            : "\(entry.method) was \(reason); the server was sent notifications/cancelled"
        finish(id, .failure(MCPError(server: serverName, kind: kind, message: message)))
        guard entry.method != "initialize", closedReason == nil else { return }
        let params: JSONValue = .object(["requestId": .integer(id), "reason": .string(reason)])
        do {
            try await transport.send(JSONRPCMessage.notification(method: "notifications/cancelled", params: params).json)
        } catch {
            lastSendFailure = "could not send notifications/cancelled for \(entry.method): \(error.message)"
        }
    }

    /// Settles request `id` with `outcome`, whether or not its caller is already waiting.
    private func finish(_ id: Int, _ outcome: Result<JSONValue, MCPError>) {
        guard var entry = pending[id], entry.outcome == nil else { return }
        entry.timer?.cancel()
        if let token = entry.progressToken { progressHandlers[token] = nil }
        if let continuation = entry.continuation {
            pending[id] = nil
            continuation.resume(returning: outcome)
        } else {
            entry.outcome = outcome
            entry.timer = nil
            pending[id] = entry
        }
    }

    private func page<Item>(
        _ method: String, cursor: String?, key: String, _ decode: (JSONValue) throws(JSONRPCShapeError) -> Item
    ) async throws(MCPError) -> MCPPage<Item> {
        let params: JSONValue? = cursor.map { .object(["cursor": .string($0)]) }
        let result = try await request(method, params: params)
        guard let list = result[key]?.arrayValue else { throw violation("its \(method) result has no \(key) array") }
        var items: [Item] = []
        do {
            for item in list { items.append(try decode(item)) }
        } catch {
            throw violation("its \(method) result has \(error.reason)")
        }
        return MCPPage(items: items, nextCursor: result["nextCursor"]?.stringValue)
    }

    /// Follows cursors to the last page; a cursor seen twice or more than 1000 pages is a loop.
    private func all<Item>(_ fetch: (String?) async throws(MCPError) -> MCPPage<Item>) async throws(MCPError) -> [Item] {
        var items: [Item] = []
        var cursor: String?
        var seen: Set<String> = []
        for _ in 0..<1000 {
            let page = try await fetch(cursor)
            items += page.items
            guard let next = page.nextCursor else { return items }
            guard seen.insert(next).inserted else { throw violation("its list pagination repeats cursor '\(next)'") }
            cursor = next
        }
        throw violation("its list has more than 1000 pages")
    }

    // MARK: Incoming

    private func handle(_ event: MCPTransportEvent) async {
        switch event {
        case .message(.array(let batch)):
            // JSON-RPC batches (2025-03-26 allowed them): each member on its own.
            for member in batch { await handleMessage(member) }
        case .message(let value):
            await handleMessage(value)
        case .malformed(let description):
            counters.malformedMessages += 1
            lastMalformed = description
        case .closed(let reason):
            ended(reason)
        }
    }

    private func handleMessage(_ value: JSONValue) async {
        let message: JSONRPCMessage
        do {
            message = try JSONRPCMessage(value)
        } catch {
            counters.malformedMessages += 1
            lastMalformed = "not JSON-RPC 2.0: \(error.reason)"
            return
        }
        switch message {
        case .result(let id, let result):
            settle(id, .success(result))
        case .error(let id?, let code, let text, let data):
            let method = id.intValue.flatMap { pending[$0]?.method } ?? "a request"
            settle(id, .failure(MCPError(server: serverName, kind: .server(code: code, data: data), message: "\(method) failed: \(text) (JSON-RPC error \(code))")))
        case .error(nil, let code, let text, _):
            counters.malformedMessages += 1
            lastMalformed = "an error without a request id: \(text) (\(code))"
        case .request(let id, let method, _):
            await answer(id: id, method: method)
        case .notification(let method, let params):
            received(MCPNotification(method: method, params: params))
        }
    }

    private func settle(_ id: JSONValue, _ outcome: Result<JSONValue, MCPError>) {
        guard let number = id.intValue, Double(number) == id.doubleValue, pending[number]?.outcome == nil,
            pending[number] != nil
        else {
            counters.unknownResponses += 1
            return
        }
        finish(number, outcome)
    }

    /// Server requests: `ping` is answered; everything else pie declared no capability for.
    private func answer(id: JSONValue, method: String) async {
        let reply: JSONRPCMessage
        if method == "ping" {
            reply = .result(id: id, result: .object([:]))
        } else {
            counters.refusedServerRequests += 1
            reply = .error(
                id: id, code: JSONRPCMessage.methodNotFound,
                message: "Method not found: pie does not offer \(method) (it declared no such client capability)", data: nil)
        }
        do {
            try await transport.send(reply.json)
        } catch {
            lastSendFailure = "could not answer the server's \(method): \(error.message)"
        }
    }

    private func received(_ notification: MCPNotification) {
        switch notification.method {
        case "notifications/progress":
            if let token = notification.params?["progressToken"], let handler = progressHandlers[normalized(token)],
                let progress = notification.params?["progress"]?.doubleValue
            {
                handler(
                    MCPProgress(
                        progress: progress, total: notification.params?["total"]?.doubleValue,
                        message: notification.params?["message"]?.stringValue))
            }
        case "notifications/tools/list_changed": counters.toolsListChanged += 1
        case "notifications/resources/list_changed": counters.resourcesListChanged += 1
        case "notifications/prompts/list_changed": counters.promptsListChanged += 1
        default: break
        }
        if case .dropped = notificationSink.yield(notification) { counters.droppedNotifications += 1 }
    }

    /// Progress tokens come back as sent; a server that turns the number into a string still matches.
    private func normalized(_ token: JSONValue) -> JSONValue {
        if case .string(let text) = token, let number = Int(text) { return .integer(number) }
        return token
    }

    /// The connection ended: every request in flight fails now, with the transport's reason.
    private func ended(_ reason: MCPTransportError) {
        guard closedReason == nil else { return }
        closedReason = reason
        for id in pending.keys.sorted() { finish(id, .failure(closedError(reason))) }
        notificationSink.finish()
        let waiters = closeWaiters
        closeWaiters = []
        waiters.forEach { $0.resume(returning: reason) }
    }

    private func closedError(_ reason: MCPTransportError) -> MCPError {
        MCPError(server: serverName, kind: .transportClosed, message: "the connection ended: \(reason.message)")
    }

    private func violation(_ what: String) -> MCPError {
        MCPError(server: serverName, kind: .protocolViolation, message: "protocol violation: \(what)")
    }
}
