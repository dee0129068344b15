import CPieSys
import Glibc

/// A message from `pie-sandbox-init` on a request's reply socket (`struct pie_init_reply`).
enum WarmReply: Equatable {
    case started(sandboxPid: Int32)
    case failed(step: String, errno: Int32)
    case exited(status: Int32)
    /// The init closed the socket without an answer: it (or its sandbox) is gone.
    case closed

    /// How long a command's setup may take inside the sandbox before the sandbox counts as hung.
    static let startTimeoutMs: Int32 = 30_000

    /// The init's answer to a request: started or failed, or `.closed` when it is gone or has not
    /// answered within `startTimeoutMs`.
    static func awaitStart(on socket: Int32) -> WarmReply {
        var watched = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        while true {
            let ready = poll(&watched, 1, startTimeoutMs)
            if ready < 0, errno == EINTR { continue }
            guard ready > 0 else { return .closed }
            return receive(from: socket, blocking: true) ?? .closed
        }
    }

    /// Receives one reply; nil when `blocking` is false and none is waiting yet.
    static func receive(from socket: Int32, blocking: Bool) -> WarmReply? {
        var reply = pie_init_reply()
        while true {
            let count = recv(socket, &reply, MemoryLayout<pie_init_reply>.size, blocking ? 0 : Int32(MSG_DONTWAIT))
            if count < 0, errno == EINTR { continue }
            if count < 0, errno == EAGAIN || errno == EWOULDBLOCK { return nil }
            guard count == MemoryLayout<pie_init_reply>.size else { return .closed }
            break
        }
        switch reply.kind {
        case PIE_INIT_STARTED: return .started(sandboxPid: reply.value)
        case PIE_INIT_EXITED: return .exited(status: reply.value)
        case PIE_INIT_FAILED:
            let step = withUnsafeBytes(of: reply.step) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            return .failed(step: step, errno: reply.error)
        default: return .closed
        }
    }

    /// The wait status of a started command once it is known. When the init is gone, the command
    /// went with its sandbox: that reads as killed by SIGKILL.
    static func exitStatus(from socket: Int32, blocking: Bool) -> Int32? {
        switch receive(from: socket, blocking: blocking) {
        case .exited(let status)?: status
        case nil: nil
        default: SIGKILL
        }
    }
}
