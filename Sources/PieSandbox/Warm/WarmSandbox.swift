import CPieSys
import Glibc
import PiePolicy
import Synchronization
import PieSystem

/// One long-lived bubblewrap sandbox running `pie-sandbox-init`, which starts commands inside it.
///
/// bwrap builds the namespaces and mounts once; each command then costs a `clone` into a fresh
/// mount and PID namespace, its protected-path masks, a fresh `/proc`, `/tmp` and `/dev/shm`, its
/// limits and its seccomp program (see Sources/PieSandboxInit/main.c). The sandbox is only reused
/// while the bwrap plan it was built from still holds: `WarmSandboxes` keys it by the plan's
/// arguments and the identity of every path bound into it.
///
/// bwrap runs under `--die-with-parent`, which the kernel ties to the thread that started it, so
/// a dedicated thread starts it and stays until it exits (a pool thread could go away first).
final class WarmSandbox: Sendable {
    /// Where the init binary is bound inside the sandbox (`CPieSysInit.h` says why there).
    static let initInside = PIE_INIT_INSIDE

    let key: WarmSandboxKey
    /// The mounts each command checks before it runs: protected and read-root binds must still be
    /// read-only (`r`), file masks must still be `/dev/null` (`n`). Host paths replaced since the
    /// sandbox was built lost their mounts inside it; a failed check retires the sandbox.
    let checks: [String]
    private let control: Int32
    private let state: Mutex<State>

    private struct State {
        var exited = false
        /// What bwrap printed (its errors) and how it ended, for the error when it is gone.
        var diagnostics: [UInt8] = []
        /// Commands started and not yet finished, so a retired sandbox ends only when idle.
        var running = 0
        var retired = false
        var closed = false
    }

    private init(key: WarmSandboxKey, checks: [String], control: Int32) {
        self.key = key
        self.checks = checks
        self.control = control
        self.state = Mutex(State())
    }

    /// Starts bwrap with `base` (a `BubblewrapPlan.warmBase`) and the init on a dedicated thread.
    static func start(bwrap: String, base: BubblewrapPlan, key: WarmSandboxKey) async throws(WarmSandboxError)
        -> WarmSandbox
    {
        var pair: [Int32] = [-1, -1]
        guard pair.withUnsafeMutableBufferPointer({ cpie_seqpacket_pair($0.baseAddress) }) == 0 else {
            throw WarmSandboxError("cannot create the control socket: \(String(cString: strerror(errno)))")
        }
        let sandbox = WarmSandbox(key: key, checks: checks(of: base), control: pair[0])
        let theirs = pair[1]
        let request = SpawnRequest(
            executable: bwrap, arguments: base.arguments, environment: base.environment, workingDirectory: "/",
            inheritedDescriptors: [theirs], limits: nil)
        let started: Result<Void, SpawnError> = await withCheckedContinuation { continuation in
            let launched = DetachedThread.start {
                let child: ChildProcess
                do throws(SpawnError) {
                    child = try ProcessSpawner.spawn(request)
                } catch {
                    FileIO.close(theirs)
                    continuation.resume(returning: .failure(error))
                    return
                }
                FileIO.close(theirs)
                continuation.resume(returning: .success(()))
                sandbox.watch(child)
            }
            if !launched {
                FileIO.close(theirs)
                continuation.resume(returning: .failure(SpawnError(message: "cannot start a thread", errno: errno)))
            }
        }
        if case .failure(let error) = started {
            sandbox.close()
            throw WarmSandboxError("cannot start bwrap: \(error.message)")
        }
        return sandbox
    }

    /// Whether the sandbox can take commands.
    var isUsable: Bool {
        state.withLock { !$0.exited && !$0.retired }
    }

    /// Starts `request` inside the sandbox, joined to `cgroup` when given. The returned child is
    /// supervised like any other; its reply socket reports the exit and ends it when shut down.
    func launch(_ request: WarmRequest, cgroup: PidsCgroup?) throws(WarmSandboxError) -> ChildProcess {
        var request = request
        request.joinsCgroup = cgroup != nil
        request.checks = checks
        let usable = state.withLock { state -> Bool in
            guard !state.exited, !state.closed else { return false }
            state.running += 1
            return true
        }
        guard usable else { throw gone() }
        var handedOver = false
        defer { if !handedOver { finished() } }

        guard let output = Descriptor.pipe() else {
            throw WarmSandboxError("cannot create the output pipe: \(String(cString: strerror(errno)))")
        }
        var pair: [Int32] = [-1, -1]
        guard pair.withUnsafeMutableBufferPointer({ cpie_seqpacket_pair($0.baseAddress) }) == 0 else {
            FileIO.close(output.read)
            FileIO.close(output.write)
            throw WarmSandboxError("cannot create a reply socket: \(String(cString: strerror(errno)))")
        }
        var attached = [pair[1], output.write]
        if let cgroup {
            let procs = cgroup.openProcs()
            guard procs >= 0 else {
                (attached + [pair[0], output.read]).forEach(FileIO.close)
                throw WarmSandboxError("cannot open the pids cgroup \(cgroup.directory)")
            }
            attached.append(procs)
        }
        let bytes = request.encoded
        let sent = attached.withUnsafeBufferPointer { fds in
            bytes.withUnsafeBytes { cpie_send_with_descriptors(control, $0.baseAddress, $0.count, fds.baseAddress, Int32(fds.count)) }
        }
        attached.forEach(FileIO.close)
        guard sent == bytes.count else {
            [pair[0], output.read].forEach(FileIO.close)
            throw gone()
        }
        switch WarmReply.awaitStart(on: pair[0]) {
        case .started(let sandboxPid):
            handedOver = true
            return ChildProcess(
                process: .warm(replies: pair[0], sandboxPid: sandboxPid), output: output.read, cgroup: cgroup,
                onClose: { [self] in finished() })
        case .failed("stale", _):
            [pair[0], output.read].forEach(FileIO.close)
            throw WarmSandboxError(
                "a path bound into the warm sandbox was replaced on the host", gone: true)
        case .failed(let step, let code):
            [pair[0], output.read].forEach(FileIO.close)
            throw WarmSandboxError(step: step, errno: code)
        default:
            [pair[0], output.read].forEach(FileIO.close)
            throw gone()
        }
    }

