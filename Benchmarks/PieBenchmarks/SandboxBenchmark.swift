import Glibc
import PiePolicy
import PieSandbox
import PieSystem

/// Entry points for PieBench: what containment costs per command, and what confinement costs per
/// file read, each measured side by side with its unconfined baseline through the same code paths.
public enum SandboxBenchmark {
    public struct Measurement: Sendable, Equatable {
        public var name: String
        public var iterations: Int
        public var medianMs: Double
        public var p90Ms: Double
        public var meanMs: Double

        init(name: String, samples: [Double]) {
            let sorted = samples.sorted()
            self.name = name
            iterations = samples.count
            medianMs = sorted.isEmpty ? 0 : sorted[sorted.count / 2]
            p90Ms = sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, sorted.count * 9 / 10)]
            meanMs = sorted.isEmpty ? 0 : sorted.reduce(0, +) / Double(sorted.count)
        }
    }

    /// Per-call cost of `true`: on the host; bare `bwrap --ro-bind / / true`; `bash -c true` in bwrap
    /// with only the isolation the sandbox must have (every namespace, fresh `/dev` and `/proc`,
    /// private `/tmp`); the full bwrap plan without seccomp and limits; and the production path
    /// (bwrap + seccomp + limits + cgroup, running `bash -c true`). The isolation-only row is what
    /// the kernel, bwrap and bash charge before pie adds anything of its own. The production path is
    /// measured twice: cold (a bwrap of its own per command, what a plan's first command costs) and
    /// warm (a long-lived sandbox's init starting the command, what every later command costs).
    /// `project` must be an existing directory (it becomes the write root).
    public static func shellSpawn(iterations: Int, project: String, environment: [String: String]) async
        -> [Measurement]
    {
        let paths = PathPolicy(
            projectRoot: project, readRoots: [project], writeRoots: [project], deny: ["**/.env"],
            protected: [".git/hooks", ".pie"], home: environment["HOME"] ?? "/")
        func policy(_ mode: SandboxMode) -> ToolPolicy {
            ToolPolicy(
                preset: .balanced, paths: paths, maxFileReadBytes: 1 << 20, maxFileWriteBytes: 1 << 20,
                maxToolOutputBytes: 1 << 16, bashTimeoutMs: 10_000, maxCommandLength: 10_000, bashProfile: .balanced,
                allowCommands: [], bashDryRun: false, trace: false, sandboxMode: mode, sandboxCommand: nil,
                sandboxNetwork: false, enforceRegularFiles: true, auditLog: nil)
        }
        var results: [Measurement] = []
        let host = SandboxedShell(policy: policy(.off), environment: environment)
        results.append(await measure("host: /bin/true via SandboxedShell(off)", iterations) {
            _ = try? await host.run(ShellRequest(command: "true", cwd: project, timeoutMs: 10_000)) { _ in }
        })
        guard case .available(let bwrap) = await BubblewrapProbe().check(environment: environment) else { return results }
        let bare = [bwrap, "--ro-bind", "/", "/", "/bin/true"]
        results.append(await measure("bare: bwrap --ro-bind / / /bin/true", iterations) { await spawn(bare) })
        let isolated = [
            bwrap, "--new-session", "--die-with-parent", "--unshare-all", "--cap-drop", "ALL", "--ro-bind", "/", "/",
            "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp", "/bin/bash", "-c", "true",
        ]
        results.append(await measure("isolation only: bwrap --unshare-all --dev --proc --tmpfs bash -c true", iterations) {
            await spawn(isolated)
        })
        if let plan = try? BubblewrapPlan(
            bwrap: bwrap, paths: paths, allowNetwork: false, tmpfsBytes: 1 << 30, workingDirectory: project,
            environment: ShellEnvironment.scrub(environment, tmpdir: "/tmp"), seccompDescriptor: nil,
            command: ["/bin/true"], inspector: SystemPathInspector())
        {
            results.append(await measure("bwrap: full mount plan, no seccomp, no limits", iterations) {
                await spawn(plan.arguments)
            })
        }
        var cold = SandboxedShell(policy: policy(.force), environment: environment)
        cold.warm = nil
        results.append(await measure("cold: one bwrap + seccomp + limits per command (a plan's first command)", iterations) {
            _ = try? await cold.run(ShellRequest(command: "true", cwd: project, timeoutMs: 10_000)) { _ in }
        })
        // The production path: the first command of a plan runs cold and the second starts the warm
        // sandbox; both are outside the timed loop, as they happen once per plan.
        let sandboxed = SandboxedShell(policy: policy(.force), environment: environment)
        for _ in 0..<2 {
            _ = try? await sandboxed.run(ShellRequest(command: "true", cwd: project, timeoutMs: 10_000)) { _ in }
        }
        results.append(await measure("sandboxed: bwrap + seccomp + limits via SandboxedShell(force), warm", iterations) {
            _ = try? await sandboxed.run(ShellRequest(command: "true", cwd: project, timeoutMs: 10_000)) { _ in }
        })
        return results
    }

    /// Reading a 1 MB file through `ConfinedFileOperations` versus plain `open`/`read`.
    public static func fileRead(iterations: Int, directory: String) -> [Measurement] {
        let path = directory + "/pie-bench-1mb.bin"
        let contents = [UInt8](repeating: 0x61, count: 1 << 20)
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return [] }
        _ = FileIO.writeAll(fd, contents) == nil
        FileIO.close(fd)
        defer { unlink(path) }

        let files = ConfinedFileOperations(
            paths: PathPolicy(
                projectRoot: directory, readRoots: [directory], writeRoots: [directory], deny: ["**/.env"],
                protected: [], home: "/"),
            enforceRegularFiles: true)
        let plain = measureSync("plain open+read of 1 MB", iterations) {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            var buffer = [UInt8](repeating: 0, count: 1 << 20)
            while read(fd, &buffer, buffer.count) > 0 {}
            FileIO.close(fd)
        }
        let confined = measureSync("ConfinedFileOperations.read of 1 MB", iterations) {
            _ = try? files.read(path, maxBytes: 2 << 20)
        }
        return [plain, confined]
    }

    private static func spawn(_ argv: [String]) async {
        await UnconfinedRun.run(argv)
    }

    static func measure(_ name: String, _ iterations: Int, _ body: () async -> Void) async -> Measurement {
        var samples: [Double] = []
        for _ in 0..<max(iterations, 1) {
            let start = ContinuousClock.now
            await body()
            samples.append(milliseconds(ContinuousClock.now - start))
        }
        return Measurement(name: name, samples: samples)
    }

    static func measureSync(_ name: String, _ iterations: Int, _ body: () -> Void) -> Measurement {
        var samples: [Double] = []
        for _ in 0..<max(iterations, 1) {
            let start = ContinuousClock.now
            body()
            samples.append(milliseconds(ContinuousClock.now - start))
        }
        return Measurement(name: name, samples: samples)
    }

    private static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1e3 + Double(duration.components.attoseconds) / 1e15
    }
}
