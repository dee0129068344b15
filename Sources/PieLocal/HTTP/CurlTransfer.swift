import CCurl
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One request in flight on a `CurlConnection`, driven by a dedicated thread so a blocking
/// `curl_multi_poll` never occupies a Swift concurrency thread.
///
/// The C callbacks reach this object through an unretained pointer (`CURLOPT_WRITEDATA`); the
/// transfer outlives the callbacks because the thread holds a strong reference until it ends.
final class CurlTransfer: Sendable {
    private let request: HTTPRequest
    private let configuration: CurlTransport.Configuration
    private let onHead: @Sendable (HTTPResponseHead) -> Void
    private let onBody: @Sendable (UnsafeRawBufferPointer) -> Bool
    private let cancelled = Atomic<Bool>(false)
    /// Set when `onBody` asked to stop; the resulting libcurl write error is then not a failure.
    private let stoppedByReceiver = Atomic<Bool>(false)
    /// The connection while the transfer runs, so `cancel()` can wake its poll.
    private let active = Mutex<CurlConnection?>(nil)
    private let response = Mutex(ResponseState())

    private struct ResponseState {
        var status = 0
        var headers: [String: String] = [:]
        var headDelivered = false
        var receivedBody = false
    }

    init(
        request: HTTPRequest, configuration: CurlTransport.Configuration,
        onHead: @escaping @Sendable (HTTPResponseHead) -> Void,
        onBody: @escaping @Sendable (UnsafeRawBufferPointer) -> Bool
    ) {
        self.request = request
        self.configuration = configuration
        self.onHead = onHead
        self.onBody = onBody
    }

    var isCancelled: Bool { cancelled.load(ordering: .acquiring) }

    func cancel() {
        cancelled.store(true, ordering: .releasing)
        active.withLock { $0?.wakeUp() }
    }

    /// Runs the transfer to completion on the calling (dedicated) thread.
    func run(on connection: CurlConnection) -> Result<Void, ProviderError> {
        if isCancelled { return .failure(.cancelled) }
        active.withLock { $0 = connection }
        defer { active.withLock { $0 = nil } }

        let easy = connection.easy
        ccurl_easy_reset(easy)
        var headerList: UnsafeMutablePointer<curl_slist>?
        for header in request.headers {
            headerList = ccurl_slist_append(headerList, "\(header.name): \(header.value)")
        }
        // libcurl would otherwise send `Expect: 100-continue` for large bodies and wait for it.
        headerList = ccurl_slist_append(headerList, "Expect:")
        defer { ccurl_slist_free_all(headerList) }
        configure(easy, headers: headerList)

        ccurl_multi_add_handle(connection.multi, easy)
        defer { ccurl_multi_remove_handle(connection.multi, easy) }

        var running: Int32 = 1
        while running > 0 {
            let code = ccurl_multi_perform(connection.multi, &running)
            if code != CURLM_OK {
                return .failure(.connect(url: request.url, detail: String(cString: ccurl_multi_strerror(code))))
            }
            if isCancelled { return .failure(.cancelled) }
            if running == 0 { break }
            _ = ccurl_multi_poll(connection.multi, nil, 0, 1000, nil)
            if isCancelled { return .failure(.cancelled) }
        }
        var remaining: Int32 = 0
        var result = CURLE_OK
        while let message = ccurl_multi_info_read(connection.multi, &remaining) {
            if message.pointee.msg == CURLMSG_DONE { result = message.pointee.data.result }
        }
        if isCancelled { return .failure(.cancelled) }
        if stoppedByReceiver.load(ordering: .acquiring) { return .success(()) }
        if result != CURLE_OK { return .failure(error(for: result, easy: easy)) }
        deliverHeadIfNeeded(easy: easy)
        return .success(())
    }

