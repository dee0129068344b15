import Glibc

/// One HTTP/1.1 response as a loopback client read it.
public struct LoopbackHTTPResponse: Sendable {
    public var status: Int
    /// Header names lowercased; the last value wins.
    public var headers: [String: String]
    public var body: [UInt8]

    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// A blocking HTTP/1.1 client over one TCP connection to 127.0.0.1, for tests and the webhook
/// benchmark: it sends exactly the bytes it is given (so a test can declare a length it never
/// sends, or reuse the connection), and reads Content-Length responses. Every read gives up after
/// `timeoutSeconds`, so a server that never answers fails the test instead of hanging it.
public final class LoopbackHTTPConnection: @unchecked Sendable {
    public enum ConnectionError: Error, CustomStringConvertible {
        case socket(String)
        case closed
        case malformed(String)

        public var description: String {
            switch self {
            case .socket(let reason): "socket: \(reason)"
            case .closed: "the server closed the connection"
            case .malformed(let reason): "malformed response: \(reason)"
            }
        }
    }

    private let descriptor: Int32
    private var buffer: [UInt8] = []

    public init(port: Int, timeoutSeconds: Int = 10) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw ConnectionError.socket("socket() failed: errno \(errno)") }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var one: Int32 = 1
        setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(descriptor)
            throw ConnectionError.socket("connect to 127.0.0.1:\(port) failed: errno \(errno)")
        }
    }

    deinit { close(descriptor) }

    /// The bytes of a request with a Content-Length body.
    public static func request(
        method: String = "POST", path: String, headers: [(String, String)] = [], body: [UInt8] = []
    ) -> [UInt8] {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(body.count)\r\n\r\n"
        return Array(head.utf8) + body
    }

    /// Writes all of `bytes` (fails if the peer has closed).
    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { throw ConnectionError.socket("send failed: errno \(errno)") }
            offset += written
        }
    }

    /// Reads one response (status line, headers, Content-Length body).
    public func readResponse() throws -> LoopbackHTTPResponse {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        while buffer.firstRange(of: separator) == nil { try fill() }
        guard let end = buffer.firstRange(of: separator) else { throw ConnectionError.closed }
        let head = String(decoding: buffer[..<end.lowerBound], as: UTF8.self)
        let lines = head.split(separator: "\r\n")
        let statusParts = lines.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw ConnectionError.malformed(String(lines.first ?? ""))
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingPrefix(" ").description
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        while buffer.count < end.upperBound + length { try fill() }
        let body = Array(buffer[end.upperBound..<(end.upperBound + length)])
        buffer.removeFirst(end.upperBound + length)
        return LoopbackHTTPResponse(status: status, headers: headers, body: body)
    }

    /// Sends a request and reads its response.
    public func exchange(_ request: [UInt8]) throws -> LoopbackHTTPResponse {
        try send(request)
        return try readResponse()
    }

    /// True when the server has closed the connection (end of stream or reset) with nothing more
    /// to read; false when it is still open after the receive timeout.
    public func closedByServer() -> Bool {
        var byte: UInt8 = 0
        let count = recv(descriptor, &byte, 1, 0)
        if count == 0 { return true }
        if count < 0 { return errno == ECONNRESET }
        buffer.append(byte)
        return false
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = recv(descriptor, &chunk, chunk.count, 0)
        if count == 0 { throw ConnectionError.closed }
        guard count > 0 else { throw ConnectionError.socket("recv failed: errno \(errno)") }
        buffer.append(contentsOf: chunk[0..<count])
    }
}

extension LoopbackHTTPConnection {
    /// Runs blocking client work on its own thread, so an async test never blocks the
    /// cooperative pool the server under test may need.
    public static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            TestThread.start {
                continuation.resume(with: Result { try work() })
            }
        }
    }
}
