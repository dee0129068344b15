import Glibc
import PieSystem

/// A per-command `pids` cgroup: caps how many processes a command may have at once and lets the
/// supervisor kill every one of them, including processes that left the process group.
///
/// RLIMIT_NPROC alone is not enough: the kernel exempts real uid 0 from it, so a fork bomb run by
/// root would only be stopped by the timeout. Where pie may create cgroups (root, or a delegated
/// subtree), the command's child joins a fresh cgroup before it runs any code of its own.
/// Both the unified (v2) hierarchy and the v1 `pids` controller are supported.
struct PidsCgroup: Sendable, Equatable {
    let directory: String
    let unified: Bool

    /// Creates `pie-<id>` beside pie's own cgroup with `pids.max`, or nil where that is not permitted.
    static func create(maxProcesses: UInt64, id: String) -> PidsCgroup? {
        for (base, unified) in candidates() {
            let directory = base + "/pie-" + id
            guard mkdir(directory, 0o755) == 0 else { continue }
            let group = PidsCgroup(directory: directory, unified: unified)
            if group.write("pids.max", String(maxProcesses)) { return group }
            group.remove()
        }
        return nil
    }

    /// `cgroup.procs` opened for writing (close-on-exec), or -1: the spawned child writes "0" to it
    /// to join the cgroup itself before it runs any code of its own.
    func openProcs() -> Int32 {
        open(directory + "/cgroup.procs", O_WRONLY | O_CLOEXEC)
    }

    /// Like `openProcs`, for a child that is one thread when it writes "0" (a vfork child before
    /// its exec): on v1 this is `tasks`, where a thread moving itself skips the kernel's global
    /// threadgroup lock. Through `cgroup.procs`, the first move after a quiet spell waits for an
    /// RCU grace period: 20.8 ms median at load 17 on the 2-core machine, against 0.02 ms through
    /// `tasks` (docs/benchmarks.md, MCP). The moved thread is the whole process, so what it runs
    /// next is counted all the same. v2 keeps `cgroup.procs`: its per-thread file exists only in
    /// threaded subtrees.
    func openSelfJoin() -> Int32 {
        open(directory + (unified ? "/cgroup.procs" : "/tasks"), O_WRONLY | O_CLOEXEC)
    }

    /// SIGKILL to every member: `cgroup.kill` on v2, a sweep of `cgroup.procs` on v1 (repeated
    /// because members can fork while being killed; the pids cap bounds how long that goes on).
    func killAll() {
        if unified, write("cgroup.kill", "1") { return }
        for _ in 0..<16 {
            let members = read("cgroup.procs").split(separator: "\n").compactMap { pid_t($0) }
            if members.isEmpty { return }
            for member in members { kill(member, SIGKILL) }
        }
    }

    /// Sends `signal` to every member but `spared` once (a long-lived child's polite SIGTERM
    /// before the kill, which must reach the server, not the bubblewrap that would answer it by
    /// dying and taking the server along with SIGKILL).
    func signalAll(_ signal: Int32, sparing spared: pid_t) {
        for member in read("cgroup.procs").split(separator: "\n").compactMap({ pid_t($0) }) where member != spared {
            kill(member, signal)
        }
    }

    /// Removes the (empty) cgroup, waiting for exited members to be released by the kernel.
    ///
    /// Right after the command is reaped the kernel often still counts its last tasks for a few
    /// hundred microseconds (`EBUSY`), so the wait starts at 100 µs and doubles up to 10 ms, for
    /// about half a second in all: a fixed 10 ms sleep put that on one command in fifteen.
    func remove() {
        var pauseMicroseconds: UInt32 = 100
        var waitedMicroseconds: UInt32 = 0
        while waitedMicroseconds < 500_000 {
            if rmdir(directory) == 0 || errno == ENOENT { return }
            killAll()
            usleep(pauseMicroseconds)
            waitedMicroseconds += pauseMicroseconds
            pauseMicroseconds = min(pauseMicroseconds * 2, 10_000)
        }
    }

    /// Where pie's own process sits in each hierarchy that has a `pids` controller.
    private static func candidates() -> [(String, Bool)] {
        var result: [(String, Bool)] = []
        let membership = String(decoding: readFile("/proc/self/cgroup"), as: UTF8.self)
        for line in membership.split(separator: "\n") {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            let own = fields[2] == "/" ? "" : String(fields[2])
            if fields[1] == "pids" {
                result.append(("/sys/fs/cgroup/pids" + own, false))
            } else if fields[0] == "0", fields[1].isEmpty {
                for root in ["/sys/fs/cgroup", "/sys/fs/cgroup/unified"]
                where String(decoding: readFile(root + own + "/cgroup.controllers"), as: UTF8.self)
                    .split(separator: " ").contains(where: { $0.hasPrefix("pids") })
                {
                    result.append((root + own, true))
                }
            }
        }
        return result
    }

    private func write(_ name: String, _ value: String) -> Bool {
        let fd = open(directory + "/" + name, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { FileIO.close(fd) }
        return FileIO.writeAll(fd, Array(value.utf8)) == nil
    }

    private func read(_ name: String) -> String {
        String(decoding: Self.readFile(directory + "/" + name), as: UTF8.self)
    }

    /// The file's bytes; empty when it cannot be read (a cgroup that is gone reads as unset).
    private static func readFile(_ path: String) -> [UInt8] {
        do {
            return try FileIO.readAll(path)
        } catch {
            return []
        }
    }
}
