import Synchronization

/// Runs one HTTP call for an adapter: sends the request, turns an error status into a typed
/// `ProviderError`, and feeds a success body through the SSE decoder (or the whole-JSON path)
/// into the adapter's parser, all inside the transport's body callback.
struct WireCall<Parser: WireStreamParser>: Sendable {
    let transport: any HTTPTransport
    let streaming: Bool
    /// Key values to redact from anything shown to the user.
    let secrets: [String]

    private struct State {
        var parser: Parser
        var decoder = SSEDecoder()
        var status = 0
        var retryAfterMilliseconds: Int?
        var errorBody: [UInt8] = []
        var wholeBody: [UInt8] = []
        var failure: ProviderError?
    }

    /// Upper bound on the error body kept for the message; the rest is dropped.
    private static var errorBodyLimit: Int { 64 * 1024 }

    func run(_ request: HTTPRequest, parser: Parser, onEvent: @escaping @Sendable (StreamEvent) -> Void) async throws {
        let state = Mutex(State(parser: parser))
        let streaming = self.streaming
        try await transport.send(request) { head in
            state.withLock { state in
                state.status = head.status
                state.retryAfterMilliseconds = head.headers["retry-after"].flatMap { RetryAfter.milliseconds(from: $0) }
            }
        } onBody: { bytes in
            state.withLock { state in
                if state.failure != nil { return false }
                if state.status >= 400 {
                    if state.errorBody.count < Self.errorBodyLimit { state.errorBody.append(contentsOf: bytes) }
                    return true
                }
                guard streaming else {
                    state.wholeBody.append(contentsOf: bytes)
                    return true
                }
                var parser = state.parser
                var failure: ProviderError?
                state.decoder.feed(bytes) { event in
                    guard failure == nil else { return }
                    do throws(ProviderError) {
                        try parser.consume(event, emit: onEvent)
                    } catch {
                        failure = error
                    }
                }
                state.parser = parser
                state.failure = failure
                return failure == nil
            }
        }
        try state.withLock { state throws(ProviderError) in
            if let failure = state.failure { throw failure }
            if state.status >= 400 || state.status == 0 {
                throw ProviderError.fromHTTP(
                    status: state.status, retryAfterMilliseconds: state.retryAfterMilliseconds,
                    body: state.errorBody, secrets: secrets)
            }
            if !streaming {
                let response: JSONValue
                do {
                    response = try JSONParser.parse(state.wholeBody)
                } catch {
                    let excerpt = ErrorBody.brief(state.wholeBody, secrets: secrets)
                    throw ProviderError.malformedStream(detail: "response is not JSON (\(error)): \(excerpt)")
                }
                try state.parser.consume(response: response, emit: onEvent)
            }
            try state.parser.finish(emit: onEvent)
        }
    }
}
