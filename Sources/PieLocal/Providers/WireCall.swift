import Synchronization
import PieJSON

/// Runs one HTTP call for an adapter: sends the request, turns an error status into a typed
/// `ProviderError`, and feeds a success body through the SSE decoder (or the whole-JSON path)
/// into the adapter's parser, all inside the transport's body callback.
struct WireCall<Parser: WireStreamParser>: Sendable {
    let transport: any HTTPTransport
    let streaming: Bool
    /// Key values to redact from anything shown to the user.
    let secrets: [String]

    private struct State {
        /// Taken out while a chunk is parsed, so the parser's buffers stay uniquely referenced
        /// and appending to them never copies.
        var parser: Parser?
        var decoder = SSEDecoder()
        var status = 0
        var retryAfterMilliseconds: Int?
        var errorBody: [UInt8] = []
        var wholeBody: [UInt8] = []
        var failure: ProviderError?
    }

    /// Anything but 2xx is a failure: redirects are not followed, so a 3xx means a wrong URL.
    private static func isSuccess(_ status: Int) -> Bool { (200..<300).contains(status) }

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
                if !Self.isSuccess(state.status) {
                    if state.errorBody.count < Self.errorBodyLimit { state.errorBody.append(contentsOf: bytes) }
                    return true
                }
                guard streaming else {
                    state.wholeBody.append(contentsOf: bytes)
                    return true
                }
                guard var parser = state.parser.take() else { return false }
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
            if !Self.isSuccess(state.status) {
                throw ProviderError.fromHTTP(
                    status: state.status, retryAfterMilliseconds: state.retryAfterMilliseconds,
                    body: state.errorBody, secrets: secrets)
            }
            if !streaming {
                let response: JSONElement
                do {
                    response = try JSONDocument(state.wholeBody).root
                } catch {
                    let excerpt = ErrorBody.brief(state.wholeBody, secrets: secrets)
                    throw ProviderError.malformedStream(detail: "response is not JSON (\(error)): \(excerpt)")
                }
                try state.parser?.consume(response: response, emit: onEvent)
            }
            try state.parser?.finish(emit: onEvent)
        }
    }
}

extension WireCall {
    /// What every adapter's `stream` does once it has built its body: post it to `url` (the
    /// adapter's `Endpoint` rule applied to the model's base URL) with the adapter's `auth` headers, and normalise the reply with a
    /// fresh `Parser` whose generated tool-call ids are seeded by the body.
    static func post(
        _ body: JSONValue, url: String, auth: [(name: String, value: String)], request: ChatRequest,
        model: ModelDescriptor, apiKey: String?, transport: any HTTPTransport,
        onEvent: @escaping @Sendable (StreamEvent) -> Void
    ) async throws {
        let bytes = JSONWriter.bytes(body, keys: .sorted)
        let http = HTTPRequest(
            url: url,
            headers: RequestHeaders.build(model: model, streaming: request.stream, auth: auth), body: bytes)
        let secrets = apiKey.map { [$0] } ?? []
        let parser = Parser(toolCalls: ToolCallAssembler(idSeed: ToolCallAssembler.seed(for: bytes)), secrets: secrets)
        try await WireCall(transport: transport, streaming: request.stream, secrets: secrets)
            .run(http, parser: parser, onEvent: onEvent)
    }
}
