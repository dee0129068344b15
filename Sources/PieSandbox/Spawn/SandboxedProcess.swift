import CPieSys
import Glibc
import PiePolicy
import PieSystem
import Synchronization

/// A long-lived child with pipes on stdin, stdout and stderr, started inside bubblewrap + seccomp
/// (or on the host when its policy's sandbox mode is `off`), with resource limits, a pids cgroup
/// where pie can make one, `--die-with-parent` and a process group of its own.
///
/// Unlike `SandboxedShell`, nothing here waits for the child: the caller reads `standardOutput`
/// and `standardError` until they end, writes `standardInput`, and ends the child with
/// `terminate(graceMs:)`. `auto` does not fall back to the host: a server that outlives one call is
/// not started without the isolation its policy asks for ("what is not known is not allowed").
public final class SandboxedProcess: Sendable {
    public enum Containment: String, Sendable, Equatable {
        case bubblewrap, host
    }

    public let pid: Int32
    public let containment: Containment
    /// Write end of the child's stdin (close-on-exec); closed by `closeStandardInput()`.
    public let standardInput: Int32
    /// Read ends of the child's stdout and stderr. Their readers close stderr with
    /// `closeStandardError()`; stdout is closed by `release()`, after the child is reaped.
    public let standardOutput: Int32
    public let standardError: Int32

    private let child: ChildProcess
    private let placeholders: [String]
    private let registry: PlaceholderRegistry
    private let state = Mutex(State())
    private let writeLock = Mutex(())

    private struct State {
        var exit: SandboxedProcessExit?
        var inputOpen = true
        var writers = 0
        var inputClosePending = false
        var errorOpen = true
        var released = false
    }

    private init(
        pid: Int32, child: ChildProcess, containment: Containment, input: Int32, errors: Int32,
        placeholders: [String], registry: PlaceholderRegistry
    ) {
        self.pid = pid
        self.child = child
        self.containment = containment
        self.standardInput = input
        self.standardOutput = child.output
        self.standardError = errors
        self.placeholders = placeholders
        self.registry = registry
    }

