import Foundation
import PiePolicy
import Testing

@testable import PieSandbox

/// A scratch directory under /tmp, removed when the test is done with it.
final class Scratch: Sendable {
    let path: String

    init(_ label: String = "pie-sbx", in base: String = "/tmp") throws {
        let template = "\(base)/\(label)-XXXXXX"
        var bytes = Array(template.utf8CString)
        guard let made = mkdtemp(&bytes) else { throw ScratchError.cannotCreate }
        path = String(cString: made)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    func file(_ relative: String) -> String { path + "/" + relative }

    func write(_ relative: String, _ text: String) throws {
        let full = file(relative)
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: full))
    }

    func read(_ relative: String) -> String? {
        (try? Data(contentsOf: URL(fileURLWithPath: file(relative)))).map { String(decoding: $0, as: UTF8.self) }
    }

    func exists(_ relative: String) -> Bool {
        var info = stat()
        return lstat(file(relative), &info) == 0
    }
}

enum ScratchError: Error { case cannotCreate }

/// Policies shaped like pie's presets, rooted in a scratch project.
enum TestPolicy {
    static let protected = [".git/hooks", ".git/config", ".pie", ".vscode", ".mcp.json", ".bashrc"]

    static func paths(project: String, readRoots: [String] = [], deny: [String] = ["**/.env", "**/.env.*"])
        -> PathPolicy
    {
        PathPolicy(
            projectRoot: project, readRoots: readRoots + [project], writeRoots: [project], deny: deny,
            protected: protected, home: "/root")
    }

    static func tool(
        project: String, mode: SandboxMode = .force, network: Bool = false, readRoots: [String] = [],
        deny: [String] = ["**/.env", "**/.env.*"], timeoutMs: Int = 10_000, launcher: String? = nil
    ) -> ToolPolicy {
        ToolPolicy(
            preset: .hardened, paths: paths(project: project, readRoots: readRoots, deny: deny),
            maxFileReadBytes: 1 << 20, maxFileWriteBytes: 1 << 20, maxToolOutputBytes: 64 << 10,
            bashTimeoutMs: timeoutMs, maxCommandLength: 10_000, bashProfile: .strict, allowCommands: [],
            bashDryRun: false, trace: false, sandboxMode: mode, sandboxCommand: launcher, sandboxNetwork: network,
            enforceRegularFiles: true, auditLog: nil)
    }

    /// Tight limits like the hardened preset's: small enough that attacks hit them quickly.
    static let strictLimits = ResourceLimits(
        processes: 64, addressSpaceBytes: 1 << 30, fileSizeBytes: 8 << 20, cpuSeconds: 5, openFiles: 256,
        tmpfsBytes: 16 << 20)

    static let environment: [String: String] = [
        "PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/root", "LANG": "C.UTF-8",
        "OPENAI_API_KEY": "sk-test-SECRETVALUE-123456", "GITHUB_TOKEN": "ghp_secrettokenvalue",
    ]
}

/// A shell for `project` in the given mode, with the test environment (which holds two secrets).
func testShell(_ project: Scratch, mode: SandboxMode = .force) -> SandboxedShell {
    SandboxedShell(policy: TestPolicy.tool(project: project.path, mode: mode), environment: TestPolicy.environment)
}

/// Runs one command and returns its outcome and combined output. `exclusive` runs it while no
/// other test command runs: without a pids cgroup (non-root users) RLIMIT_NPROC is shared by all
/// of the user's processes, so a fork bomb would starve concurrent tests of their headroom.
/// `onOutput` sees the output so far after each chunk: a test's gate on the command's progress.
func runShell(
    _ shell: SandboxedShell, _ command: String, cwd: String, timeoutMs: Int = 10_000, exclusive: Bool = false,
    onOutput: @escaping @Sendable (String) -> Void = { _ in }
) async throws -> (outcome: ShellOutcome, output: String) {
    await ProcessBudget.shared.acquire(exclusive: exclusive)
    defer { Task { await ProcessBudget.shared.release(exclusive: exclusive) } }
    let collected = OutputCollector()
    let outcome = try await shell.run(ShellRequest(command: command, cwd: cwd, timeoutMs: timeoutMs)) {
        collected.append($0)
        onOutput(String(decoding: collected.bytes, as: UTF8.self))
    }
    return (outcome, String(decoding: collected.bytes, as: UTF8.self))
}

/// A readers-writer gate over test commands: many shared holders, or one exclusive holder.
actor ProcessBudget {
    static let shared = ProcessBudget()
    private var sharedHolders = 0
    private var exclusiveHeld = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func acquire(exclusive: Bool) async {
        while exclusiveHeld || (exclusive && sharedHolders > 0) {
            await withCheckedContinuation { waiting.append($0) }
        }
        if exclusive { exclusiveHeld = true } else { sharedHolders += 1 }
    }

    func release(exclusive: Bool) {
        if exclusive { exclusiveHeld = false } else { sharedHolders -= 1 }
        let woken = waiting
        waiting = []
        woken.forEach { $0.resume() }
    }
}

/// Host pids whose command line contains `marker` (processes inside bwrap are visible here too).
func processes(withMarker marker: String) -> [Int32] {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
    return names.compactMap { name -> Int32? in
        guard let pid = Int32(name), pid != getpid() else { return nil }
        guard let data = FileManager.default.contents(atPath: "/proc/\(name)/cmdline") else { return nil }
        let line = String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
        guard line.contains(marker) else { return nil }
        let stat = FileManager.default.contents(atPath: "/proc/\(name)/stat")
            .map { String(decoding: $0, as: UTF8.self) } ?? ""
        let state = stat.range(of: ") ", options: .backwards).map { stat[$0.upperBound] }
        return state == "Z" || state == "X" || state == nil ? nil : pid
    }
}

/// Survivors tagged with `marker` after giving SIGKILL up to `graceMs` to be delivered.
func survivors(withMarker marker: String, graceMs: Int = 1000) async -> [Int32] {
    let deadline = Date().addingTimeInterval(Double(graceMs) / 1000)
    var found = processes(withMarker: marker)
    while !found.isEmpty, Date() < deadline {
        try? await Task.sleep(for: .milliseconds(20))
        found = processes(withMarker: marker)
    }
    return found
}

/// The test process's bubblewrap probe, so the verdict is computed once.
let testProbe = BubblewrapProbe()

/// Fails (never skips) when the sandbox prerequisites are missing, naming the fix.
func requireSandbox() async throws {
    let result = await testProbe.check(environment: TestPolicy.environment)
    guard case .available = result else {
        let message =
            "bubblewrap + seccomp are required for these tests: \(result). Install them with "
            + "`apt-get install bubblewrap libseccomp-dev`."
        Issue.record(Comment(rawValue: message))
        throw ScratchError.cannotCreate
    }
}

/// A unique number to tag a test's processes in argv.
func uniqueMarker() -> String { String(Int.random(in: 100_000...999_999)) }

/// Runs blocking work (thousands of fsyncs, spinning threads) on its own thread, so it does not
/// occupy one of the few cooperative-pool threads the other tests' supervisors resume on.
func offPool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: body()) }.start()
    }
}
