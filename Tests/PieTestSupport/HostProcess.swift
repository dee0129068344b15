import CPieSys
import Glibc
import PieSystem
import Synchronization

/// A host program a test runs (git, realpath, python3, the built `pie`): `posix_spawn`, pipes
/// drained by one reader thread, `waitpid`.
///
/// Not Foundation's `Process`: on Linux its `run()` scans `/proc/self/fd` and copies each
/// `dirent.d_name` as a 256-byte tuple, reading past the end of glibc's readdir buffer
/// (swift-corelibs-foundation's `findMaximumOpenFromProcSelfFD`; AddressSanitizer reports a
/// heap-buffer-overflow there). When the buffer ends at an unmapped page the test process dies
/// with SIGSEGV, which is how CI failed once.
public final class HostProcess: Sendable {
    /// What a finished program left: exit status as a shell reports it (128 + N for signal N).
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: [UInt8]
        public var stderr: [UInt8]

        public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
        public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
    }

    /// Where the child's standard input comes from.
    public enum Input: Sendable {
        /// `/dev/null`.
        case none
        /// A pipe the test writes with `write(_:)` and closes with `closeInput()`.
        case pipe
        /// A file opened read-only.
        case file(String)
    }

    /// Why a program could not be started.
    public struct SpawnError: Error, CustomStringConvertible {
        public var description: String
    }

    public let pid: pid_t
    private let inputDescriptor: Mutex<Int32>
    private let output = Mutex(Collected())
    private let exit = Mutex<Int32?>(nil)

    private struct Collected {
        var stdout: [UInt8] = []
        var stderr: [UInt8] = []
        var closed = false
    }

    /// Starts `arguments[0]` (an absolute path) with the rest as its arguments, in `cwd`, with
    /// exactly `environment` (nil: this process's). With `mergeStandardError` stderr goes to the
    /// stdout pipe, as `2>&1` would.
    public init(
        _ arguments: [String], cwd: String? = nil, environment: [String: String]? = nil, input: Input = .none,
        mergeStandardError: Bool = false
    ) throws {
        guard let executable = arguments.first else { throw SpawnError(description: "no program to run") }
        let stdoutPipe = try Self.pipe(), stderrPipe = try Self.pipe(), stdinPipe = try Self.pipe()
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        switch input {
        case .none: posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        case .pipe: posix_spawn_file_actions_adddup2(&actions, stdinPipe.read, 0)
        case .file(let path): posix_spawn_file_actions_addopen(&actions, 0, path, O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, stdoutPipe.write, 1)
        posix_spawn_file_actions_adddup2(&actions, mergeStandardError ? stdoutPipe.write : stderrPipe.write, 2)
        if let cwd { cpie_spawn_add_chdir(&actions, cwd) }
        cpie_spawn_add_closefrom(&actions, 3)

        // The child starts with no blocked signals and default dispositions, whatever the test
        // runner's thread had: a test that sends SIGINT must reach the program's own handler.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t(), allSignals = sigset_t()
        sigemptyset(&noSignals)
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = arguments.map { strdup($0) } + [nil]
        let environmentLines = (environment ?? Self.currentEnvironment()).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            environmentLines.forEach { free($0) }
        }
        var child: pid_t = 0
        let status = posix_spawn(&child, executable, &actions, &attributes, argv, environmentLines)
        for descriptor in [stdoutPipe.write, stderrPipe.write, stdinPipe.read] { close(descriptor) }
        guard status == 0 else {
            for descriptor in [stdoutPipe.read, stderrPipe.read, stdinPipe.write] { close(descriptor) }
            throw SpawnError(description: "cannot start \(executable): \(String(cString: strerror(status)))")
        }
        pid = child
        if case .pipe = input {
            inputDescriptor = Mutex(stdinPipe.write)
        } else {
            close(stdinPipe.write)
            inputDescriptor = Mutex(-1)
        }
        startReader(stdout: stdoutPipe.read, stderr: stderrPipe.read)
    }

    /// Runs a program to completion, feeding `input` on its standard input; the wait happens on a
    /// thread of its own, so a long program (an oracle checking thousands of cases) does not hold
    /// one of the few threads of Swift's cooperative pool, which the other tests need.
    public static func run(
        _ arguments: [String], cwd: String? = nil, environment: [String: String]? = nil, input: [UInt8]? = nil,
        mergeStandardError: Bool = false
    ) async throws -> Result {
        let process = try HostProcess(
            arguments, cwd: cwd, environment: environment, input: input == nil ? .none : .pipe,
            mergeStandardError: mergeStandardError)
        return await withCheckedContinuation { continuation in
            let finish: @Sendable () -> Void = { continuation.resume(returning: process.finish(feeding: input)) }
            if !DetachedThread.start(finish) { finish() }
        }
    }

    /// `run` for callers already on a thread of their own, and for clean-up in a `defer` (which
    /// cannot await): blocks the calling thread until the program exits. Async code otherwise
    /// awaits `run`, even for a short program: under a full suite's load git or rm can take a
    /// second, and that second is taken from every test sharing the cooperative pool.
    public static func runBlocking(
        _ arguments: [String], cwd: String? = nil, environment: [String: String]? = nil, input: [UInt8]? = nil,
        mergeStandardError: Bool = false
    ) throws -> Result {
        let process = try HostProcess(
            arguments, cwd: cwd, environment: environment, input: input == nil ? .none : .pipe,
            mergeStandardError: mergeStandardError)
        return process.finish(feeding: input)
    }

    private func finish(feeding input: [UInt8]?) -> Result {
        if let input {
            write(input)
            closeInput()
        }
        return waitForExit()
    }

    /// Writes to the child's standard input (a `.pipe` input); a closed pipe is ignored, as a
    /// shell's `printf | prog` would be when `prog` stops reading.
    public func write(_ bytes: [UInt8]) {
        inputDescriptor.withLock { descriptor in
            guard descriptor >= 0 else { return }
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return }
                offset += written
            }
        }
    }

    public func closeInput() {
        inputDescriptor.withLock { descriptor in
            if descriptor >= 0 { close(descriptor) }
            descriptor = -1
        }
    }

    /// Sends `signal` to the child.
    public func signal(_ signal: Int32) {
        kill(pid, signal)
    }

    /// Output collected so far.
    public var stdout: [UInt8] { output.withLock { $0.stdout } }
    public var stderr: [UInt8] { output.withLock { $0.stderr } }
    /// Both pipes reached end of file.
    public var outputClosed: Bool { output.withLock { $0.closed } }

    /// The exit status if the child has exited, without blocking.
    public var exitStatus: Int32? {
        exit.withLock { known in
            if let known { return known }
            var status: Int32 = 0
            guard waitpid(pid, &status, WNOHANG) == pid else { return nil }
            known = Self.shellStatus(status)
            return known
        }
    }

    /// `waitForExit` on a thread of its own, for async code: the wait (up to the program's end,
    /// plus the drain of pipes a leftover daemon may hold) must not hold one of the cooperative
    /// pool's threads, a thread per core, which every other test running beside this one needs.
    public func exited() async -> Result {
        await withCheckedContinuation { continuation in
            let finish: @Sendable () -> Void = { continuation.resume(returning: self.waitForExit()) }
            if !DetachedThread.start(finish) { finish() }
        }
    }

    /// Blocks until the child exits and both pipes are drained: only for a thread of its own
    /// (async code awaits `exited()`).
    public func waitForExit() -> Result {
        let status = exit.withLock { known -> Int32 in
            if let known { return known }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            known = Self.shellStatus(status)
            return known ?? 0
        }
        closeInput()
        // A daemon the child left behind may hold the pipes open: give them two seconds after the
        // exit, then answer with what was read (the reader ends on its own when they close).
        for _ in 0..<2_000 where !outputClosed { usleep(1_000) }
        return output.withLock { Result(status: status, stdout: $0.stdout, stderr: $0.stderr) }
    }

    /// One thread reads both pipes with `poll` until both reach end of file, so a child that
    /// fills one pipe while the test reads the other cannot deadlock.
    private func startReader(stdout: Int32, stderr: Int32) {
        let reader: @Sendable () -> Void = { [self] in
            var descriptors = [pollfd(fd: stdout, events: Int16(POLLIN), revents: 0), pollfd(fd: stderr, events: Int16(POLLIN), revents: 0)]
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while descriptors.contains(where: { $0.fd >= 0 }) {
                guard poll(&descriptors, nfds_t(descriptors.count), -1) >= 0 || errno == EINTR else { break }
                for index in descriptors.indices where descriptors[index].fd >= 0 && descriptors[index].revents != 0 {
                    let count = buffer.withUnsafeMutableBytes { read(descriptors[index].fd, $0.baseAddress, $0.count) }
                    if count < 0 && errno == EINTR { continue }
                    if count <= 0 {
                        close(descriptors[index].fd)
                        descriptors[index].fd = -1
                        continue
                    }
                    let chunk = buffer[0..<count]
                    output.withLock { collected in
                        if index == 0 { collected.stdout += chunk } else { collected.stderr += chunk }
                    }
                }
            }
            output.withLock { $0.closed = true }
        }
        if !DetachedThread.start(reader) { reader() }
    }

    private static func pipe() throws -> (read: Int32, write: Int32) {
        var descriptors: [Int32] = [-1, -1]
        guard cpie_pipe2(&descriptors, O_CLOEXEC) == 0 else {
            throw SpawnError(description: "pipe2 failed: \(String(cString: strerror(errno)))")
        }
        return (descriptors[0], descriptors[1])
    }

    private static func currentEnvironment() -> [String: String] {
        var result: [String: String] = [:]
        var entry = environ
        while let line = entry.pointee {
            let text = String(cString: line)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            entry += 1
        }
        return result
    }

    /// WIFEXITED ? WEXITSTATUS : 128 + WTERMSIG, as a shell reports it.
    private static func shellStatus(_ status: Int32) -> Int32 {
        status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }
}
