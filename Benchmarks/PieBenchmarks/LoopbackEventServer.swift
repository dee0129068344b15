#if canImport(Glibc)
import Glibc
#endif
import PieSystem

/// A one-shot HTTP server on 127.0.0.1 for the latency benchmark: answers one request with a
/// chunked SSE stream of `events` text deltas ("0", "1", …), logging when each was written.
final class LoopbackEventServer: Sendable {
    struct StartFailure: Error, CustomStringConvertible {
        let description: String
    }

    let port: Int
    private let log: ArrivalLog

    var baseURL: String { "http://127.0.0.1:\(port)/v1" }

    init(events: Int, intervalMicroseconds: Int) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw StartFailure(description: "socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(listener, 1) == 0 else {
            close(listener)
            throw StartFailure(description: "bind/listen on 127.0.0.1 failed")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        let log = ArrivalLog(capacity: events)
        self.log = log
        let started = DetachedThread.start {
            Self.serve(listener: listener, events: events, intervalMicroseconds: intervalMicroseconds, log: log)
        }
        if !started {
            close(listener)
            throw StartFailure(description: "could not start the server thread")
        }
    }

    /// When each event was handed to the kernel, by index.
    func sendTimes() -> [ContinuousClock.Instant?] { log.times() }

    private static func serve(listener: Int32, events: Int, intervalMicroseconds: Int, log: ArrivalLog) {
        defer { close(listener) }
        let connection = accept(listener, nil, nil)
        guard connection >= 0 else { return }
        defer { close(connection) }
        var yes: Int32 = 1
        setsockopt(connection, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
        guard readRequest(connection) else { return }
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
        guard write(connection, Array(head.utf8)) else { return }
        let clock = ContinuousClock()
        for index in 0..<events {
            let event = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\(index)\"}}]}\n\n"
            let chunk = String(event.utf8.count, radix: 16) + "\r\n" + event + "\r\n"
            let bytes = Array(chunk.utf8)
            log.record(index, at: clock.now)
            guard write(connection, bytes) else { return }
            usleep(UInt32(intervalMicroseconds))
        }
        _ = write(connection, Array("0\r\n\r\n".utf8))
    }

    /// Reads the request head and its Content-Length body.
    private static func readRequest(_ connection: Int32) -> Bool {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        let separator = Array("\r\n\r\n".utf8)
        while true {
            let count = recv(connection, &chunk, chunk.count, 0)
            if count <= 0 { return false }
            buffer.append(contentsOf: chunk[0..<count])
            guard let end = buffer.firstRange(of: separator) else { continue }
            let head = String(decoding: buffer[..<end.lowerBound], as: UTF8.self).lowercased()
            var length = 0
            for line in head.split(separator: "\r\n") where line.hasPrefix("content-length:") {
                length = Int(line.dropFirst("content-length:".count).filter { $0 != " " }) ?? 0
            }
            while buffer.count < end.upperBound + length {
                let more = recv(connection, &chunk, chunk.count, 0)
                if more <= 0 { return false }
                buffer.append(contentsOf: chunk[0..<more])
            }
            return true
        }
    }

    private static func write(_ connection: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes {
                send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if written <= 0 { return false }
            offset += written
        }
        return true
    }
}
