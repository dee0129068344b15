import PieJSON
import PieLocal
import Synchronization

/// The HTTP requests themselves: headers, one transfer, the limits, and what a status means.
extension StreamableHTTPTransport {
    /// How one transfer ended, when it was not cancelled.
    enum TransferEnd {
        case complete
        /// The connection broke after the response began (a stream may be resumed).
        case dropped(String)
        /// No response: refused, unresolvable, no connection in time.
        case failed(MCPTransportError)
    }

    /// What the server is told about the session, by kind of request.
    enum SessionHeaders {
        /// `initialize` starts a new session: no id, no version.
        case none
        case current
    }

    func headers(accept: String, session: SessionHeaders, lastEventID: String = "", contentType: Bool = false) -> [(name: String, value: String)] {
        var fields = configuration.headers.map { (name: $0.name, value: $0.value) }
        if let token = configuration.bearerToken { fields.append((name: "Authorization", value: "Bearer \(token)")) }
        fields.append((name: "Accept", value: accept))
        if contentType { fields.append((name: "Content-Type", value: "application/json")) }
        if case .current = session {
            let (id, version) = state.withLock { ($0.sessionID, $0.protocolVersion) }
            if let id { fields.append((name: "Mcp-Session-Id", value: id)) }
            if let version { fields.append((name: "MCP-Protocol-Version", value: version)) }
        }
        if !lastEventID.isEmpty { fields.append((name: "Last-Event-ID", value: lastEventID)) }
        return fields
    }

    /// Whether `request` named a session: only then does a 404 mean the session expired.
    static func carriesSession(_ request: HTTPRequest) -> Bool {
        request.headers.contains { $0.name == "Mcp-Session-Id" }
    }

    /// Runs one transfer into `reader`. `onHead` sees the head first (the session id must be
    /// known before the client, reading the streamed `initialize` result, sends its next message).
    ///
    /// - Throws: `CancellationError` when the task was cancelled; every other failure is returned.
    func perform(
        _ request: HTTPRequest, into reader: ResponseReader, onHead: @escaping @Sendable (HTTPResponseHead) -> Void = { _ in }
    ) async throws -> TransferEnd {
        let place = "\(request.method) \(display)"
        do {
            try await http.send(request) { head in
                onHead(head)
                reader.receiveHead(head)
            } onBody: { chunk in
                reader.receiveBody(chunk)
            }
            return .complete
        } catch let error as ProviderError {
            switch error {
            case .cancelled:
                throw CancellationError()
            case .connectionLost(let detail):
                return .dropped(detail)
            case .timeout:
                return .failed(MCPTransportError(.timeout, "The MCP server at \(display) could not be connected to in time (\(request.method)); is it running and reachable?"))
            case .connect(_, let detail):
                return .failed(MCPTransportError(.unreachable, "Cannot reach the MCP server at \(display) (\(request.method)): \(mask.apply(detail)). Is the server running, and is `endpoint` right?"))
            default:
                return .failed(MCPTransportError(.unreachable, "\(place) failed: \(mask.apply(error.message))"))
            }
        } catch {
            if Task.isCancelled { throw CancellationError() }
            return .failed(MCPTransportError(.unreachable, "\(place) failed: \(mask.apply(String(describing: error)))"))
        }
    }

    /// Runs `body` within `milliseconds` on the injected clock; `nil` means no limit.
    func bounded(
        _ milliseconds: Int?, _ timeoutError: @escaping @Sendable () -> MCPTransportError, _ body: @escaping @Sendable () async throws -> Void
    ) async throws {
        guard let milliseconds else {
            try await body()
            return
        }
        let clock = self.clock
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await body()
                return true
            }
            group.addTask {
                try await clock.sleep(for: .milliseconds(milliseconds))
                return false
            }
            defer { group.cancelAll() }
            guard let finished = try await group.next(), finished else { throw timeoutError() }
        }
    }

    /// Why a finished response cannot be used, if it cannot: a status other than 2xx, a type the
    /// request does not allow, a body over the cap. 404 with a session id is the caller's (expiry).
    func problem(with outcome: ResponseReader.Outcome, of request: HTTPRequest) -> MCPTransportError? {
        let place = "The MCP server at \(display) answered \(request.method)"
        if outcome.tooLarge {
            return MCPTransportError(
                .protocolViolation,
                "\(place) with a message larger than \(Self.mebibytes(configuration.maximumMessageBytes)) (the transport's cap on one JSON body or SSE event); the message was dropped.")
        }
        let status = outcome.status
        if (300..<400).contains(status) {
            let target = outcome.headers["location"].map { " to \(mask.apply(EndpointText.display($0)))" } ?? ""
            return MCPTransportError(
                .protocolViolation,
                "\(place) with HTTP \(status), a redirect\(target). Redirects are not followed (credentials go only to the configured endpoint): set `endpoint` to the URL the server names.")
        }
        if !(200..<300).contains(status) {
            let body = outcome.bytes.isEmpty ? "(no body)" : mask.brief(outcome.bytes)
            var hint = ""
            if status == 401 || status == 403 { hint = " Check the server's `auth` token (a bearer token from the environment or auth.json)." }
            if (status == 404 || status == 405) && request.method == "POST" && !Self.carriesSession(request) {
                hint = " Is `endpoint` the server's MCP endpoint? (Servers that speak only the 2024-11-05 HTTP+SSE transport are not supported.)"
            }
            return MCPTransportError(.protocolViolation, "\(place) with HTTP \(status): \(body).\(hint)")
        }
        if case .unexpectedType(let type) = outcome.body {
            let allowed = request.method == "GET" ? "text/event-stream" : "application/json or text/event-stream"
            return MCPTransportError(.protocolViolation, "\(place) with Content-Type \(mask.apply(type)); an MCP endpoint answers \(allowed).")
        }
        return nil
    }

    /// Statuses worth trying a stream again for: the server is busy, restarting or still holds
    /// the previous stream (409).
    static func isRetryable(status: Int) -> Bool {
        [408, 409, 425, 429].contains(status) || status >= 500
    }

    static func mebibytes(_ bytes: Int) -> String {
        bytes % (1024 * 1024) == 0 ? "\(bytes / (1024 * 1024)) MiB" : "\(bytes) bytes"
    }

    func sessionExpired(during summary: String) -> MCPTransportError {
        MCPTransportError(
            .closed,
            "The MCP server at \(display) answered the \(summary) with 404: the session expired. Start a new session (initialize again).")
    }

    /// DELETEs the session; a server may refuse (405) or have forgotten it (404). Nothing is
    /// reported: the transport is closing and has nobody left to tell.
    func deleteSession() async {
        let request = HTTPRequest(method: "DELETE", url: configuration.endpoint, headers: headers(accept: "application/json, text/event-stream", session: .current))
        let reader = ResponseReader(expectation: .acknowledgement, awaiting: [], limit: configuration.maximumMessageBytes, source: "DELETE \(display)") { _ in }
        let limit = min(configuration.requestTimeoutMilliseconds ?? Self.deleteTimeoutMilliseconds, Self.deleteTimeoutMilliseconds)
        do {
            try await bounded(limit, { MCPTransportError(.timeout, "DELETE timed out") }) {
                _ = try await self.perform(request, into: reader)
            }
        } catch {
            return
        }
    }

    /// How long `close()` waits for the DELETE.
    static let deleteTimeoutMilliseconds = 5_000
}
