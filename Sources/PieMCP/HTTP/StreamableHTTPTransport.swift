import PieJSON
import PieLocal
import Synchronization

/// MCP's streamable HTTP transport (protocol revisions 2025-03-26, 2025-06-18 and later) over
/// PieLocal's `HTTPTransport` (libcurl).
///
/// Each `send` POSTs one message to the endpoint. A request is answered with one JSON value or an
/// SSE stream whose messages arrive through `events` in order; a notification or response is
/// acknowledged with 202. The `Mcp-Session-Id` the server assigns in its answer to `initialize`
/// and the protocol version its result names are sent with every later request. Once
/// `notifications/initialized` is accepted, a GET stream carries the server's own messages; it is
/// reconnected with `Last-Event-ID` when it breaks (a 405 means the server offers none). A POST's
/// stream that breaks before its response is resumed the same way. A 404 for a request carrying
/// the session id means the session expired: `.closed` follows, and the client starts over with
/// a new transport and `initialize`. `close()` DELETEs the session.
///
/// The older HTTP+SSE transport of 2024-11-05 (a GET stream announcing a POST endpoint) is not
/// spoken. Redirects are not followed, so requests and the bearer token reach the configured
/// endpoint and nothing else.
public final class StreamableHTTPTransport: MCPTransport {
    public let configuration: StreamableHTTPConfiguration
    public let events: AsyncStream<MCPTransportEvent>

    let continuation: AsyncStream<MCPTransportEvent>.Continuation
    let http: any HTTPTransport
    let clock: any RetryClock
    let mask: CredentialMask
    let state = Mutex(State())

    struct State {
        var closed = false
        /// Why the server ended the transport (session expired); `nil` after `close()`.
        var failure: MCPTransportError?
        var sessionID: String?
        var protocolVersion: String?
        /// `initialize` requests whose results have not arrived.
        var pendingInitializeIDs: Set<JSONValue> = []
        /// Requests posted whose responses have not been handed on: a failed POST answers these.
        var awaiting: Set<JSONValue> = []
        var serverStream = ServerMessageStreamState.notOpened
        var serverStreamTask: Task<Void, Never>?
        /// Each POST in progress, so `close()` and `notifications/cancelled` can abort it.
        var inFlight: [Int: InFlight] = [:]
        var nextExchange = 0
    }

    struct InFlight {
        let task: Task<Void, any Error>
        let requestIDs: Set<JSONValue>
    }

    /// The JSON-RPC error code of the error responses the transport itself puts in place of an
    /// answer the server could not give (its POST failed, timed out or broke); `data.transport`
    /// names the `MCPTransportError.Kind`. In the range JSON-RPC leaves to implementations.
    public static let transportFailureCode = -32000

    /// - Parameters:
    ///   - http: the network; `CurlTransport` without a request timeout (the transport bounds each
    ///     message itself, and the GET stream must stay open).
    ///   - clock: waits between reconnections and for `request_timeout_ms`.
    public init(configuration: StreamableHTTPConfiguration, http: any HTTPTransport, clock: any RetryClock = SystemRetryClock()) {
        self.configuration = configuration
        self.http = http
        self.clock = clock
        mask = CredentialMask(configuration)
        (events, continuation) = AsyncStream.makeStream(of: MCPTransportEvent.self, bufferingPolicy: .unbounded)
    }

    /// Over libcurl, loaded now so that a missing library is reported before any request.
    public convenience init(configuration: StreamableHTTPConfiguration) throws(MCPTransportError) {
        let curl: CurlTransport
        do {
            curl = try CurlTransport()
        } catch {
            throw MCPTransportError(.unreachable, "Cannot reach the MCP server at \(configuration.displayEndpoint): \(error)")
        }
        self.init(configuration: configuration, http: curl)
    }

    /// The session id the server assigned at initialisation, if any.
    public var sessionID: String? { state.withLock { $0.sessionID } }
    /// The protocol version the server's `initialize` result named, sent as `MCP-Protocol-Version`.
    public var protocolVersion: String? { state.withLock { $0.protocolVersion } }
    /// What became of the GET stream for the server's own messages (for `pie mcp doctor`).
    public var serverMessageStream: ServerMessageStreamState { state.withLock { $0.serverStream } }

