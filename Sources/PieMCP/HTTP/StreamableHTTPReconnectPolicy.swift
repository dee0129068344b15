/// When a broken SSE stream is reconnected (the server-message GET stream, or a POST's stream
/// resumed with `Last-Event-ID`).
///
/// A `retry:` the server sent is waited, as MCP requires, but never less than
/// `minimumDelayMilliseconds`: a server that polls with `retry: 0` and closes at once cannot make
/// pie reconnect in a tight loop. Without one the delay doubles from `initialDelayMilliseconds` up
/// to `maximumDelayMilliseconds`. After `maximumAttempts` attempts in a row that brought nothing
/// new, the transport gives up on that stream.
public struct StreamableHTTPReconnectPolicy: Sendable, Equatable {
    public var initialDelayMilliseconds: Int
    public var maximumDelayMilliseconds: Int
    public var minimumDelayMilliseconds: Int
    public var maximumAttempts: Int

    public init(
        initialDelayMilliseconds: Int = 1_000, maximumDelayMilliseconds: Int = 30_000, minimumDelayMilliseconds: Int = 100,
        maximumAttempts: Int = 5
    ) {
        self.minimumDelayMilliseconds = max(0, minimumDelayMilliseconds)
        self.initialDelayMilliseconds = max(self.minimumDelayMilliseconds, initialDelayMilliseconds)
        self.maximumDelayMilliseconds = max(self.initialDelayMilliseconds, maximumDelayMilliseconds)
        self.maximumAttempts = max(1, maximumAttempts)
    }

    /// The wait before reconnection attempt `attempt` (1-based), given the server's `retry:`.
    public func delayMilliseconds(attempt: Int, serverRetry: Int?) -> Int {
        if let serverRetry { return max(serverRetry, minimumDelayMilliseconds) }
        var delay = initialDelayMilliseconds
        for _ in 1..<max(1, attempt) {
            delay = min(delay * 2, maximumDelayMilliseconds)
        }
        return min(delay, maximumDelayMilliseconds)
    }
}
