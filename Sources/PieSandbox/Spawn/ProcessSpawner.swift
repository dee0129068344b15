import CPieSys
import Glibc

/// Starts child processes with `posix_spawn`, because a library spawner cannot hand a descriptor
/// (the seccomp program) to a fixed number in the child.
///
/// Every child:
/// - is the leader of a new process group (`POSIX_SPAWN_SETPGROUP`), so one `killpg` reaches the
///   whole tree it starts on the host;
/// - starts with an empty signal mask and default dispositions (pie's own handlers do not leak);
/// - reads `/dev/null`, and writes stdout and stderr into one pipe, interleaved as they happen;
/// - gets `inheritedDescriptors` as fd 3, 4, … and nothing else (`closefrom` after them);
/// - when limits or a cgroup are requested, waits behind a gate until `prlimit` has lowered the
///   limits and it has joined the cgroup.
enum ProcessSpawner {
    /// Descriptors are first moved at or above this number so the `dup2` file actions can never
    /// clobber a source with an earlier target, and never hit the `dup2(fd, fd)` no-op.
    private static let staging: Int32 = 64

    static func spawn(_ request: SpawnRequest) throws(SpawnError) -> ChildProcess {
        guard let output = Descriptor.pipe() else { throw failure("cannot create the output pipe") }
        var childEnds: [Int32] = [output.write]
        var parentKeeps: [Int32] = [output.read]
        var spawned = false
        defer {
            childEnds.forEach(Descriptor.close)
            if !spawned { parentKeeps.forEach(Descriptor.close) }
        }

        var inherited: [Int32] = []
        for fd in request.inheritedDescriptors {
            let copy = Descriptor.duplicate(fd, atLeast: staging)
            guard copy >= 0 else { throw failure("cannot stage descriptor \(fd)") }
            childEnds.append(copy)
            inherited.append(copy)
        }
        let stagedOutput = Descriptor.duplicate(output.write, atLeast: staging)
        guard stagedOutput >= 0 else { throw failure("cannot stage the output pipe") }
        childEnds.append(stagedOutput)

        var gate: (read: Int32, write: Int32)?
        if request.limits != nil || request.cgroup != nil {
            guard let pipe = Descriptor.pipe() else { throw failure("cannot create the limits gate") }
            let stagedRead = Descriptor.duplicate(pipe.read, atLeast: staging)
            Descriptor.close(pipe.read)
            guard stagedRead >= 0 else {
                Descriptor.close(pipe.write)
                throw failure("cannot stage the limits gate")
            }
            childEnds.append(stagedRead)
            parentKeeps.append(pipe.write)
            gate = (stagedRead, pipe.write)
        }

        let gateNumber = Int32(3 + inherited.count)
        var argv = request.arguments
        var executable = request.executable
        if gate != nil {
            executable = "/bin/sh"
            argv = ["/bin/sh", "-c", gateScript(fd: gateNumber), "pie-gate", request.executable]
                + request.arguments.dropFirst()
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stagedOutput, 1)
        posix_spawn_file_actions_adddup2(&actions, stagedOutput, 2)
        for (index, fd) in inherited.enumerated() {
            posix_spawn_file_actions_adddup2(&actions, fd, 3 + Int32(index))
        }
        if let gate { posix_spawn_file_actions_adddup2(&actions, gate.read, gateNumber) }
        cpie_spawn_addclosefrom(&actions, gateNumber + (gate == nil ? 0 : 1))
        if let cwd = request.workingDirectory { cpie_spawn_addchdir(&actions, cwd) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let environment = request.environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let result = withCStrings(argv) { argvPointers in
            withCStrings(environment) { envPointers in
                posix_spawn(&pid, executable, &actions, &attributes, argvPointers, envPointers)
            }
        }
        guard result == 0 else {
            throw SpawnError(
                message: "cannot start \(request.executable): \(String(cString: strerror(result)))", errno: result)
        }
        spawned = true

        if let gate {
            var problem = request.limits.flatMap { apply($0, to: pid) }
            if problem == nil, let cgroup = request.cgroup, !cgroup.add(pid) {
                problem = "cannot join the pids cgroup \(cgroup.directory): \(String(cString: strerror(errno)))"
            }
            if let problem {
                killpg(pid, SIGKILL)
                var status: Int32 = 0
                _ = waitpid(pid, &status, 0)
                Descriptor.close(output.read)
                Descriptor.close(gate.write)
                throw SpawnError(message: "cannot confine the command: \(problem)", errno: errno)
            }
            _ = Descriptor.writeAll(gate.write, [UInt8(ascii: "\n")])
            Descriptor.close(gate.write)
        }
        let pidfd = cpie_pidfd_open(pid)
        return ChildProcess(pid: pid, pidfd: pidfd >= 0 ? pidfd : nil, output: output.read, cgroup: request.cgroup)
    }

    /// The trampoline: wait for the parent's go (EOF without it means "abort"), drop the gate
    /// descriptor, then become the real program with the limits already in place.
    static func gateScript(fd: Int32) -> String {
        "IFS= read -r _ <&\(fd) || exit 125; exec \(fd)<&-; exec \"$@\""
    }

    /// Lowers every limit of the gated child; returns a description of the first failure.
    private static func apply(_ limits: ResourceLimits, to pid: pid_t) -> String? {
        let settings: [(Int32, UInt64, String)] = [
            (CPIE_LIMIT_NPROC, limits.processes, "processes"),
            (CPIE_LIMIT_AS, limits.addressSpaceBytes, "address space"),
            (CPIE_LIMIT_FSIZE, limits.fileSizeBytes, "file size"),
            (CPIE_LIMIT_CPU, limits.cpuSeconds, "cpu time"),
            (CPIE_LIMIT_NOFILE, limits.openFiles, "open files"),
            (CPIE_LIMIT_CORE, 0, "core dumps"),
        ]
        for (which, value, name) in settings where cpie_lower_limit(pid, which, value) != 0 {
            return "\(name): \(String(cString: strerror(errno)))"
        }
        return nil
    }

    private static func failure(_ what: String) -> SpawnError {
        let code = errno
        return SpawnError(message: "\(what): \(String(cString: strerror(code)))", errno: code)
    }

    /// Calls `body` with a NULL-terminated array of C strings that lives for the call.
    private static func withCStrings<R>(
        _ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R
    ) -> R {
        let pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) } + [nil]
        defer { pointers.forEach { free($0) } }
        return body(pointers)
    }
}