    var display: String { configuration.displayEndpoint }

    /// HTTP needs no connection before the first message; only a closed transport refuses.
    public func start() async throws(MCPTransportError) {
        if state.withLock({ $0.closed }) { throw closedError }
    }

    /// Sends one message as one POST.
    ///
    /// A notification or response is sent before `send` returns: the server's 202 (or the
    /// failure) is known, and cancelling the calling task aborts the transfer. A request is handed
    /// to a POST of its own and `send` returns at once, as a write to a pipe would: its answer,
    /// whether JSON or an SSE stream, arrives through `events`, and if the POST fails the
    /// transport answers the request itself with a JSON-RPC error (`transportFailureCode`) naming
    /// the problem. Waiting for the answer is the client's (a JSON answer comes only when the tool
    /// is done), and so are its timeout and `notifications/cancelled`, which ends the request's
    /// POST here too.
    public func send(_ message: JSONValue) async throws(MCPTransportError) {
        let outgoing = try OutgoingMessage(message)
        let body = JSONWriter.bytes(message)
        if Task.isCancelled { throw cancelled(outgoing) }
        let registered = state.withLock { state -> (Int, Task<Void, any Error>)? in
            guard !state.closed else { return nil }
            state.pendingInitializeIDs.formUnion(outgoing.initializeIDs)
            state.awaiting.formUnion(outgoing.requestIDs)
            let number = state.nextExchange
            state.nextExchange += 1
            let work: Task<Void, any Error> =
                outgoing.requestIDs.isEmpty
                ? Task { try await self.exchange(outgoing, body: body) }
                : Task { await self.exchangeInBackground(number, outgoing, body: body) }
            state.inFlight[number] = InFlight(task: work, requestIDs: outgoing.requestIDs)
            return (number, work)
        }
        guard let (number, work) = registered else { throw closedError }
        if !outgoing.requestIDs.isEmpty { return }
        defer {
            state.withLock { _ = $0.inFlight.removeValue(forKey: number) }
            // Whether or not the server heard it, the client has given up on these.
            abandon(outgoing.cancelledRequestIDs)
        }
        do {
            try await withTaskCancellationHandler {
                try await work.value
            } onCancel: {
                work.cancel()
            }
        } catch let error as MCPTransportError {
            throw error
        } catch {
            if state.withLock({ $0.closed }) { throw closedError }
            throw cancelled(outgoing)
        }
    }

    private func cancelled(_ outgoing: OutgoingMessage) -> MCPTransportError {
        MCPTransportError(.closed, "Cancelled: the \(outgoing.summary) to the MCP server at \(display) was not sent, or its answer not awaited.")
    }

    /// A request's POST, run apart from the caller. Its failure becomes the answer to each of its
    /// requests that is still unanswered.
    private func exchangeInBackground(_ number: Int, _ outgoing: OutgoingMessage, body: [UInt8]) async {
        defer { state.withLock { _ = $0.inFlight.removeValue(forKey: number) } }
        do {
            try await exchange(outgoing, body: body)
        } catch let error as MCPTransportError {
            answer(outgoing.requestIDs, with: error)
        } catch {
            // Aborted: by close() (nobody is listening), or by notifications/cancelled for one of
            // its requests, whose batch companions (2025-03-26) are then answered here.
            answer(outgoing.requestIDs, with: MCPTransportError(.closed, "The \(outgoing.summary) to the MCP server at \(display) was abandoned with a request it was sent with."))
        }
    }

    /// Puts an error response in place of each of `ids` still awaiting its answer.
    func answer(_ ids: Set<JSONValue>, with error: MCPTransportError) {
        let open = state.withLock { state in ids.filter { state.awaiting.contains($0) } }
        for id in open.sorted(by: { $0.rendered < $1.rendered }) {
            let kind: String =
                switch error.kind {
                case .unreachable: "unreachable"
                case .closed: "closed"
                case .protocolViolation: "protocolViolation"
                case .timeout: "timeout"
                }
            emit(.message([
                "jsonrpc": "2.0", "id": id,
                "error": [
                    "code": .integer(Self.transportFailureCode), "message": .string(error.message),
                    "data": ["transport": .string(kind), "endpoint": .string(display)],
                ],
            ]))
        }
    }

