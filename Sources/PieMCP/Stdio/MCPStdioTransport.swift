import Glibc
import PieJSON
import PieSandbox
import PieSystem
import Synchronization

/// MCP's stdio transport: the server is a child process started inside its sandbox
/// (`SandboxedProcess`); messages are newline-delimited JSON on its stdin and stdout, and its
/// stderr is kept in a bounded ring for diagnostics.
///
/// A stdout line longer than `maxLineBytes` (8 MiB) is dropped as it arrives and reported as
/// `.malformed`; so are lines that are not JSON. When stdout ends, the transport reaps the child
/// and reports `.closed` with its exit status and the tail of its stderr.
public final class MCPStdioTransport: MCPTransport {
    /// The longest stdout line read as a message; longer lines are skipped.
    public static let maxLineBytes = 8 << 20
    /// How much of the server's stderr is kept (the newest bytes).
    public static let stderrCapacity = 64 << 10
    /// How much of the stderr tail an error message quotes.
    public static let stderrQuoteBytes = 2048

    public let events: AsyncStream<MCPTransportEvent>
    public let serverName: String
    public let launch: MCPStdioLaunch

    private let continuation: AsyncStream<MCPTransportEvent>.Continuation
    private let services: SandboxServices
    private let graceMs: Int
    private let stderr = ByteRing(capacity: MCPStdioTransport.stderrCapacity)
    private let state = Mutex(State())

    private struct State {
        var process: SandboxedProcess?
        var started = false
        var closing = false
        /// The reader thread has reaped the child and released its placeholders and cgroup.
        var released = false
        /// `close()` waiting for that.
        var releaseWaiter: CheckedContinuation<Void, Never>?
        /// Why the server ended (exit status, stderr tail), once the reader has reaped it.
        var endReason: String?
        /// Failed writes waiting for `endReason`, by ticket.
        var endWaiters: [Int: CheckedContinuation<String?, Never>] = [:]
        var nextTicket = 0
    }

    /// `graceMs` is how long `close()` waits after closing stdin, and again after SIGTERM.
    public init(serverName: String, launch: MCPStdioLaunch, services: SandboxServices, graceMs: Int = 2000) {
        self.serverName = serverName
        self.launch = launch
        self.services = services
        self.graceMs = graceMs
        (events, continuation) = AsyncStream.makeStream(of: MCPTransportEvent.self)
    }

    /// The server's process id (bubblewrap's, when sandboxed), once started.
    public var processID: Int32? { state.withLock { $0.process?.pid } }

    /// Whether the server runs in bubblewrap or on the host (its policy's sandbox mode `off`).
    public var containment: SandboxedProcess.Containment? { state.withLock { $0.process?.containment } }

    /// The newest `limit` bytes of the server's stderr.
    public func stderrTail(_ limit: Int = MCPStdioTransport.stderrQuoteBytes) -> String { stderr.tail(limit) }

    public func start() async throws(MCPTransportError) {
        let first = state.withLock { state in
            defer { state.started = true }
            return !state.started
        }
        guard first else { throw MCPTransportError(.protocolViolation, "the stdio transport of '\(serverName)' was started twice") }
        let process: SandboxedProcess
        do {
            process = try await SandboxedProcess.start(launch.processRequest, services: services)
        } catch {
            throw MCPTransportError(.unreachable, error.message)
        }
        state.withLock { $0.process = process }
        let errorsStarted = DetachedThread.start { self.readErrors(process) }
        let outputStarted = DetachedThread.start { self.readOutput(process) }
        guard errorsStarted, outputStarted else {
            await process.terminate(graceMs: 0)
            if !errorsStarted { process.closeStandardError() }
            if !outputStarted { process.release() }
            throw MCPTransportError(.unreachable, "cannot start a reader thread for '\(launch.command)'")
        }
    }

    public func send(_ message: JSONValue) async throws(MCPTransportError) {
        guard let process = state.withLock({ $0.process }) else {
            throw MCPTransportError(.closed, "the server '\(serverName)' is not started")
        }
        var bytes = JSONWriter.bytes(message)
        bytes.append(UInt8(ascii: "\n"))
        if let failure = process.write(bytes) {
            var message = "cannot write to the server's stdin (\(String(cString: strerror(failure))))"
            // A closed stdin almost always means the server exited: say how, and what it printed.
            if let reason = await endReason(waitingAtMostMs: graceMs) { message += ": \(reason)" }
            throw MCPTransportError(.closed, message)
        }
    }

