import Foundation
import PieJSON
import PiePolicy
import PieSandbox
import PieTestSupport
import Testing

@testable import PieMCP

enum MCPTestError: Error { case prerequisiteMissing(String), timedOut(String) }

/// The python3 that has the official `mcp` SDK and `mcp-server-time` (installed by
/// scripts/install-deps.sh), and the directories a sandboxed server needs to read to run it.
struct PythonOracle: Sendable {
    var executable: String
    /// Read roots: the interpreter's prefix and the site-packages holding `mcp`.
    var readRoots: [String]
    /// `PYTHONPATH` inside the sandbox (the sandbox's `$HOME` is empty, so the user site is not found).
    var pythonPath: String

    /// Fails (never skips) with the fix when python3 or the packages are missing. python3 is
    /// asked once per test process, on a thread of its own: starting it blocks, and the few
    /// threads of Swift's pool belong to every test running beside this one.
    static func require() async throws -> PythonOracle {
        switch await OracleCache.shared.oracle() {
        case .success(let oracle): return oracle
        case .failure(let message):
            Issue.record(Comment(rawValue: message.text))
            throw MCPTestError.prerequisiteMissing(message.text)
        }
    }

    /// Asks python3 where it and the packages live.
    fileprivate static func probe() -> Result<PythonOracle, OracleMissing> {
        let script = """
            import sys, os, importlib.metadata as m
            import mcp, mcp_server_time, pydantic
            print(os.path.realpath(sys.executable))
            print(os.path.realpath(sys.base_prefix))
            print(os.path.dirname(os.path.dirname(os.path.realpath(mcp.__file__))))
            print(os.path.dirname(os.path.dirname(os.path.realpath(pydantic.__file__))))
            print(m.version("mcp"))
            """
        let output = run(["/usr/bin/env", "python3", "-c", script])
        let lines = output.text.split(separator: "\n").map(String.init)
        guard output.status == 0, lines.count == 5 else {
            return .failure(
                OracleMissing(
                    text: "the MCP test oracles are missing (python3 with the `mcp` SDK and `mcp-server-time`): "
                        + "run scripts/install-deps.sh. python3 said: \(output.text.suffix(400))"))
        }
        var roots = [lines[1]]
        for site in [lines[2], lines[3]] where !roots.contains(where: { site.hasPrefix($0 + "/") || site == $0 }) {
            roots.append(site)
        }
        return .success(PythonOracle(executable: lines[0], readRoots: roots, pythonPath: lines[2]))
    }
}

struct OracleMissing: Error, Sendable { var text: String }

/// The one probe of python3 per test process.
actor OracleCache {
    static let shared = OracleCache()
    private var result: Result<PythonOracle, OracleMissing>?

    func oracle() async -> Result<PythonOracle, OracleMissing> {
        if let result { return result }
        let probed = await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: PythonOracle.probe()) }.start()
        }
        if result == nil { result = probed }
        return result ?? probed
    }
}

/// Runs a host command to its end (test setup only), through `HostProcess`: Foundation's
/// `Process.run()` can read past glibc's readdir buffer and crash the test process
/// (swift-corelibs-foundation#5472).
func run(_ argv: [String]) -> (status: Int32, text: String) {
    do {
        let result = try HostProcess.runBlocking(argv, mergeStandardError: true)
        return (result.status, result.stdoutText)
    } catch {
        return (-1, "\(error)")
    }
}

/// Where the test servers live (excluded from the target's sources).
let serversDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Servers").path

/// A directory outside `/tmp` (the sandbox's `/tmp` is private), removed afterwards.
final class TestDirectory: Sendable {
    let path: String

    init(_ label: String) throws {
        var template = Array("/var/tmp/pie-mcp-\(label)-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw MCPTestError.prerequisiteMissing("mkdtemp failed") }
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

    func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: file(relative)) }
}

/// The process's sandbox services, shared by every test (one probe, one seccomp compile).
let testServices = SandboxServices(warm: nil)

