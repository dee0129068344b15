import Glibc

/// Resident memory of an idle interactive `pie` (target < 30 MB): started with a model configured
/// and its standard input a pipe that stays open, so it sits at its prompt; read from
/// /proc/PID/status after it settles.
enum IdleMemoryBench {
    static func run() async throws {
        let pie = BenchEnvironment.executableDirectory() + "/pie"
        guard access(pie, X_OK) == 0 else {
            print("rss: failed: \(pie) is not built")
            return
        }
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0, fcntl(ends[1], F_SETFD, FD_CLOEXEC) == 0 else {
            print("rss: failed: no pipe")
            return
        }
        defer { close(ends[1]) }
        let argv = [pie, "--provider", "llamacpp", "--model", "m", "--base-url", "http://127.0.0.1:9/v1", "--no-session"]
        guard let pid = Subprocess.spawn(argv, stdin: ends[0]) else {
            print("rss: failed: cannot spawn \(pie)")
            return
        }
        close(ends[0])
        defer {
            kill(pid, SIGKILL)
            Subprocess.wait(pid)
        }
        try await Task.sleep(for: .milliseconds(1_500))
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid {
            print("rss: failed: interactive pie exited (status \(status)) with a pipe as stdin")
            return
        }
        let fields = statusFields(pid)
        print("rss: idle interactive pie: VmRSS \(fields["VmRSS"] ?? "?"), VmHWM \(fields["VmHWM"] ?? "?"), threads \(fields["Threads"] ?? "?")")
    }

    private static func statusFields(_ pid: pid_t) -> [String: String] {
        let fd = open("/proc/\(pid)/status", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return [:] }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 8_192)
        let count = read(fd, &buffer, buffer.count)
        guard count > 0 else { return [:] }
        var fields: [String: String] = [:]
        for line in String(decoding: buffer[0..<count], as: UTF8.self).split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = line[line.index(after: colon)...]
                .split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
        }
        return fields
    }
}
