#if canImport(Glibc)
import Glibc
import PieSystem
#endif

/// `HTTPTransport` over libcurl: HTTP/1.1 and HTTP/2 (negotiated over TLS), proxies from the
/// usual environment variables (libcurl's own behaviour), connection reuse, and streaming body
/// delivery straight from libcurl's write callback.
///
/// libcurl instead of FoundationNetworking: the latter costs milliseconds of start-up and tens
/// of megabytes, and has no streaming `bytes(for:)` on Linux.
public final class CurlTransport: HTTPTransport {
    public struct Configuration: Sendable, Hashable {
        public var connectTimeoutMilliseconds: Int
        /// Whole-request limit (`--request-timeout-ms`); `nil` or 0 means none.
        public var requestTimeoutMilliseconds: Int?

        public init(connectTimeoutMilliseconds: Int = 15_000, requestTimeoutMilliseconds: Int? = nil) {
            self.connectTimeoutMilliseconds = connectTimeoutMilliseconds
            self.requestTimeoutMilliseconds = requestTimeoutMilliseconds
        }
    }

    public let configuration: Configuration
    private let pool = CurlConnectionPool()

    /// Loads libcurl (`CurlLibrary`) if this is the process's first transport, so the failure to
    /// find it surfaces here, before any request, as an error the caller can report.
    public init(configuration: Configuration = Configuration()) throws(CurlLoadError) {
        try CurlLibrary.load()
        self.configuration = configuration
    }

    public func send(
        _ request: HTTPRequest,
        onHead: @escaping @Sendable (HTTPResponseHead) -> Void,
        onBody: @escaping @Sendable (UnsafeRawBufferPointer) -> Bool
    ) async throws {
        let transfer = CurlTransfer(request: request, configuration: configuration, onHead: onHead, onBody: onBody)
        let pool = self.pool
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let started = DetachedThread.start {
                    guard let connection = pool.checkOut() else {
                        continuation.resume(throwing: ProviderError.connect(url: request.url, detail: "libcurl could not allocate a handle"))
                        return
                    }
                    let result = transfer.run(on: connection)
                    pool.checkIn(connection)
                    continuation.resume(with: result.mapError { $0 as any Error })
                }
                if !started {
                    continuation.resume(throwing: ProviderError.connect(url: request.url, detail: "could not start a transfer thread"))
                }
            }
        } onCancel: {
            transfer.cancel()
        }
    }
}
