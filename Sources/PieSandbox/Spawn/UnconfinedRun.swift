/// Runs a program the way pie runs every child (`ProcessSpawner`, then `ProcessSupervisor`'s
/// wait), with no sandbox and no limits: the baseline `make bench` compares containment with, so
/// the ratio it reports charges pie's own spawn path to both sides.
public enum UnconfinedRun {
    /// Runs `argv` (an absolute executable first) with only `PATH` set and its output discarded;
    /// returns false when it could not be started.
    @discardableResult
    public static func run(_ argv: [String], timeoutMs: Int = 10_000) async -> Bool {
        guard let executable = argv.first else { return false }
        let request = SpawnRequest(
            executable: executable, arguments: argv, environment: ["PATH": ShellEnvironment.defaultPath],
            workingDirectory: "/", inheritedDescriptors: [], limits: nil)
        let child: ChildProcess
        do {
            child = try ProcessSpawner.spawn(request)
        } catch {
            return false
        }
        _ = await ProcessSupervisor(timeoutMs: timeoutMs, outputLimitBytes: 1 << 16).run(child) { _ in }
        return true
    }
}