    /// Starts `request`. Fails with a message naming what is missing (bubblewrap, the program, a
    /// pipe) before anything runs. The blocking part (the plan's file-system look-ups, the pids
    /// cgroup, the spawn, whose child joins the cgroup) runs on the services' `SpawnThread`: off
    /// Swift's cooperative pool, and on a thread that lives as long as pie, because
    /// `--die-with-parent` kills the child when the thread that spawned it ends.
    public static func start(
        _ request: SandboxedProcessRequest, services: SandboxServices
    ) async throws(SandboxSetupError) -> SandboxedProcess {
        guard let program = request.command.first, !program.isEmpty else {
            throw SandboxSetupError("the command is empty; name the program to start")
        }
        guard PathBytes.isAbsolute(request.workingDirectory) else {
            throw SandboxSetupError("working directory '\(request.workingDirectory)' must be absolute")
        }
        let searchPath = request.environment["PATH"] ?? ShellEnvironment.defaultPath
        guard let executable = resolve(program, searchPath: searchPath) else {
            throw SandboxSetupError(
                "cannot start '\(program)': not found on PATH (\(searchPath)); give an absolute path or install it")
        }
        var bwrap: String?
        if request.policy.sandboxMode != .off {
            switch await services.probe.check(environment: request.environment.merging(["PATH": searchPath]) { a, _ in a }) {
            case .available(let path): bwrap = path
            case .unavailable(let reason):
                throw SandboxSetupError(
                    "a sandboxed server needs a working bubblewrap sandbox: \(reason). "
                        + "Set the server's policy to sandbox mode off only if it may run on the host.")
            }
        }
        let chosen = bwrap
        let outcome = await withCheckedContinuation { (continuation: CheckedContinuation<Result<SandboxedProcess, SandboxSetupError>, Never>) in
            let work: @Sendable () -> Void = {
                do throws(SandboxSetupError) {
                    continuation.resume(
                        returning: .success(try Self.launch(request, executable: executable, bwrap: chosen, services: services)))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
            services.spawnThread.run(work)
        }
        return try outcome.get()
    }

    /// The blocking part of `start`: `bwrap` is nil on the host (sandbox mode `off`).
    private static func launch(
        _ request: SandboxedProcessRequest, executable: String, bwrap: String?, services: SandboxServices
    ) throws(SandboxSetupError) -> SandboxedProcess {
        let program = request.command[0]
        let policy = request.policy
        var command = request.command
        command[0] = executable
        let spawnID = SpawnID.make()

        var prepared: (spawn: SpawnRequest, placeholders: [String], descriptors: [Int32], containment: Containment)
        if let bwrap {
            var paths = policy.paths
            paths.sandboxReads = .allowlist
            paths.projectRoot = walkedRoot(paths)
            var inside = request.environment
            inside["TMPDIR"] = "/tmp"
            let plan = try BubblewrapPlan(
                bwrap: bwrap, paths: paths, allowNetwork: policy.sandboxNetwork, tmpfsBytes: request.limits.tmpfsBytes,
                workingDirectory: request.workingDirectory, environment: inside, seccompDescriptor: 3, command: command,
                inspector: PlaceholderAwareInspector(base: SystemPathInspector(), inUse: services.placeholders.inUse()),
                systemFiles: .copied)
            let filter = try services.seccomp.program(allowInternet: policy.sandboxNetwork)
            guard let pipe = Descriptor.pipe() else { throw SandboxSetupError("cannot create a pipe for the seccomp filter") }
            let written = FileIO.writeAll(pipe.write, filter) == nil
            FileIO.close(pipe.write)
            guard written else {
                FileIO.close(pipe.read)
                throw SandboxSetupError("cannot hand the seccomp filter to bwrap")
            }
            let copies = CopiedFiles(opening: plan)
            prepared = (
                SpawnRequest(
                    executable: bwrap, arguments: copies.plan.arguments, environment: inside, workingDirectory: "/",
                    inheritedDescriptors: [pipe.read] + copies.descriptors, limits: request.limits),
                copies.plan.placeholders, [pipe.read] + copies.descriptors, .bubblewrap
            )
        } else {
            prepared = (
                SpawnRequest(
                    executable: executable, arguments: command, environment: request.environment,
                    workingDirectory: request.workingDirectory, inheritedDescriptors: [], limits: request.limits),
                [], [], .host
            )
        }
        defer { prepared.descriptors.forEach(FileIO.close) }

        guard let input = Descriptor.pipe() else { throw SandboxSetupError("cannot create the stdin pipe") }
        guard let errors = Descriptor.pipe() else {
            FileIO.close(input.read)
            FileIO.close(input.write)
            throw SandboxSetupError("cannot create the stderr pipe")
        }
        defer {
            FileIO.close(input.read)
            FileIO.close(errors.write)
        }
        prepared.spawn.standardInput = input.read
        prepared.spawn.standardError = errors.write
        let cgroup = PidsCgroup.create(maxProcesses: request.limits.processes, id: spawnID)
        prepared.spawn.cgroup = cgroup
        prepared.spawn.cgroupSelfJoin = true
        services.placeholders.acquire(prepared.placeholders)
        let child: ChildProcess
        do {
            child = try ProcessSpawner.spawn(prepared.spawn)
        } catch {
            services.placeholders.release(prepared.placeholders)
            cgroup?.remove()
            FileIO.close(input.write)
            FileIO.close(errors.read)
            throw SandboxSetupError("cannot start '\(program)': \(error.message)")
        }
        guard case .local(let pid, _) = child.process else {
            throw SandboxSetupError("cannot start '\(program)': the spawner returned a warm command")
        }
        return SandboxedProcess(
            pid: pid, child: child, containment: prepared.containment, input: input.write, errors: errors.read,
            placeholders: prepared.placeholders, registry: services.placeholders)
    }

    /// The directory the plan's deny walk covers besides the write roots: the project when the
    /// server can see it, else nothing. `/dev/null` is not a directory, so the walk finds no entries
    /// there; walking a project the server cannot see would only add masks and start-up time.
    static func walkedRoot(_ paths: PathPolicy) -> String {
        let visible = paths.writeRoots + paths.readRoots
        if visible.contains(where: { PathNormalizer.isWithin(paths.projectRoot, $0) }) { return paths.projectRoot }
        return paths.writeRoots.first ?? "/dev/null"
    }

    /// `program` itself when it contains a slash, else the first executable of that name on `searchPath`.
    static func resolve(_ program: String, searchPath: String) -> String? {
        if program.utf8.contains(UInt8(ascii: "/")) { return access(program, X_OK) == 0 ? program : nil }
        for directory in searchPath.utf8.split(separator: UInt8(ascii: ":")) {
            let candidate = "\(Substring(directory))/\(program)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// Writes all of `bytes` to the child's stdin; returns nil or the errno that stopped it.
    /// Writes are serialized (one message is never interleaved with another). A child that
    /// stopped reading is an error, not a signal: SIGPIPE is blocked for the write and a pending
    /// one consumed, so pie is never killed by a server that closed its end.
    public func write(_ bytes: [UInt8]) -> Int32? {
        let open = state.withLock { state -> Bool in
            guard state.inputOpen else { return false }
            state.writers += 1
            return true
        }
        guard open else { return EPIPE }
        let failure = writeLock.withLock { _ -> Int32? in
            var blocked = sigset_t()
            var previous = sigset_t()
            sigemptyset(&blocked)
            sigaddset(&blocked, SIGPIPE)
            pthread_sigmask(SIG_BLOCK, &blocked, &previous)
            defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
            let failure = FileIO.writeAll(standardInput, bytes)
            if failure == EPIPE {
                var none = timespec(tv_sec: 0, tv_nsec: 0)
                _ = sigtimedwait(&blocked, nil, &none)
            }
            return failure
        }
        let closeNow = state.withLock { state -> Bool in
            state.writers -= 1
            return !state.inputOpen && state.writers == 0 && state.inputClosePending
        }
        if closeNow { FileIO.close(standardInput) }
        return failure
    }

    /// Closes the child's stdin: a well-behaved stdio server exits when it sees end of input. A
    /// write blocked on a full pipe does not hold this up: the descriptor is closed when it ends.
    public func closeStandardInput() {
        let closeNow = state.withLock { state -> Bool in
            guard state.inputOpen else { return false }
            state.inputOpen = false
            state.inputClosePending = state.writers > 0
            return state.writers == 0
        }
        if closeNow { FileIO.close(standardInput) }
    }

    public func closeStandardError() {
        let close = state.withLock { state in
            defer { state.errorOpen = false }
            return state.errorOpen
        }
        if close { FileIO.close(standardError) }
    }

    /// The exit, once the child has been reaped.
    public var exit: SandboxedProcessExit? { state.withLock { $0.exit } }

    /// Waits (on a thread of its own, off Swift's pool) up to `timeoutMs` (nil: forever) for the
    /// child to exit, and reaps it. Returns nil when it is still running.
    public func waitForExit(timeoutMs: Int? = nil) async -> SandboxedProcessExit? {
        if let exit { return exit }
        return await withCheckedContinuation { continuation in
            let started = DetachedThread.start { continuation.resume(returning: self.waitForExitBlocking(timeoutMs: timeoutMs)) }
            if !started { continuation.resume(returning: self.waitForExitBlocking(timeoutMs: timeoutMs)) }
        }
    }

    /// Ends the child politely, then firmly: stdin closed, `graceMs` to exit; SIGTERM to the
    /// server (its cgroup's members but bubblewrap; the process group on the host), `graceMs`
    /// more; then SIGKILL to the tree. Always reaps it, so no
    /// zombie is left, and releases the cgroup and mount placeholders.
    @discardableResult
    public func terminate(graceMs: Int) async -> SandboxedProcessExit {
        closeStandardInput()
        if let exit = await waitForExit(timeoutMs: graceMs) { return finish(exit) }
        if exit == nil {
            // In bubblewrap the server is not in pie's child's process group (`--new-session`);
            // only the cgroup reaches it. Without a cgroup, SIGTERM ends bubblewrap, whose
            // `--die-with-parent` then kills the server.
            if containment == .bubblewrap, let cgroup = child.cgroup {
                cgroup.signalAll(SIGTERM, sparing: pid)
            } else {
                killpg(pid, SIGTERM)
            }
        }
        if let exit = await waitForExit(timeoutMs: graceMs) { return finish(exit) }
        child.killGroup()
        let exit = await waitForExit(timeoutMs: nil) ?? SandboxedProcessExit(exitCode: nil, signal: SIGKILL)
        return finish(exit)
    }

    /// Kills the whole tree at once (SIGKILL), for a server that must stop now.
    public func killNow() {
        if exit == nil { child.killGroup() }
    }

    /// Closes stdin and stdout once stdout's reader is done and the child is reaped, and releases
    /// the cgroup and placeholders. Idempotent. stderr stays with its reader, which closes it at
    /// its end (`closeStandardError()`): closing a descriptor another thread reads could hand its
    /// number to an unrelated file.
    public func release() {
        let release = state.withLock { state in
            defer { state.released = true }
            return !state.released
        }
        guard release else { return }
        closeStandardInput()
        child.close()
        child.cgroup?.remove()
        registry.release(placeholders)
    }

    private func finish(_ exit: SandboxedProcessExit) -> SandboxedProcessExit {
        child.cgroup?.killAll()
        return exit
    }

    /// `waitForExit` for a thread that may block (a transport's reader thread).
    public func waitForExitBlocking(timeoutMs: Int?) -> SandboxedProcessExit? {
        let deadline = timeoutMs.map { Descriptor.monotonicMilliseconds() + Int64($0) }
        while true {
            if let exit { return exit }
            let exited = state.withLock { state -> Bool in
                guard state.exit == nil else { return true }
                guard cpie_peek_exited(pid, 0) == 1, let status = child.reap() else { return false }
                let decoded = Termination.decode(status)
                state.exit = SandboxedProcessExit(exitCode: decoded.exitCode, signal: decoded.signal)
                return true
            }
            if exited { return exit }
            let now = Descriptor.monotonicMilliseconds()
            if let deadline, now >= deadline { return nil }
            let waitMs = deadline.map { min($0 - now, 1000) } ?? 1000
            if let pidfd = child.exitDescriptor {
                var fds = [pollfd(fd: pidfd, events: Int16(POLLIN), revents: 0)]
                _ = poll(&fds, 1, Int32(clamping: waitMs))
            } else {
                usleep(UInt32(min(waitMs, 10)) * 1000)
            }
        }
    }
}
