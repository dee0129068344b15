import Glibc
import PieSystem
import Synchronization

/// A loopback TCP relay between a store and a real PostgreSQL server that, when armed, cuts the
/// connection at the next `COMMIT` a client sends (libpq sends it as a simple Query message, so
/// the bytes `COMMIT\0` are on the wire). `.afterServer` forwards the COMMIT, lets the server
/// answer, swallows the answer and closes both sides: the transaction is in, and the client
/// cannot know. `.beforeServer` closes without forwarding: the server rolls the transaction back.
/// Either way the client sees a connection that broke during its COMMIT.
final class CommitCuttingProxy: Sendable {
    enum Cut: Sendable {
        case afterServer
        case beforeServer
    }

    let port: Int
    private let listener: Int32
    private let upstreamPort: Int
    private let armed = Mutex<Cut?>(nil)
    /// How many COMMITs were cut.
    let cuts = Atomic<Int>(0)

    var url: String { "postgres://postgres@127.0.0.1:\(port)/postgres" }

    init(upstreamPort: Int) throws {
        self.upstreamPort = upstreamPort
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure("socket() failed") }
        var address = Self.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw Failure("cannot listen on a loopback port")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        listener = fd
        DetachedThread.start { [self] in acceptLoop() }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// Cuts the next COMMIT any client sends, then relays normally again.
    func arm(_ cut: Cut) { armed.withLock { $0 = cut } }

    /// Stops accepting; the accept loop closes the socket.
    func stop() { shutdown(listener, Int32(SHUT_RDWR)) }

    deinit { stop() }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    private func acceptLoop() {
        defer { close(listener) }
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            let server = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            var address = Self.loopback(port: UInt16(upstreamPort))
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(server, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard server >= 0, connected == 0 else {
                close(client)
                if server >= 0 { close(server) }
                continue
            }
            let link = Link(client: client, server: server)
            DetachedThread.start { [self] in toServer(link) }
            DetachedThread.start { [self] in toClient(link) }
        }
    }

    /// One relayed connection. Its sockets are shut down (never closed) while either relay may
    /// still use them; the last relay to finish closes both.
    private final class Link: Sendable {
        let client: Int32
        let server: Int32
        /// Set when the server's answer to a cut COMMIT must not reach the client.
        let swallow = Atomic<Bool>(false)
        let finished = Atomic<Int>(0)

        init(client: Int32, server: Int32) { (self.client, self.server) = (client, server) }

        func cut() {
            shutdown(client, Int32(SHUT_RDWR))
            shutdown(server, Int32(SHUT_RDWR))
        }

        func relayEnded() {
            cut()
            if finished.add(1, ordering: .acquiringAndReleasing).newValue == 2 {
                close(client)
                close(server)
            }
        }
    }

    private static let commit = Array("COMMIT\0".utf8)

    private func toServer(_ link: Link) {
        defer { link.relayEnded() }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(link.client, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return }
            let chunk = Array(buffer[0..<count])
            if Self.contains(chunk, Self.commit), let cut = armed.withLock({ armed in defer { armed = nil }; return armed }) {
                cuts.add(1, ordering: .relaxed)
                switch cut {
                case .beforeServer:
                    link.cut()
                    return
                case .afterServer:
                    link.swallow.store(true, ordering: .sequentiallyConsistent)
                }
            }
            guard FileIO.writeAll(link.server, chunk) == nil else { return }
        }
    }

    private func toClient(_ link: Link) {
        defer { link.relayEnded() }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(link.server, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return }
            // The server answered the cut COMMIT (so it committed): the client never hears it.
            if link.swallow.load(ordering: .sequentiallyConsistent) {
                link.cut()
                return
            }
            guard FileIO.writeAll(link.client, Array(buffer[0..<count])) == nil else { return }
        }
    }

    private static func contains(_ bytes: [UInt8], _ needle: [UInt8]) -> Bool {
        guard bytes.count >= needle.count else { return false }
        return (0...(bytes.count - needle.count)).contains { start in bytes[start..<(start + needle.count)].elementsEqual(needle) }
    }
}
