import Glibc
import PieAutomations
import PieScheduler
import PieSystem
import PieTestSupport
import Testing

/// A scratch directory: automation files, the clock file, the side-effect file and the gate.
struct Scratch {
    let directory: String

    init() throws {
        var template = Array("/tmp/pie-store-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
        directory = try #require(made.map { String(cString: $0) })
        try FileIO.makeDirectories(automations)
    }

    var automations: String { directory + "/automations" }
    var clock: String { directory + "/clock" }
    var effects: String { directory + "/effects" }
    var gate: String { directory + "/gate" }

    func write(_ path: String, _ text: String) throws {
        try FileIO.writeAtomically(Array(text.utf8), to: path, mode: 0o644)
    }

    func setClock(_ seconds: Int64) throws { try write(clock, "\(seconds)\n") }

    func openGate() throws { try write(gate, "open\n") }

    /// An automation every `interval`, every missed tick caught up, runs of it one after another.
    func automation(_ id: String, every interval: String, retries: Int = 3) throws {
        try write(
            automations + "/\(id).toml",
            """
            prompt = "p"
            model = "local:m"
            [trigger]
            every = "\(interval)"
            [run]
            catch_up = "all"
            overlap = "queue"
            retries = \(retries)
            backoff = "30s"

            """)
    }

    /// The side-effect file's lines, split into fields: automation, tick, run, attempt, pid.
    func effectLines() throws -> [[String]] {
        guard let bytes = try FileIO.read(effects, limit: 1 << 24) else { return [] }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
    }

    func remove() {
        _ = try? HostProcess.runBlocking(["/bin/rm", "-rf", directory])
    }
}

/// A `pie-store-worker` process (the serve loop with a side-effect executor) on a shared store.
final class Worker {
    let process: HostProcess

    init(_ scratch: Scratch, store: String, lease: Int64) throws {
        process = try HostProcess(
            [Self.path, "--store", store, "--clock-file", scratch.clock, "--automations", scratch.automations,
             "--effects", scratch.effects, "--gate", scratch.gate, "--lease", String(lease)])
    }

    /// Built by SwiftPM next to the test bundle.
    static var path: String {
        let bundle = CommandLine.arguments[0]
        let directory = bundle.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return directory + "/pie-store-worker"
    }

    var pid: pid_t { process.pid }
    var log: String { String(decoding: process.stderr, as: UTF8.self) }

    func kill9() async {
        process.signal(SIGKILL)
        _ = await process.exited()
    }

    func stop() {
        process.signal(SIGTERM)
        _ = process.waitForExit()
    }

    deinit {
        if process.exitStatus == nil {
            process.signal(SIGCONT)
            process.signal(SIGKILL)
        }
    }
}

/// Polls `condition` (a real external state: processes and a database) until it holds or
/// `seconds` pass.
func eventually(seconds: Double = 60, _ condition: () throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while ContinuousClock.now < deadline {
        if try condition() { return true }
        try? await Task.sleep(for: .milliseconds(25))
    }
    return try condition()
}

/// 2026-01-01T00:00:00Z: the tests' clock starts here.
let testEpoch: Int64 = 1_767_225_600

/// The pid in a worker name (`host/pid/start`).
func workerPid(_ worker: String?) -> pid_t? {
    guard let worker else { return nil }
    let parts = worker.split(separator: "/")
    return parts.count == 3 ? pid_t(parts[1]) : nil
}