/// Fails (never skips) when bubblewrap + seccomp do not work here.
func requireSandbox() async throws {
    let result = await testServices.probe.check(environment: ["PATH": "/usr/local/bin:/usr/bin:/bin"])
    guard case .available = result else {
        let message =
            "bubblewrap + seccomp are required for these tests: \(result). Install them with "
            + "`apt-get install bubblewrap libseccomp-dev` (scripts/install-deps.sh)."
        Issue.record(Comment(rawValue: message))
        throw MCPTestError.prerequisiteMissing(message)
    }
}

/// A launch of `script` (a file in Servers/) or of a module (`-m name`) under the default server
/// policy plus the python read roots.
func pythonLaunch(
    _ python: PythonOracle, arguments: [String], home: String = "/root", project: String = "/var/tmp",
    extraReadRoots: [String] = [], network: Bool = false, environment: [String: String] = [:]
) -> MCPStdioLaunch {
    var policy = MCPStdioLaunch.defaultPolicy(
        projectRoot: project, home: home, readRoots: python.readRoots + [serversDirectory] + extraReadRoots)
    policy.sandboxNetwork = network
    var env = environment
    env["PYTHONPATH"] = python.pythonPath
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return MCPStdioLaunch(command: python.executable, args: arguments, environment: env, policy: policy)
}

func featureServer(_ python: PythonOracle) -> MCPStdioLaunch {
    pythonLaunch(python, arguments: [serversDirectory + "/feature_server.py"])
}

func rawServer(_ python: PythonOracle, _ extra: [String] = [], home: String = "/root", project: String = "/var/tmp",
    extraReadRoots: [String] = []) -> MCPStdioLaunch
{
    pythonLaunch(
        python, arguments: [serversDirectory + "/raw_server.py"] + extra, home: home, project: project,
        extraReadRoots: extraReadRoots)
}

/// A connected client over a sandboxed stdio transport; the caller closes it.
func connectedClient(_ launch: MCPStdioLaunch, name: String = "test", timeoutMs: Int = 30_000) async throws
    -> (client: MCPClient, transport: MCPStdioTransport)
{
    try await requireSandbox()
    let transport = MCPStdioTransport(serverName: name, launch: launch, services: testServices, graceMs: 1000)
    let client = MCPClient(serverName: name, transport: transport, requestTimeoutMs: timeoutMs)
    try await client.connect()
    return (client, transport)
}

/// Polls `condition` (a real process's visible state) every 20 ms for at most `seconds`.
func eventually(_ what: String, seconds: Double = 20, _ condition: () async -> Bool) async throws {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if await condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    Issue.record(Comment(rawValue: "timed out waiting for \(what)"))
    throw MCPTestError.timedOut(what)
}

/// Whether a process with this pid exists at all (a zombie counts: it has not been reaped).
func processExists(_ pid: Int32) -> Bool {
    FileManager.default.fileExists(atPath: "/proc/\(pid)")
}

/// The first text block of a result.
func firstText(_ result: MCPToolResult) -> String {
    for block in result.content { if case .text(let text) = block { return text } }
    return ""
}

/// A clock whose sleeps return only when the test lets them: backoff without waiting.
actor ManualClock: MCPClock {
    private var requested: [Int] = []
    private var sleepers: [CheckedContinuation<Void, Never>] = []
    private var requestWaiters: [CheckedContinuation<Void, Never>] = []

    nonisolated func sleep(milliseconds: Int) async throws {
        await park(milliseconds)
        try Task.checkCancellation()
    }

    private func park(_ milliseconds: Int) async {
        requested.append(milliseconds)
        let waiters = requestWaiters
        requestWaiters = []
        waiters.forEach { $0.resume() }
        await withCheckedContinuation { sleepers.append($0) }
    }

    /// Every sleep asked for so far, in order.
    var sleeps: [Int] { requested }

    /// Waits until `count` sleeps have been asked for.
    func waitForSleeps(_ count: Int) async {
        while requested.count < count {
            await withCheckedContinuation { requestWaiters.append($0) }
        }
    }

    /// Ends every sleep in progress.
    func advance() {
        let woken = sleepers
        sleepers = []
        woken.forEach { $0.resume() }
    }
}