    private func configure(_ easy: UnsafeMutableRawPointer, headers: UnsafeMutablePointer<curl_slist>?) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        _ = ccurl_setopt_string(easy, CURLOPT_URL, request.url)
        _ = ccurl_setopt_string(easy, CURLOPT_CUSTOMREQUEST, request.method)
        if request.method == "POST" || !request.body.isEmpty {
            _ = ccurl_setopt_long(easy, CURLOPT_POST, 1)
            _ = ccurl_setopt_off(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count))
            // libcurl copies the body; a NUL-terminated buffer keeps the pointer valid when empty.
            (request.body + [0]).withUnsafeBytes { bytes in
                _ = ccurl_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress))
            }
        }
        _ = ccurl_setopt_slist(easy, CURLOPT_HTTPHEADER, headers)
        // Proxies come from the usual environment variables (libcurl's default), but a local
        // server is never reached through one, whatever `no_proxy` says.
        if BaseURL.isLoopback(BaseURL.host(of: request.url)) {
            _ = ccurl_setopt_string(easy, CURLOPT_NOPROXY, "*")
        }
        _ = ccurl_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        _ = ccurl_setopt_long(easy, CURLOPT_TCP_NODELAY, 1)
        _ = ccurl_setopt_long(easy, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS)
        _ = ccurl_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, configuration.connectTimeoutMilliseconds)
        if let total = configuration.requestTimeoutMilliseconds, total > 0 {
            _ = ccurl_setopt_long(easy, CURLOPT_TIMEOUT_MS, total)
        }
        _ = ccurl_setopt_data_callback(easy, CURLOPT_WRITEFUNCTION, curlWriteCallback)
        _ = ccurl_setopt_pointer(easy, CURLOPT_WRITEDATA, context)
        _ = ccurl_setopt_data_callback(easy, CURLOPT_HEADERFUNCTION, curlHeaderCallback)
        _ = ccurl_setopt_pointer(easy, CURLOPT_HEADERDATA, context)
    }

    fileprivate func receiveHeaderLine(_ line: UnsafeRawBufferPointer) {
        let text = String(decoding: line, as: UTF8.self)
        response.withLock { state in
            if text.hasPrefix("HTTP/") {
                // A new status line (after 100 Continue or a redirect) starts a fresh header set.
                state.headers = [:]
                let parts = text.split(separator: " ", maxSplits: 2)
                if parts.count >= 2, let status = Int(parts[1]) { state.status = status }
                return
            }
            guard let colon = text.firstIndex(of: ":") else { return }
            let name = text[..<colon].trimmingSpaces().lowercased()
            let value = text[text.index(after: colon)...].trimmingSpaces()
            state.headers[name] = value
        }
    }

    fileprivate func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if isCancelled { return false }
        deliverHeadIfNeeded(easy: nil)
        response.withLock { $0.receivedBody = true }
        if onBody(bytes) { return true }
        stoppedByReceiver.store(true, ordering: .releasing)
        return false
    }

    private func deliverHeadIfNeeded(easy: UnsafeMutableRawPointer?) {
        let head: HTTPResponseHead? = response.withLock { state in
            guard !state.headDelivered else { return nil }
            state.headDelivered = true
            if state.status == 0, let easy {
                var code = 0
                _ = ccurl_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &code)
                state.status = code
            }
            return HTTPResponseHead(status: state.status, headers: state.headers)
        }
        if let head { onHead(head) }
    }

    private func error(for code: CURLcode, easy: UnsafeMutableRawPointer) -> ProviderError {
        let detail = String(cString: ccurl_easy_strerror(code))
        let started = response.withLock { $0.receivedBody || $0.status != 0 }
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            return .timeout(milliseconds: configuration.requestTimeoutMilliseconds)
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_SSL_CONNECT_ERROR,
            CURLE_PEER_FAILED_VERIFICATION, CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            return .connect(url: request.url, detail: detail)
        default:
            return started ? .connectionLost(detail: detail) : .connect(url: request.url, detail: detail)
        }
    }
}

private func curlWriteCallback(
    _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?
) -> Int {
    guard let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    return transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
}

private func curlHeaderCallback(
    _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?
) -> Int {
    guard let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    transfer.receiveHeaderLine(UnsafeRawBufferPointer(start: data, count: length))
    return length
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        // "\r\n" is a single Character, so test for newlines rather than "\r" and "\n".
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0.isNewline }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
