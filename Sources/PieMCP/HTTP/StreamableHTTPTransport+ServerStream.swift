import PieLocal
import Synchronization

/// The GET stream for the server's own requests and notifications, opened once initialisation is
/// complete and kept open: reconnected with `Last-Event-ID` after the server's `retry:` (or the
/// policy's backoff) whenever it ends, until the transport closes.
extension StreamableHTTPTransport {
    func openServerStream() {
        state.withLock { state in
            guard !state.closed, state.serverStreamTask == nil, state.serverStream == .notOpened else { return }
            state.serverStream = .open
            state.serverStreamTask = Task { await self.runServerStream() }
        }
    }

    private func runServerStream() async {
        let policy = configuration.reconnect
        var lastEventID = ""
        var retry: Int?
        var failures = 0
        while !Task.isCancelled {
            let request = HTTPRequest(
                method: "GET", url: configuration.endpoint,
                headers: headers(accept: "text/event-stream", session: .current, lastEventID: lastEventID))
            let reader = ResponseReader(
                expectation: .stream, awaiting: [], limit: configuration.maximumMessageBytes, resumingFrom: lastEventID,
                source: "GET \(display) (server messages)"
            ) { [weak self] event in self?.emit(event) }
            let end: TransferEnd
            do {
                end = try await perform(request, into: reader)
            } catch {
                return
            }
            let outcome = reader.outcome
            var failure: MCPTransportError?
            var giveUp = false
            if case .failed(let error) = end {
                failure = error
            } else if outcome.status == 405 || (outcome.status == 404 && !Self.carriesSession(request)) {
                // No stream at this endpoint: the server sends nothing outside responses.
                state.withLock { if $0.serverStream == .open { $0.serverStream = .unsupported } }
                return
            } else if outcome.status == 404 {
                fail(sessionExpired(during: "GET for server messages"))
                return
            } else if let problem = problem(with: outcome, of: request) {
                failure = problem
                // A wrong type, a cap or a client error will not change by asking again.
                giveUp = outcome.tooLarge || !Self.isRetryable(status: outcome.status)
            }
            if failure == nil && (outcome.events > 0 || outcome.lastEventID != lastEventID) {
                failures = 0
            } else {
                failures += 1
            }
            if !outcome.lastEventID.isEmpty { lastEventID = outcome.lastEventID }
            retry = outcome.retryMilliseconds ?? retry
            if giveUp || failures >= policy.maximumAttempts {
                let reason = failure?.message ?? "the stream kept ending without sending anything"
                let note = "The GET stream for the MCP server's own messages (\(display)) stopped after \(failures) attempt(s): \(reason) Notifications the server sends outside responses will not arrive."
                let stillOpen = state.withLock { state -> Bool in
                    guard !state.closed else { return false }
                    state.serverStream = .failed(note)
                    return true
                }
                if stillOpen { emit(.malformed(note)) }
                return
            }
            do {
                try await clock.sleep(for: .milliseconds(policy.delayMilliseconds(attempt: max(1, failures), serverRetry: retry)))
            } catch {
                return
            }
        }
    }
}
