import Synchronization

/// Wraps a transport to observe one request: the URL it went to, time to first body byte,
/// status and content type.
final class TimingTransport: HTTPTransport {
    struct Observation: Sendable {
        var url: String?
        var firstByte: Duration?
        var head: HTTPResponseHead?
    }

    private let base: any HTTPTransport
    private let clock = ContinuousClock()
    private let state = Mutex(Observation())

    init(_ base: any HTTPTransport) {
        self.base = base
    }

    var observation: Observation { state.withLock { $0 } }

    func send(
        _ request: HTTPRequest, onHead: @escaping @Sendable (HTTPResponseHead) -> Void,
        onBody: @escaping @Sendable (UnsafeRawBufferPointer) -> Bool
    ) async throws {
        let start = clock.now
        state.withLock { $0.url = request.url }
        try await base.send(request) { [self] head in
            state.withLock { $0.head = head }
            onHead(head)
        } onBody: { [self] bytes in
            let now = clock.now
            state.withLock { observation in
                if observation.firstByte == nil { observation.firstByte = now - start }
            }
            return onBody(bytes)
        }
    }
}
