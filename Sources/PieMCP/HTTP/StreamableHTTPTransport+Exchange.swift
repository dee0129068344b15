import PieJSON
import PieLocal
import Synchronization

/// One message sent: its POST, and for a request whose SSE stream broke early, the GETs that
/// resume that stream with `Last-Event-ID` until the response arrives.
extension StreamableHTTPTransport {
    func exchange(_ outgoing: OutgoingMessage, body: [UInt8]) async throws {
        let timeout = configuration.requestTimeoutMilliseconds
        let display = self.display
        try await bounded(timeout, {
            MCPTransportError(
                .timeout,
                "The MCP server at \(display) did not answer the \(outgoing.summary) within \(timeout ?? 0) ms (request_timeout_ms).")
        }) {
            try await self.post(outgoing, body: body)
        }
    }

    private func post(_ outgoing: OutgoingMessage, body: [UInt8]) async throws {
        let starting = !outgoing.initializeIDs.isEmpty
        let request = HTTPRequest(
            method: "POST", url: configuration.endpoint,
            headers: headers(accept: "application/json, text/event-stream", session: starting ? .none : .current, contentType: true),
            body: body)
        let reader = ResponseReader(
            expectation: outgoing.requestIDs.isEmpty ? .acknowledgement : .jsonOrStream, awaiting: outgoing.requestIDs,
            limit: configuration.maximumMessageBytes, source: "POST \(display)"
        ) { [weak self] event in self?.emit(event) }
        let end = try await perform(request, into: reader) { [weak self] head in
            guard starting, let self else { return }
            if !self.adoptSession(from: head) { reader.refuse() }
        }
        if case .failed(let error) = end { throw error }
        let outcome = reader.outcome
        if outcome.status == 404 && Self.carriesSession(request) {
            let error = sessionExpired(during: outgoing.summary)
            fail(error)
            throw error
        }
        if let problem = problem(with: outcome, of: request) { throw problem }
        if starting, let id = outcome.headers["mcp-session-id"], !Self.isVisibleASCII(id) {
            throw MCPTransportError(
                .protocolViolation,
                "The MCP server at \(display) assigned a session id with characters outside visible ASCII; it was not used.")
        }
        if outgoing.requestIDs.isEmpty {
            if outgoing.completesInitialization { openServerStream() }
            return
        }
        if case .dropped(let detail) = end, outcome.body != .stream {
            throw MCPTransportError(
                .unreachable,
                "The MCP server at \(display) dropped the connection in the middle of its answer to the \(outgoing.summary) (\(mask.apply(detail))).")
        }
        switch outcome.body {
        case .json:
            do {
                try reader.deliverJSONBody()
            } catch {
                throw MCPTransportError(
                    .protocolViolation,
                    "The MCP server at \(display) answered the \(outgoing.summary) with a body that is not JSON (\(error)): \(mask.brief(outcome.bytes))")
            }
            let unanswered = reader.outcome.unanswered
            if !unanswered.isEmpty {
                throw MCPTransportError(
                    .protocolViolation,
                    "The MCP server at \(display) answered the \(outgoing.summary) with JSON holding no response to request \(Self.list(unanswered)).")
            }
        case .stream:
            // A response may have come another way (a resumed stream); only the rest is awaited.
            let open = state.withLock { outcome.unanswered.intersection($0.awaiting) }
            guard !open.isEmpty else { return }
            try await resume(outgoing, after: outcome, end: end)
        case .none, .unexpectedType, .failure, .refused:
            throw MCPTransportError(
                .protocolViolation,
                "The MCP server at \(display) answered the \(outgoing.summary) with HTTP \(outcome.status) and no body; a request is answered with application/json or text/event-stream.")
        }
    }

    /// Takes the session id from the answer to `initialize` (a new session replaces the old).
    /// Returns false for an id that cannot be sent back (not visible ASCII): the answer is then
    /// refused whole, so the client does not go on without the session.
    private func adoptSession(from head: HTTPResponseHead) -> Bool {
        guard (200..<300).contains(head.status), let id = head.headers["mcp-session-id"] else { return true }
        guard Self.isVisibleASCII(id) else { return false }
        state.withLock { $0.sessionID = id }
        return true
    }

    /// The POST's stream ended before every response arrived: GET with `Last-Event-ID` (after the
    /// server's `retry:`, or the policy's backoff) until they do, the server refuses, or the
    /// attempts run out without progress.
    private func resume(_ outgoing: OutgoingMessage, after first: ResponseReader.Outcome, end firstEnd: TransferEnd) async throws {
        var lastEventID = first.lastEventID
        var retry = first.retryMilliseconds
        var unanswered = first.unanswered
        var cause = Self.describe(firstEnd)
        guard !lastEventID.isEmpty else {
            throw MCPTransportError(
                .unreachable,
                "The MCP server at \(display) \(cause) before the response to the \(outgoing.summary) arrived, and sent no event id to resume the stream from.")
        }
        let policy = configuration.reconnect
        var attempt = 0
        while true {
            attempt += 1
            if attempt > policy.maximumAttempts {
                throw MCPTransportError(
                    .unreachable,
                    "The MCP server at \(display) \(cause) before the response to the \(outgoing.summary) arrived; gave up resuming after \(policy.maximumAttempts) attempts.")
            }
            try await clock.sleep(for: .milliseconds(policy.delayMilliseconds(attempt: attempt, serverRetry: retry)))
            let request = HTTPRequest(
                method: "GET", url: configuration.endpoint,
                headers: headers(accept: "text/event-stream", session: .current, lastEventID: lastEventID))
            let reader = ResponseReader(
                expectation: .stream, awaiting: unanswered, limit: configuration.maximumMessageBytes, resumingFrom: lastEventID,
                source: "GET \(display) (resuming)"
            ) { [weak self] event in self?.emit(event) }
            let end = try await perform(request, into: reader)
            if case .failed(let error) = end {
                cause = "could not be reached to resume (\(error.message))"
                continue
            }
            let outcome = reader.outcome
            if outcome.status == 404 && Self.carriesSession(request) {
                let error = sessionExpired(during: "resumption of the \(outgoing.summary)")
                fail(error)
                throw error
            }
            if outcome.status == 405 {
                throw MCPTransportError(
                    .protocolViolation,
                    "The MCP server at \(display) \(cause) before the response to the \(outgoing.summary) arrived, and refuses GET (405), so the stream cannot be resumed.")
            }
            if let problem = problem(with: outcome, of: request) {
                guard Self.isRetryable(status: outcome.status) else { throw problem }
                cause = "failed to resume (\(problem.message))"
                continue
            }
            if outcome.unanswered.isEmpty { return }
            if outcome.events > 0 || outcome.lastEventID != lastEventID { attempt = 0 }
            unanswered = outcome.unanswered
            if !outcome.lastEventID.isEmpty { lastEventID = outcome.lastEventID }
            retry = outcome.retryMilliseconds ?? retry
            cause = Self.describe(end)
        }
    }

    static func describe(_ end: TransferEnd) -> String {
        switch end {
        case .complete: return "closed the SSE stream"
        case .dropped(let detail): return "dropped the SSE stream (\(detail))"
        case .failed(let error): return "failed (\(error.message))"
        }
    }

    static func list(_ ids: Set<JSONValue>) -> String {
        ids.map(\.rendered).sorted().joined(separator: ", ")
    }
}
