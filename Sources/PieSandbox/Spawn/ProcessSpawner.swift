import CPieSys
import Glibc
import PieSystem

/// Starts child processes through `cpie_spawn` (vfork + execve in C), because `posix_spawn` can
/// neither lower resource limits nor join a cgroup in the child, and a library spawner cannot hand
/// a descriptor (the seccomp program) to a fixed number in the child.
///
/// Every child:
/// - joins its pids cgroup and gets its resource limits before it runs any code of its own, so
///   nothing it starts escapes either;
/// - is the leader of a new process group, so one `killpg` reaches the whole tree it starts on the
///   host;
/// - starts with an empty signal mask and default dispositions (pie's own handlers do not leak);
/// - reads `/dev/null`, and writes stdout and stderr into one pipe, interleaved as they happen
///   (unless the request hands it a stdin and a stderr of its own);
/// - gets `inheritedDescriptors` as fd 3, 4, … and nothing else.
enum ProcessSpawner {
    /// Descriptors are first moved at or above this number so the child's `dup2` calls can never
    /// clobber a source with an earlier target, and never hit the `dup2(fd, fd)` no-op.
    private static let staging: Int32 = 64

    static func spawn(_ request: SpawnRequest) throws(SpawnError) -> ChildProcess {
        guard let output = Descriptor.pipe() else { throw failure("cannot create the output pipe") }
        var childEnds: [Int32] = [output.write]
        var spawned = false
        defer {
            childEnds.forEach(FileIO.close)
            if !spawned { FileIO.close(output.read) }
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
        var stagedStreams: [Int32] = []
        for stream in [request.standardInput, request.standardError] {
            guard let stream else {
                stagedStreams.append(-1)
                continue
            }
            let copy = Descriptor.duplicate(stream, atLeast: staging)
            guard copy >= 0 else { throw failure("cannot stage a standard stream") }
            childEnds.append(copy)
            stagedStreams.append(copy)
        }

        var cgroupProcs: Int32 = -1
        if let cgroup = request.cgroup {
            cgroupProcs = request.cgroupSelfJoin ? cgroup.openSelfJoin() : cgroup.openProcs()
            guard cgroupProcs >= 0 else {
                throw failure("cannot open the pids cgroup \(cgroup.directory)")
            }
            childEnds.append(cgroupProcs)
        }
        let limits = request.limits.map { limitSettings(for: $0, cgroup: request.cgroup) } ?? []

        let environment = request.environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        // One block of C copies, freed together: argv and envp (each NULL-terminated), then the
        // program's path and the working directory (NULL when there is none).
        let strings: [UnsafeMutablePointer<CChar>?] =
            request.arguments.map { strdup($0) } + [nil] + environment.map { strdup($0) } + [nil]
            + [strdup(request.executable), request.workingDirectory.flatMap { strdup($0) }]
        defer { strings.forEach { free($0) } }
        let environmentStart = request.arguments.count + 1
        var failedStep: UnsafePointer<CChar>?
        let pid = strings.withUnsafeBufferPointer { strings in
            inherited.withUnsafeBufferPointer { inherited in
                limits.withUnsafeBufferPointer { limits in
                    var spawnRequest = cpie_spawn_request(
                        path: strings[strings.count - 2], argv: strings.baseAddress,
                        envp: strings.baseAddress.map { $0 + environmentStart }, cwd: strings[strings.count - 1],
                        output_fd: stagedOutput, inherited: inherited.baseAddress,
                        inherited_count: Int32(inherited.count), limits: limits.baseAddress,
                        limit_count: Int32(limits.count), cgroup_procs_fd: cgroupProcs,
                        input_fd: stagedStreams[0], error_fd: stagedStreams[1])
                    return cpie_spawn(&spawnRequest, &failedStep)
                }
            }
        }
        guard pid > 0 else {
            let code = errno
            let step = failedStep.map { String(cString: $0) } ?? "spawn"
            throw SpawnError(message: describe(step: step, request: request, errno: code), errno: code)
        }
        spawned = true
        let pidfd = cpie_pidfd_open(pid)
        return ChildProcess(
            process: .local(pid: pid, pidfd: pidfd >= 0 ? pidfd : nil), output: output.read, cgroup: request.cgroup)
    }

    /// The limits for the child. The process count is capped by the pids cgroup when there is one.
    /// Otherwise RLIMIT_NPROC is set to the user's current task count plus the allowance, because
    /// the kernel compares it with every task the user has (a desktop session alone can exceed any
    /// small absolute value). Root is exempt from RLIMIT_NPROC, so it is left alone there.
    /// With `countingTasks` false, RLIMIT_NPROC carries the bare allowance: a warm sandbox's init
    /// adds the task count of the sandbox's own user namespace, which is what the kernel compares
    /// there.
    static func limitSettings(for limits: ResourceLimits, cgroup: PidsCgroup?, countingTasks: Bool = true)
        -> [cpie_limit]
    {
        var settings = [
            cpie_limit(which: CPIE_LIMIT_AS, value: limits.addressSpaceBytes),
            cpie_limit(which: CPIE_LIMIT_FSIZE, value: limits.fileSizeBytes),
            cpie_limit(which: CPIE_LIMIT_CPU, value: limits.cpuSeconds),
            cpie_limit(which: CPIE_LIMIT_NOFILE, value: limits.openFiles),
            cpie_limit(which: CPIE_LIMIT_CORE, value: 0),
        ]
        let uid = getuid()
        if cgroup == nil, uid != 0 {
            settings.append(
                cpie_limit(
                    which: CPIE_LIMIT_NPROC,
                    value: (countingTasks ? UserTaskCount.current(uid: uid) : 0) + limits.processes))
        }
        return settings
    }

    /// A message that says which part of starting the child failed.
    private static func describe(step: String, request: SpawnRequest, errno code: Int32) -> String {
        let reason = String(cString: strerror(code))
        switch step {
        case "exec":
            let place = request.workingDirectory.map { " in \($0)" } ?? ""
            return "cannot start \(request.executable)\(place): \(reason)"
        case "chdir":
            return "cannot start \(request.executable): cannot enter \(request.workingDirectory ?? "/"): \(reason)"
        case "cgroup": return "cannot confine the command: cannot join the pids cgroup: \(reason)"
        case "limit": return "cannot confine the command: cannot lower a resource limit: \(reason)"
        default: return "cannot start \(request.executable): \(step) failed: \(reason)"
        }
    }

    private static func failure(_ what: String) -> SpawnError {
        let code = errno
        return SpawnError(message: "\(what): \(String(cString: strerror(code)))", errno: code)
    }
}
