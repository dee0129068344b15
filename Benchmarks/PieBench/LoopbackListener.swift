import Glibc

/// A TCP listener on 127.0.0.1 with an ephemeral port, standing in for a local model server in
/// the benchmarks that need real sockets (cold start to the first request byte, cancellation of
/// a slow stream). Blocking calls with poll timeouts, so a benchmark never hangs.
final class LoopbackListener {
    let descriptor: Int32
    let port: UInt16

    init?() {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(fd, generic, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, generic, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            return nil
        }
        descriptor = fd
        port = UInt16(bigEndian: address.sin_port)
    }

    deinit { close(descriptor) }

    var baseURL: String { "http://127.0.0.1:\(port)/v1" }

    /// Waits up to `timeoutMs` for a connection.
    func accept(timeoutMs: Int32) -> Int32? {
        guard Self.readable(descriptor, timeoutMs: timeoutMs) else { return nil }
        return Self.acceptConnection(descriptor)
    }

    /// `accept` with the connection marked close-on-exec, so spawned `pie` processes never inherit it.
    static func acceptConnection(_ listener: Int32) -> Int32? {
        let connection = Glibc.accept(listener, nil, nil)
        guard connection >= 0 else { return nil }
        _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
        return connection
    }

    /// Reads until the end of the request headers and body (by Content-Length) or the timeout.
    static func readRequest(_ connection: Int32, timeoutMs: Int32) -> [UInt8] {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while readable(connection, timeoutMs: timeoutMs) {
            let count = read(connection, &buffer, buffer.count)
            if count <= 0 { break }
            received.append(contentsOf: buffer[0..<count])
            if requestComplete(received) { break }
        }
        return received
    }

    static func send(_ connection: Int32, _ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.send(connection, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if written <= 0 { return false }
            offset += written
        }
        return true
    }

    static func readable(_ fd: Int32, timeoutMs: Int32) -> Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, timeoutMs) == 1
    }

    private static func requestComplete(_ bytes: [UInt8]) -> Bool {
        let terminator: [UInt8] = [13, 10, 13, 10]
        guard bytes.count >= 4, let end = (0...(bytes.count - 4)).first(where: { Array(bytes[$0..<$0 + 4]) == terminator })
        else { return false }
        let headers = String(decoding: bytes[0..<end], as: UTF8.self).lowercased()
        guard let line = headers.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
            let length = Int(line.dropFirst("content-length:".count).trimmingCharacters())
        else { return true }
        return bytes.count - end - 4 >= length
    }
}

extension Substring {
    fileprivate func trimmingCharacters() -> Substring {
        var text = self
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return text
    }
}
