import Foundation
import Glibc
import PieTestSupport
import Testing

/// A `pie automations serve` process with a test clock (`--clock-file`, test-only) and its
/// JSON log lines collected in a file.
final class ServeProcess {
    let process: HostProcess

    /// The webhook listener binds a free loopback port (`--listen 127.0.0.1:0`) unless `extra`
    /// says otherwise, so serve processes of parallel tests never compete for one.
    init(
        _ project: ScratchProject, name: String = "serve", extra: [String] = [], environment: [String: String] = [:]
    ) throws {
        let listen = extra.contains("--listen") ? [] : ["--listen", "127.0.0.1:0"]
        process = try HostProcess(
            PieBinary.command(
                ["automations", "serve", "--clock-file", project.clockPath, "--log-format", "json"] + listen + extra),
            cwd: project.path, environment: PieBinary.environment(cwd: project.path, environment))
    }

    /// What serve wrote to standard error so far: its log lines.
    var log: String { String(decoding: process.stderr, as: UTF8.self) }

    /// Every log line parsed (each must be a JSON object).
    func events() -> [[String: Any]] {
        log.split(separator: "\n").compactMap { try? parseJSON(String($0)) }
    }

    func events(_ name: String) -> [[String: Any]] {
        events().filter { $0["event"] as? String == name }
    }

    /// Waits (bounded) until the log has `count` events named `name`.
    func waitFor(_ name: String, count: Int = 1, seconds: Double = 30) async -> Bool {
        await eventually(seconds: seconds) { events(name).count >= count }
    }

    /// What a crash or the OOM killer does: no handler runs, nothing is cleaned up.
    func kill9() async {
        process.signal(SIGKILL)
        _ = await process.exited()
    }

    /// SIGTERM, then the exit status (bounded wait).
    func terminate() async -> Int32? {
        process.signal(SIGTERM)
        guard await eventually(seconds: 60, { process.exitStatus != nil }) else {
            Issue.record("serve did not exit after SIGTERM; killing it")
            await kill9()
            return nil
        }
        return process.exitStatus
    }

    deinit {
        if process.exitStatus == nil { process.signal(SIGKILL) }
    }
}

extension ScratchProject {
    var clockPath: String { path + "/clock" }

    /// Moves the test clock (seconds since the epoch); written atomically, so serve never reads half of it.
    func setClock(_ seconds: Int64) throws {
        try write("clock", "\(seconds)\n")
    }

    /// The runs `pie automations runs --json` reports, oldest first.
    func runs() async throws -> [[String: Any]] {
        let result = try await runPie(["automations", "runs", "--json"], cwd: path)
        #expect(result.status == 0, "\(result.stderr)")
        return ((try parseJSON(result.stdout))["runs"] as? [[String: Any]] ?? []).reversed()
    }

    /// An automation file in the project.
    func automation(_ id: String, trigger: String, run: String = "") throws {
        try write(
            ".pie/automations/\(id).toml",
            "prompt = \"Run the checks for \(id).\"\nmodel = \"local:scripted\"\n[trigger]\n\(trigger)\n[run]\n\(run)\n")
    }
}

extension [String: Any] {
    var string: (String) -> String? { { self[$0] as? String } }
    var int: (String) -> Int? { { self[$0] as? Int } }
}

/// 2026-01-01T00:00:00Z: the tests' clock starts here.
let testEpoch: Int64 = 1_767_225_600
