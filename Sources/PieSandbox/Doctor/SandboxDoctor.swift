import CPieSys
import CSeccomp
import Glibc
import PieSystem

/// What this machine supports for pie's sandbox, and which containment `auto` will pick:
/// the data behind `pie sandbox doctor`.
public struct SandboxDoctorReport: Sendable, Equatable {
    public var kernel: String
    public var bwrapPath: String?
    public var bwrapVersion: String?
    public var bubblewrap: BubblewrapProbe.Result
    /// libseccomp's version, or why the filter cannot be built.
    public var seccomp: String
    public var seccompWorks: Bool
    public var openat2: Bool
    public var pidfd: Bool
    /// How the process count is capped: pids cgroup, RLIMIT_NPROC, or nothing.
    public var processCap: String
    public var runningAsRoot: Bool
    /// The `pie-sandbox-init` that serves repeated commands from a warm sandbox, if installed.
    public var warmInit: String? = nil

    /// The containment `--os-sandbox-mode auto` uses here.
    public var autoMode: String {
        if case .available = bubblewrap { return "bwrap (bubblewrap + seccomp + limits)" }
        return "host, with a warning on every command"
    }

    /// Whether `--os-sandbox-mode force` can run commands here.
    public var forceWorks: Bool {
        if case .available = bubblewrap { return true }
        return false
    }

    /// Human-readable lines, one fact each.
    public var lines: [String] {
        var lines = ["kernel: \(kernel)"]
        lines.append("bubblewrap: \(bwrapPath.map { "\($0) (\(bwrapVersion ?? "unknown version"))" } ?? "not found")")
        switch bubblewrap {
        case .available: lines.append("bubblewrap probe: works (user namespaces, --seccomp, fresh /proc)")
        case .unavailable(let reason): lines.append("bubblewrap probe: FAILS: \(reason)")
        }
        lines.append("seccomp: \(seccomp)")
        lines.append("openat2: \(openat2 ? "yes (RESOLVE_BENEATH confinement)" : "no (O_NOFOLLOW walk fallback)")")
        lines.append("pidfd: \(pidfd ? "yes" : "no (polling fallback)")")
        lines.append("process cap: \(processCap)")
        lines.append(
            "warm sandbox: "
                + (warmInit.map { "\($0) (repeated commands with one plan share a long-lived sandbox)" }
                    ?? "pie-sandbox-init not found next to pie; every command starts a bubblewrap of its own"))
        lines.append("auto mode: \(autoMode)")
        lines.append("force mode: \(forceWorks ? "works" : "refuses to run commands; \(BubblewrapProbe.installHint)")")
        return lines
    }
}

public enum SandboxDoctor {
    public static func run(environment: [String: String], services: SandboxServices) async -> SandboxDoctorReport {
        let bwrap = BubblewrapProbe.locate(environment: environment)
        var version: String?
        if let bwrap { version = await firstLine(of: [bwrap, "--version"]) }
        let probe = await services.probe.check(environment: environment)

        var seccomp: String
        var seccompWorks = false
        if let library = seccomp_version() {
            seccomp = "libseccomp \(library.pointee.major).\(library.pointee.minor).\(library.pointee.micro)"
        } else {
            seccomp = "libseccomp version unknown"
        }
        do {
            let program = try SeccompFilter(allowInternet: false).compile()
            seccomp += ", filter builds (\(program.count / 8) BPF instructions)"
            seccompWorks = true
        } catch {
            seccomp += ", filter FAILS: \(error.message)"
        }

        let openat2 = cpie_openat2(AT_FDCWD, "/", UInt64(CPIE_O_PATH | O_CLOEXEC), 0, 0)
        if openat2 >= 0 { FileIO.close(openat2) }
        let pidfd = cpie_pidfd_open(getpid())
        if pidfd >= 0 { FileIO.close(pidfd) }

        let root = getuid() == 0
        var processCap =
            root
            ? "none: root is exempt from RLIMIT_NPROC and no pids cgroup can be created"
            : "RLIMIT_NPROC (the user's current task count plus each command's allowance)"
        if let group = PidsCgroup.create(maxProcesses: 1, id: "doctor-\(SpawnID.make())") {
            processCap = "pids cgroup (\(group.unified ? "cgroup v2" : "cgroup v1 pids controller"))"
            group.remove()
        }
        return SandboxDoctorReport(
            kernel: kernelRelease(), bwrapPath: bwrap, bwrapVersion: version, bubblewrap: probe, seccomp: seccomp,
            seccompWorks: seccompWorks, openat2: openat2 >= 0, pidfd: pidfd >= 0, processCap: processCap,
            runningAsRoot: root, warmInit: services.warm?.initPath)
    }

    private static func kernelRelease() -> String {
        var names = utsname()
        guard uname(&names) == 0 else { return "unknown" }
        return withUnsafeBytes(of: names.release) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
    }

    private static func firstLine(of argv: [String]) async -> String? {
        guard let executable = argv.first else { return nil }
        let request = SpawnRequest(
            executable: executable, arguments: argv, environment: ["PATH": ShellEnvironment.defaultPath],
            workingDirectory: "/", inheritedDescriptors: [], limits: nil)
        guard let child = try? ProcessSpawner.spawn(request) else { return nil }
        let output = OutputCollector()
        _ = await ProcessSupervisor(timeoutMs: 5000, outputLimitBytes: 4096).run(child) { output.append($0) }
        return String(decoding: output.bytes, as: UTF8.self).split(separator: "\n").first.map(String.init)
    }
}
