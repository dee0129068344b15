/// The seam between the adapters and the network, so adapters can be exercised over any transport.
public protocol HTTPTransport: Sendable {
    /// Sends `request`. `onHead` is called once with the status and headers, then `onBody` with
    /// each chunk as it arrives (on the transport's own thread, with no buffering in between).
    /// `onBody` returns `false` to stop the transfer early (the adapter already knows the turn
    /// failed); `send` then returns normally. Returns when the response is complete.
    ///
    /// - Throws: `ProviderError` (`.connect`, `.timeout`, `.connectionLost`, `.cancelled`).
    ///   Cancelling the calling task aborts the transfer promptly.
    func send(
        _ request: HTTPRequest,
        onHead: @escaping @Sendable (HTTPResponseHead) -> Void,
        onBody: @escaping @Sendable (UnsafeRawBufferPointer) -> Bool
    ) async throws
}
