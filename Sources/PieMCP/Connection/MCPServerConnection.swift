import PieJSON
import PieSandbox

/// One configured server, kept running: starts it, and when it dies fails its in-flight calls at
/// once (with the exit status and the tail of its stderr) and starts it again with exponential
/// backoff (`MCPRestartPolicy`). What the lead's tool layer talks to.
///
/// Notifications of every incarnation arrive on one stream, `notifications`. A restarted server
/// may offer different tools: `toolListStamp` changes, and callers list again. Resource
/// subscriptions made through `subscribe` are renewed on every restarted server, after its
/// `initialize` and before it counts as ready, so a watcher never has to notice the restart.
public actor MCPServerConnection {
    public nonisolated let name: String
    /// Every notification of the server, across restarts (bounded like `MCPClient.notifications`).
    public nonisolated let notifications: AsyncStream<MCPNotification>

    public private(set) var status: MCPConnectionStatus = .idle
    /// How many times the server was started again after it died.
    public private(set) var restarts = 0
    /// Notifications dropped because the consumer of `notifications` fell behind.
    public private(set) var droppedNotifications = 0

    private let sink: AsyncStream<MCPNotification>.Continuation
    private let makeTransport: @Sendable () -> any MCPTransport
    private let requestTimeoutMs: Int
    private let restartPolicy: MCPRestartPolicy
    private let clock: any MCPClock
    private var current: MCPClient?
    /// The latest transport, kept after the server died so its stderr can still be shown.
    private var lastTransport: (any MCPTransport)?
    private var generation = 0
    private var restarter: Task<Void, Never>?
    /// The URIs `subscribe` asked for, renewed after each restart.
    private var subscriptions: Set<String> = []
    /// Why renewing a subscription failed on the latest restart, one line per URI.
    public private(set) var resubscribeFailures: [String] = []
    /// Told after each restart (serve logs it): how many so far, and the renewals refused.
    private var restartObserver: (@Sendable (_ restarts: Int, _ refusedRenewals: [String]) -> Void)?

    public init(
        name: String, requestTimeoutMs: Int = 60_000, restart: MCPRestartPolicy = MCPRestartPolicy(),
        clock: any MCPClock = MCPSystemClock(), notificationBuffer: Int = 1024,
        makeTransport: @escaping @Sendable () -> any MCPTransport
    ) {
        self.name = name
        self.requestTimeoutMs = requestTimeoutMs
        self.restartPolicy = restart
        self.clock = clock
        self.makeTransport = makeTransport
        (notifications, sink) = AsyncStream.makeStream(
            of: MCPNotification.self, bufferingPolicy: .bufferingOldest(max(notificationBuffer, 1)))
    }

    /// A stdio server started in its sandbox (`MCPStdioLaunch`), a fresh process per (re)start.
    public init(
        name: String, launch: MCPStdioLaunch, services: SandboxServices, requestTimeoutMs: Int = 60_000,
        restart: MCPRestartPolicy = MCPRestartPolicy(), clock: any MCPClock = MCPSystemClock(), graceMs: Int = 2000
    ) {
        self.init(name: name, requestTimeoutMs: requestTimeoutMs, restart: restart, clock: clock) {
            MCPStdioTransport(serverName: name, launch: launch, services: services, graceMs: graceMs)
        }
    }

    /// Starts the server and performs the handshake. A failure here is final (no restarts):
    /// configuration errors should be seen, not retried.
    @discardableResult
    public func start() async throws(MCPError) -> MCPServerInfo {
        switch status {
        case .idle, .failed: break
        case .ready(let info): return info
        case .starting, .restarting:
            throw MCPError(server: name, kind: .unavailable, message: "is already starting")
        case .closed:
            throw MCPError(server: name, kind: .unavailable, message: "was closed; make a new connection")
        }
        status = .starting
        do {
            return try await connect()
        } catch {
            if status != .closed { status = .failed(error.message) }
            throw error
        }
    }

    /// The client of the running server, or `.unavailable` saying why there is none.
    public func client() throws(MCPError) -> MCPClient {
        guard case .ready = status, let current else { throw unavailable() }
        return current
    }

    public var serverInfo: MCPServerInfo? {
        if case .ready(let info) = status { return info }
        return nil
    }

    /// Every tool the server offers now (all pages).
    public func listTools() async throws(MCPError) -> [MCPTool] {
        try await client().listAllTools()
    }

    /// What the server's tool list is as of now: its incarnation and the `tools/list_changed`
    /// notifications that incarnation sent. A caller that listed at one stamp lists again when
    /// the stamp differs. The client counts a notification before it reads the next message, so
    /// a change the server announced before a call's result is in the stamp once the call returns.
    public func toolListStamp() async -> MCPToolListStamp {
        MCPToolListStamp(incarnation: generation, changes: await current?.counters.toolsListChanged ?? 0)
    }

    /// Subscribes to `uri` (`resources/subscribe`) now and again on every restarted server.
    public func subscribe(_ uri: String) async throws(MCPError) {
        try await client().subscribe(uri)
        subscriptions.insert(uri)
    }

    /// Calls `observer` after each restart with the count so far and `resubscribeFailures`.
    public func observeRestarts(_ observer: @escaping @Sendable (_ restarts: Int, _ refusedRenewals: [String]) -> Void) {
        restartObserver = observer
    }

    /// Ends the subscription to `uri`; a server restarted later is not asked for it again.
    public func unsubscribe(_ uri: String) async throws(MCPError) {
        subscriptions.remove(uri)
        try await client().unsubscribe(uri)
    }

    /// Calls a tool with a JSON object of arguments; see `MCPClient.callTool`.
    public func callTool(
        _ tool: String, arguments: JSONValue, timeoutMs: Int? = nil,
        onProgress: (@Sendable (MCPProgress) -> Void)? = nil
    ) async throws(MCPError) -> MCPToolResult {
        try await client().callTool(tool, arguments: arguments, timeoutMs: timeoutMs, onProgress: onProgress)
    }

    /// The newest bytes of the server's stderr (stdio servers only), also after it died.
    public func stderrTail(_ limit: Int = MCPStdioTransport.stderrQuoteBytes) -> String? {
        (lastTransport as? MCPStdioTransport)?.stderrTail(limit)
    }

    /// The running server's process id (stdio servers only).
    public var processID: Int32? {
        guard case .ready = status else { return nil }
        return (lastTransport as? MCPStdioTransport)?.processID
    }

    /// Stops the server (stdin closed, SIGTERM, SIGKILL) and any pending restart. Final.
    public func close() async {
        status = .closed
        restarter?.cancel()
        restarter = nil
        let client = current
        current = nil
        await client?.close()
        sink.finish()
    }

    // MARK: Supervision

    private func connect() async throws(MCPError) -> MCPServerInfo {
        generation += 1
        let incarnation = generation
        let transport = makeTransport()
        lastTransport = transport
        let client = MCPClient(serverName: name, transport: transport, requestTimeoutMs: requestTimeoutMs)
        let info = try await client.connect()
        guard status != .closed else {
            await client.close()
            throw unavailable()
        }
        await resubscribe(on: client)
        guard status != .closed else {
            await client.close()
            throw unavailable()
        }
        current = client
        status = .ready(info)
        let sink = self.sink
        Task { [weak self] in
            for await notification in client.notifications {
                if case .dropped = sink.yield(notification) { await self?.countDrop() }
            }
        }
        Task { [weak self] in
            let reason = await client.waitUntilClosed()
            await self?.lost(incarnation, reason: reason.message)
        }
        return info
    }

    private func countDrop() { droppedNotifications += 1 }

    /// Asks a freshly started server for every subscription made before. A refusal is kept in
    /// `resubscribeFailures` and does not stop the server: its tools still work.
    private func resubscribe(on client: MCPClient) async {
        var failures: [String] = []
        for uri in subscriptions.sorted() {
            do {
                try await client.subscribe(uri)
            } catch {
                failures.append("\(uri): \(error.message)")
            }
        }
        resubscribeFailures = failures
    }

    /// The server of `incarnation` ended. Its client has already failed the calls in flight.
    private func lost(_ incarnation: Int, reason: String) {
        guard incarnation == generation, case .ready = status else { return }
        current = nil
        guard restartPolicy.maxAttempts > 0 else {
            status = .failed(reason)
            return
        }
        status = .restarting(attempt: 1, delayMs: restartPolicy.delayMs(attempt: 1), reason: reason)
        restarter = Task { await self.restartLoop(after: reason) }
    }

    private func restartLoop(after reason: String) async {
        var last = reason
        for attempt in 1...restartPolicy.maxAttempts {
            let delay = restartPolicy.delayMs(attempt: attempt)
            status = .restarting(attempt: attempt, delayMs: delay, reason: last)
            do {
                try await clock.sleep(milliseconds: delay)
            } catch {
                return
            }
            guard case .restarting = status else { return }
            do {
                _ = try await connect()
                restarts += 1
                restartObserver?(restarts, resubscribeFailures)
                return
            } catch {
                last = error.message
            }
            guard case .restarting = status else { return }
        }
        status = .failed("gave up after \(restartPolicy.maxAttempts) restart attempts; the last: \(last)")
    }

    private func unavailable() -> MCPError {
        let message: String
        switch status {
        case .idle: message = "is not started"
        case .starting: message = "is still starting"
        case .ready: message = "is not connected"
        case .restarting(let attempt, let delayMs, let reason):
            message = "is restarting (attempt \(attempt) of \(restartPolicy.maxAttempts) in \(delayMs) ms) after: \(reason)"
        case .failed(let reason): message = "is not running: \(reason). Run `pie mcp doctor \(name)` to see why"
        case .closed: message = "was closed"
        }
        return MCPError(server: name, kind: .unavailable, message: message)
    }
}
