import Glibc
import Synchronization
import PieLocal
import PieJSON

/// A request as the scripted server received it.
public struct RecordedRequest: Sendable {
    public var method: String
    public var path: String
    public var headers: [String: String]
    public var body: [UInt8]
    /// Which accepted connection carried it; equal ids mean the connection was reused.
    public var connectionID: Int

    public var json: JSONValue? { try? JSONParser.parse(body) }

    /// The body as text, for assertions on what the client sent.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// What the server does for one request: write bytes, pause, or drop the connection.
public enum ScriptStep: Sendable {
    case send([UInt8])
    case delay(milliseconds: Int)
    /// Close the socket immediately (a disconnect mid-stream if the body was not complete).
    case disconnect
    /// Hold the response until the test opens `gate` (or 120 s pass), so a test can prove the
    /// client acted on what it already received without asserting on elapsed time.
    case wait(ScriptGate)
}

/// A one-shot latch between a test and the scripted server.
public final class ScriptGate: Sendable {
    private let state = Mutex<(open: Bool, openedByTest: Bool)>((false, false))

    /// Whether the test opened the gate before the server gave up waiting.
    public var openedByTest: Bool { state.withLock { $0.openedByTest } }

    public init() {}

    public func open() {
        state.withLock { $0 = (true, true) }
    }

    /// Blocks the server thread until opened, at most 120 s: long enough that a test starved of
    /// threads by the rest of the suite still acts first, short enough that a failed one ends.
    public func wait() {
        for _ in 0..<12_000 {
            if state.withLock({ $0.open }) { return }
            usleep(10_000)
        }
        state.withLock { $0.open = true }
    }
}

/// A scripted response: steps replayed byte for byte.
public struct Script: Sendable {
    public var steps: [ScriptStep]
    /// Keep the connection open for a next request after the steps (the response must be
    /// self-delimiting: Content-Length or chunked).
    public var keepAlive = false

    public init(steps: [ScriptStep], keepAlive: Bool = false) {
        self.steps = steps
        self.keepAlive = keepAlive
    }
}

/// A real TCP server on 127.0.0.1 (ephemeral port) that replays scripted responses and records
/// each request, so tests exercise libcurl and the adapters over an actual socket.
public final class ScriptedServer: Sendable {
    public let port: Int
    private let listener: Int32
    private let core: Core
    private let stopped = Atomic<Bool>(false)

    public var baseURL: String { "http://127.0.0.1:\(port)/v1" }

    public var requests: [RecordedRequest] { core.requests }

    public init(_ scripts: [Script]) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServerError.socket("socket") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw ServerError.socket("bind/listen")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        listener = fd
        let core = Core(scripts: scripts)
        self.core = core
        // The loop holds the core, not the server, so dropping the server stops it.
        TestThread.start { core.acceptLoop(fd) }
    }

    public convenience init(responses: [String]) throws {
        try self.init(responses.map { Script(steps: [.send(Array($0.utf8))]) })
    }

    /// Stops accepting. Only shuts the socket down: the accept loop closes it when `accept`
    /// fails, so the descriptor number cannot be reused while the loop might still use it.
    public func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        shutdown(listener, Int32(SHUT_RDWR))
    }

    deinit { stop() }

    public enum ServerError: Error { case socket(String) }
}

/// The server's shared state and socket loops.
private final class Core: Sendable {
    private let state: Mutex<State>

    private struct State {
        var scripts: [Script] = []
        var requests: [RecordedRequest] = []
        var nextConnectionID = 0
    }

    init(scripts: [Script]) {
        state = Mutex(State(scripts: scripts))
    }

    var requests: [RecordedRequest] { state.withLock { $0.requests } }

    func acceptLoop(_ listener: Int32) {
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                if errno == EINTR { continue }
                close(listener)
                return
            }
            var yes: Int32 = 1
            setsockopt(connection, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
            let id = state.withLock { state in
                state.nextConnectionID += 1
                return state.nextConnectionID
            }
            TestThread.start { self.serve(connection, id: id) }
        }
    }

    private func serve(_ connection: Int32, id: Int) {
        defer { close(connection) }
        var buffer: [UInt8] = []
        while let request = readRequest(connection, buffer: &buffer, connectionID: id) {
            let script = state.withLock { state -> Script in
                state.requests.append(request)
                return state.scripts.count > 1 ? state.scripts.removeFirst() : state.scripts.first ?? Script(steps: [])
            }
            for step in script.steps {
                switch step {
                case .send(let bytes):
                    var offset = 0
                    while offset < bytes.count {
                        let written = bytes[offset...].withUnsafeBytes {
                            send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
                        }
                        if written <= 0 { return }
                        offset += written
                    }
                case .delay(let milliseconds):
                    usleep(UInt32(milliseconds * 1000))
                case .disconnect:
                    return
                case .wait(let gate):
                    gate.wait()
                }
            }
            if !script.keepAlive { return }
        }
    }

    private func readRequest(_ connection: Int32, buffer: inout [UInt8], connectionID: Int) -> RecordedRequest? {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            if let end = buffer.firstRange(of: separator) {
                let head = String(decoding: buffer[..<end.lowerBound], as: UTF8.self)
                let lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
                let requestLine = lines.first?.split(separator: " ") ?? []
                var headers: [String: String] = [:]
                for line in lines.dropFirst() {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    headers[line[..<colon].lowercased()] = trimmed(line[line.index(after: colon)...])
                }
                let length = Int(headers["content-length"] ?? "0") ?? 0
                while buffer.count < end.upperBound + length {
                    let count = recv(connection, &chunk, chunk.count, 0)
                    if count <= 0 { return nil }
                    buffer.append(contentsOf: chunk[0..<count])
                }
                let body = Array(buffer[end.upperBound..<(end.upperBound + length)])
                buffer.removeFirst(end.upperBound + length)
                return RecordedRequest(
                    method: requestLine.first.map(String.init) ?? "", path: requestLine.dropFirst().first.map(String.init) ?? "",
                    headers: headers, body: body, connectionID: connectionID)
            }
            let count = recv(connection, &chunk, chunk.count, 0)
            if count <= 0 { return nil }
            buffer.append(contentsOf: chunk[0..<count])
        }
    }

}

/// A header value without the spaces and tabs around it.
private func trimmed(_ text: Substring) -> String {
    String(text.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
}

/// A detached thread for the server's blocking socket loops.
enum TestThread {
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