    /// The client gave up on `ids` (it sent `notifications/cancelled`): their POSTs are aborted and
    /// no answer is made up for them.
    private func abandon(_ ids: Set<JSONValue>) {
        guard !ids.isEmpty else { return }
        let tasks = state.withLock { state in
            state.awaiting.subtract(ids)
            return state.inFlight.values.filter { !$0.requestIDs.isDisjoint(with: ids) }.map(\.task)
        }
        tasks.forEach { $0.cancel() }
    }

    public func close() async {
        let taken = state.withLock { state -> (stream: Task<Void, Never>?, work: [Task<Void, any Error>], session: String?)? in
            guard !state.closed else { return nil }
            state.closed = true
            state.serverStream = .closed
            defer {
                state.serverStreamTask = nil
                state.inFlight = [:]
            }
            return (state.serverStreamTask, state.inFlight.values.map(\.task), state.sessionID)
        }
        guard let taken else { return }
        taken.stream?.cancel()
        taken.work.forEach { $0.cancel() }
        await taken.stream?.value
        for work in taken.work { _ = await work.result }
        if taken.session != nil { await deleteSession() }
        continuation.yield(.closed(closedError))
        continuation.finish()
    }

    /// What a send on a closed transport throws: the reason the server gave, if it gave one.
    var closedError: MCPTransportError {
        state.withLock { $0.failure }
            ?? MCPTransportError(.closed, "The connection to the MCP server at \(display) is closed.")
    }

    /// Ends the transport for a reason the server caused (the session expired): `.closed` with
    /// it, the stream finished, everything in flight aborted.
    func fail(_ error: MCPTransportError) {
        let taken = state.withLock { state -> (Task<Void, Never>?, [Task<Void, any Error>])? in
            guard !state.closed else { return nil }
            state.closed = true
            state.failure = error
            state.serverStream = .closed
            // Under the lock, as `emit` yields: nothing can follow `.closed`.
            continuation.yield(.closed(error))
            continuation.finish()
            defer {
                state.serverStreamTask = nil
                state.inFlight = [:]
            }
            return (state.serverStreamTask, state.inFlight.values.map(\.task))
        }
        guard let (stream, work) = taken else { return }
        stream?.cancel()
        work.forEach { $0.cancel() }
    }

    /// Hands a server message to the client, learning the negotiated protocol version from the
    /// result of `initialize` on the way. Once the transport is closed nothing more is handed on.
    func emit(_ event: MCPTransportEvent) {
        let event = if case .malformed(let text) = event { MCPTransportEvent.malformed(mask.apply(text)) } else { event }
        state.withLock { state in
            guard !state.closed else { return }
            if case .message(let message) = event, let id = OutgoingMessage.responseID(of: message) {
                state.awaiting.remove(id)
                if state.pendingInitializeIDs.remove(id) != nil,
                   let version = message["result"]?["protocolVersion"]?.stringValue, Self.isVisibleASCII(version)
                {
                    state.protocolVersion = version
                }
            }
            continuation.yield(event)
        }
    }

    /// Session ids and version strings become header values: visible ASCII only (0x21–0x7E), as
    /// the specification requires of session ids, so a server cannot inject a header.
    static func isVisibleASCII(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { $0 >= 0x21 && $0 <= 0x7E }
    }
}

/// The GET stream over which a server sends requests and notifications of its own.
public enum ServerMessageStreamState: Sendable, Equatable {
    /// Initialisation has not completed yet.
    case notOpened
    /// Connected, or reconnecting after a break.
    case open
    /// The server answered the GET with 405: it sends nothing outside responses.
    case unsupported
    /// Given up after repeated failures; the reason.
    case failed(String)
    /// The transport is closed.
    case closed
}
