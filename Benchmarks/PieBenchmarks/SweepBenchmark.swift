import Glibc
import PiePolicy
import PieSandbox
import PieSystem

/// What the configuration sweep after each sandboxed command costs (docs/sandbox.md
/// "Configuration a command plants"): its two walks alone over a project of `files` files in
/// directories of ten, and a warm sandboxed `true` in that project beside one in an empty project,
/// in the same run, so the sweep's share of a command is visible.
public enum SweepBenchmark {
    /// `empty` and `project` are existing empty directories; `project` is filled here.
    public static func run(
        iterations: Int, files: Int, empty: String, project: String, environment: [String: String]
    ) async -> [SandboxBenchmark.Measurement] {
        populate(project, files: files)
        let paths = PathPolicy(
            projectRoot: project, readRoots: [project], writeRoots: [project], deny: ["**/.env"],
            protected: ["**/.envrc", "**/.vscode", "**/.mcp.json", "**/.gitmodules", ".bashrc"], home: "/")
        let sweep = ConfigurationSweep(paths: paths, roots: [project], skipped: [])
        var results: [SandboxBenchmark.Measurement] = []
        results.append(SandboxBenchmark.measureSync("sweep: snapshot + changes, \(files) files in \(files / 10) directories", iterations) {
            let before = sweep.snapshot()
            _ = sweep.changes(since: before, ignoring: [])
        })
        guard case .available = await BubblewrapProbe().check(environment: environment) else { return results }
        for (label, root) in [("empty project", empty), ("\(files)-file project", project)] {
            var rootPaths = paths
            rootPaths.projectRoot = root
            rootPaths.readRoots = [root]
            rootPaths.writeRoots = [root]
            let policy = ToolPolicy(
                preset: .balanced, paths: rootPaths, maxFileReadBytes: 1 << 20, maxFileWriteBytes: 1 << 20,
                maxToolOutputBytes: 1 << 16, bashTimeoutMs: 10_000, maxCommandLength: 10_000, bashProfile: .balanced,
                allowCommands: [], bashDryRun: false, trace: false, sandboxMode: .force, sandboxCommand: nil,
                sandboxNetwork: false, enforceRegularFiles: true, auditLog: nil)
            let shell = SandboxedShell(policy: policy, environment: environment)
            for _ in 0..<2 {
                _ = try? await shell.run(ShellRequest(command: "true", cwd: root, timeoutMs: 10_000)) { _ in }
            }
            results.append(await SandboxBenchmark.measure("sweep: warm sandboxed true, \(label)", iterations) {
                _ = try? await shell.run(ShellRequest(command: "true", cwd: root, timeoutMs: 10_000)) { _ in }
            })
        }
        return results
    }

    /// `files` small files, ten to a directory, in a tree three levels deep (like a source tree).
    private static func populate(_ root: String, files: Int) {
        for index in 0..<files {
            let directory = "\(root)/d\(index / 1000)/e\(index / 100 % 10)/f\(index / 10 % 10)"
            if index % 10 == 0 { _ = mkdirParents(directory) }
            let fd = open("\(directory)/file\(index).swift", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            if fd >= 0 {
                _ = FileIO.writeAll(fd, Array("let x = \(index)\n".utf8))
                FileIO.close(fd)
            }
        }
    }

    private static func mkdirParents(_ path: String) -> Bool {
        var current = ""
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o755) != 0, errno != EEXIST { return false }
        }
        return true
    }
}
