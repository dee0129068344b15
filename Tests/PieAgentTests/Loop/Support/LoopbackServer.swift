import Glibc
import Synchronization

/// A minimal HTTP server on 127.0.0.1 for driving the loop through PieLocal's real
/// `OpenAICompletions` adapter and libcurl. Each connection gets the next scripted response
/// (written whole, then the connection closes) and the request body is recorded.
/// PieLocal's own scripted server lives in PieLocalTests and cannot be imported.
final class LoopbackServer: Sendable {
    let port: Int
    private let listener: Int32
    /// Shared with the accept thread; the server's `deinit` closes the listener, which ends it.
    private let core: LoopbackCore

    /// `nil` when the socket could not be opened (the test then records an issue).
    init?(responses: [String]) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(fd, raw, length) == 0 && listen(fd, 8) == 0 && getsockname(fd, raw, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            return nil
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        listener = fd
        core = LoopbackCore(responses: responses)
        let core = core
        ServerThread.start {
            while true {
                let connection = accept(fd, nil, nil)
                guard connection >= 0 else { return }
                core.serve(connection)
            }
        }
    }

    deinit {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    var baseURL: String { "http://127.0.0.1:\(port)/v1" }

    /// Request bodies in arrival order.
    var bodies: [String] { core.bodies }

    /// A streamed response whose `data:` lines are `chunks`, ending with `[DONE]`.
    static func sse(_ chunks: [String]) -> String {
        let events = (chunks + ["[DONE]"]).map { "data: \($0)\n\n" }.joined()
        return "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n" + events
    }

    static func error(status: String, json: String) -> String {
        "HTTP/1.1 \(status)\r\nContent-Type: application/json\r\nContent-Length: \(json.utf8.count)\r\nConnection: close\r\n\r\n"
            + json
    }

}

/// The scripted responses and recorded bodies, and the per-connection work.
private final class LoopbackCore: Sendable {
    private let state: Mutex<(responses: [String], bodies: [String])>

    init(responses: [String]) {
        state = Mutex((responses, []))
    }

    var bodies: [String] { state.withLock { $0.bodies } }

    func serve(_ connection: Int32) {
        defer { close(connection) }
        let body = Self.readRequestBody(connection)
        let response = state.withLock { state -> String in
            state.bodies.append(body)
            if state.responses.isEmpty { return LoopbackServer.error(status: "500 Internal Server Error", json: "{}") }
            return state.responses.removeFirst()
        }
        let bytes = Array(response.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return -1 }
                return send(connection, base + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
            }
            guard written > 0 else { return }
            offset += written
        }
    }

    /// Reads headers up to the blank line, then `Content-Length` bytes of body.
    private static func readRequestBody(_ connection: Int32) -> String {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var expected: Int?
        var headerEnd = 0
        while true {
            if let expected, received.count >= headerEnd + expected { break }
            let count = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            received += buffer[0..<count]
            if expected == nil, let end = headerTerminator(in: received) {
                headerEnd = end
                let headers = String(decoding: received[0..<end], as: UTF8.self).lowercased()
                let line = headers.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                expected = line.flatMap { Int($0.dropFirst("content-length:".count).trimmingPrefix(" ")) } ?? 0
            }
        }
        return String(decoding: received.dropFirst(headerEnd), as: UTF8.self)
    }

    private static func headerTerminator(in bytes: [UInt8]) -> Int? {
        let marker: [UInt8] = [13, 10, 13, 10]
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4) where Array(bytes[index..<(index + 4)]) == marker { return index + 4 }
        return nil
    }
}

/// A detached POSIX thread for the blocking accept loop, kept off the cooperative pool.
private enum ServerThread {
    private final class Body {
        let work: @Sendable () -> Void
        init(_ work: @escaping @Sendable () -> Void) { self.work = work }
    }

    static func start(_ work: @escaping @Sendable () -> Void) {
        let context = Unmanaged.passRetained(Body(work)).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(&thread, nil, { raw in
            guard let raw else { return nil }
            Unmanaged<Body>.fromOpaque(raw).takeRetainedValue().work()
            return nil
        }, context)
        if status == 0 { pthread_detach(thread) } else { Unmanaged<Body>.fromOpaque(context).release() }
    }
}