    /// The reader's account of the server's end, waiting up to `ms` for the reader to reap it;
    /// nil when the server has not ended by then (it closed stdin but lives on).
    private func endReason(waitingAtMostMs ms: Int) async -> String? {
        await withCheckedContinuation { (waiter: CheckedContinuation<String?, Never>) in
            let (known, ticket) = state.withLock { state -> (String?, Int) in
                if let reason = state.endReason { return (reason, 0) }
                state.nextTicket += 1
                state.endWaiters[state.nextTicket] = waiter
                return (nil, state.nextTicket)
            }
            if let known {
                waiter.resume(returning: known)
                return
            }
            Task {
                do { try await Task.sleep(for: .milliseconds(max(ms, 0))) } catch {}
                state.withLock { $0.endWaiters.removeValue(forKey: ticket) }?.resume(returning: nil)
            }
        }
    }

    /// Closes stdin, then SIGTERM, then SIGKILL, `graceMs` apart; the reader reports `.closed`.
    public func close() async {
        let process = state.withLock { state -> SandboxedProcess? in
            state.closing = true
            return state.process
        }
        guard let process else {
            continuation.finish()
            return
        }
        await process.terminate(graceMs: graceMs)
        // The reader releases what the sandbox left in the project (placeholder files masking
        // protected names, the cgroup) once it has reaped the child: wait for it, so a pie that
        // exits right after closing leaves nothing behind.
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let done = state.withLock { state -> Bool in
                if state.released { return true }
                state.releaseWaiter = waiter
                return false
            }
            if done { waiter.resume() }
        }
    }

    // MARK: Reader threads

    private func readErrors(_ process: SandboxedProcess) {
        var buffer = [UInt8](repeating: 0, count: 16384)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(process.standardError, $0.baseAddress, $0.count) }
            if count > 0 {
                buffer.withUnsafeBufferPointer { stderr.append(UnsafeBufferPointer(rebasing: $0[0..<count])) }
            } else if count < 0, errno == EINTR {
                continue
            } else {
                break
            }
        }
        process.closeStandardError()
        stderr.end()
    }

    private func readOutput(_ process: SandboxedProcess) {
        var framer = LineFramer(maxLineBytes: Self.maxLineBytes)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(process.standardOutput, $0.baseAddress, $0.count) }
            if count > 0 {
                let frames = buffer.withUnsafeBufferPointer { framer.feed(UnsafeBufferPointer(rebasing: $0[0..<count])) }
                deliver(frames)
            } else if count < 0, errno == EINTR {
                continue
            } else {
                break
            }
        }
        if let last = framer.finish() { deliver([last]) }
        var exit = process.waitForExitBlocking(timeoutMs: graceMs)
        if exit == nil {
            // stdout closed but the process lives on: it can no longer answer, so it is ended.
            process.killNow()
            exit = process.waitForExitBlocking(timeoutMs: nil)
        }
        // stderr ends with the process; a descendant that escaped the kill cannot hold this up long.
        for _ in 0..<100 where !stderr.ended { usleep(5000) }
        let closing = state.withLock { $0.closing }
        let status = exit.map(\.description) ?? "ended"
        var reason = closing ? "closed by pie (the server \(status))" : "the server process \(status)"
        let tail = stderr.tail(Self.stderrQuoteBytes).trimmingTrailingWhitespace
        if !tail.isEmpty { reason += "; its stderr ends with: \(tail)" }
        let waiting = state.withLock { state in
            state.endReason = reason
            defer { state.endWaiters = [:] }
            return Array(state.endWaiters.values)
        }
        for waiter in waiting { waiter.resume(returning: reason) }
        continuation.yield(.closed(MCPTransportError(.closed, reason)))
        continuation.finish()
        process.release()
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.released = true
            defer { state.releaseWaiter = nil }
            return state.releaseWaiter
        }
        waiter?.resume()
    }

    /// Yields messages in order; consecutive bad lines become one `.malformed` event, so a flood of
    /// garbage costs one event per read, not one per line.
    private func deliver(_ frames: [LineFramer.Frame]) {
        var bad = 0
        var first: String?
        func flush() {
            guard bad > 0, let first else { return }
            continuation.yield(.malformed(bad == 1 ? first : "\(bad) lines were not JSON; the first: \(first)"))
            bad = 0
        }
        for frame in frames {
            switch frame {
            case .line(let bytes):
                do {
                    let value = try JSONParser.parse(bytes)
                    flush()
                    first = nil
                    continuation.yield(.message(value))
                } catch {
                    if bad == 0 { first = "a line that is not JSON (\(error)): \(Self.preview(bytes))" }
                    bad += 1
                }
            case .oversized(let size):
                flush()
                first = nil
                continuation.yield(
                    .malformed("a line of \(size) bytes exceeds the \(Self.maxLineBytes >> 20) MiB limit and was skipped"))
            }
        }
        flush()
    }

    private static func preview(_ bytes: [UInt8]) -> String {
        let shown = String(decoding: bytes.prefix(120), as: UTF8.self)
        return bytes.count > 120 ? shown + "…" : shown
    }
}

extension String {
    fileprivate var trimmingTrailingWhitespace: String {
        var scalars = Substring(self)
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