    /// Only the last mount on each path counts (a read root under `/tmp` that is also a write root
    /// ends up writable).
    private static func checks(of base: BubblewrapPlan) -> [String] {
        var last: [PathKey: String?] = [:]
        var order: [String] = []
        for mount in base.mounts {
            let path: String
            let check: String?
            switch mount {
            case .readOnlyBind("/dev/null", let destination): (path, check) = (destination, "n")
            case .readOnlyBind(let source, let destination):
                let sameSpot = PathBytes.equal(source, destination) && !PathBytes.equal(source, "/")
                (path, check) = (destination, sameSpot ? "r" : nil)
            case .bind(let target), .bindAt(_, let target), .tmpfs(let target, _): (path, check) = (target, nil)
            case .remountReadOnly(let target): (path, check) = (target, "r")
            case .devices(let target), .procfs(let target), .symlink(_, let target): (path, check) = (target, nil)
            // A base binds its copies again (`warmBase`); one left would be a file on the read-only root.
            case .copy(_, let target): (path, check) = (target, nil)
            }
            if last[PathKey(path)] == nil { order.append(path) }
            last[PathKey(path)] = .some(check)
        }
        return order.compactMap { path in last[PathKey(path)].flatMap { $0 }.map { $0 + path } }
    }

    /// No new commands; the sandbox ends once the running ones are done.
    func retire() {
        let idle = state.withLock { state -> Bool in
            state.retired = true
            return state.running == 0
        }
        if idle { close() }
    }

    private func finished() {
        let end = state.withLock { state -> Bool in
            state.running -= 1
            return state.retired && state.running == 0
        }
        if end { close() }
    }

    /// Closing the control socket ends the init, and with it bwrap and the sandbox's namespaces.
    private func close() {
        let first = state.withLock { state -> Bool in
            defer { state.closed = true }
            return !state.closed
        }
        if first { FileIO.close(control) }
    }

    /// On the starting thread: keeps bwrap's messages and reaps it when it ends.
    private func watch(_ child: ChildProcess) {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(child.output, &buffer, buffer.count)
            if count < 0, errno == EINTR { continue }
            if count <= 0 { break }
            state.withLock { state in
                if state.diagnostics.count < 8192 { state.diagnostics += buffer[0..<count] }
            }
        }
        let status = child.reap(blocking: true)
        child.close()
        state.withLock { state in
            state.exited = true
            if let status {
                let (code, signal) = Termination.decode(status)
                state.diagnostics += Array((signal.map { " (killed by signal \($0))" } ?? " (exit \(code ?? -1))").utf8)
            }
        }
        close()
    }

    private func gone() -> WarmSandboxError {
        let detail = state.withLock { String(decoding: $0.diagnostics, as: UTF8.self) }
            .split(whereSeparator: \.isNewline).joined(separator: " ")
        return WarmSandboxError(
            "the warm sandbox has ended" + (detail.isEmpty ? "" : ": \(detail)"), gone: true, broken: true)
    }
}

/// Why a command could not start in a warm sandbox. `gone` means the sandbox itself is unusable
/// (the caller drops it and starts the command another way); otherwise the command's own setup
/// failed and `step` names the part. `broken` marks a sandbox that failed for a reason likely to
/// recur (it ended, or a step of its own setup fails on this machine), as opposed to one retired
/// because a host path bound into it was replaced.
struct WarmSandboxError: Error, Sendable, Equatable {
    var message: String
    var gone: Bool
    var broken: Bool
    var step: String?
    var errno: Int32

    /// Steps of the init's own setup for a command, not of the command: when one fails, the
    /// command is started in a bubblewrap of its own instead.
    static let sandboxSteps: Set<String> = ["pipe", "clone", "mount-namespace", "tmp", "shm", "proc"]

    init(_ message: String, gone: Bool = false, broken: Bool = false) {
        self.message = message
        self.gone = gone
        self.broken = broken
        self.step = nil
        self.errno = 0
    }

    init(step: String, errno code: Int32) {
        let reason = String(cString: strerror(code))
        switch step {
        case "exec": message = "cannot start the command: \(reason)"
        case "chdir": message = "cannot enter the working directory: \(reason)"
        case "cgroup": message = "cannot confine the command: cannot join the pids cgroup: \(reason)"
        case "limit": message = "cannot confine the command: cannot lower a resource limit: \(reason)"
        case "mask": message = "cannot mask a missing protected path inside the sandbox: \(reason)"
        default: message = "cannot set up the command inside the sandbox: \(step) failed: \(reason)"
        }
        self.gone = Self.sandboxSteps.contains(step)
        self.broken = gone
        self.step = step
        self.errno = code
    }
}
