import Glibc
import PieJSON
import PieSystem
import PieTestSupport
import Testing

/// One of the Python servers in `Servers/`, started with python3 on a free loopback port (the
/// script binds port 0 and prints `PORT <n>`), killed with SIGKILL when the test is done.
///
/// Each later stdout line is a JSON record of a request the server received: the test reads them
/// to check what crossed the wire.
final class PythonServer: Sendable {
    let process: HostProcess
    let port: Int
    let script: String

    /// Starts `script` and waits (bounded) for its port. A missing python3 or `mcp` package fails
    /// the test with the script's own error and what to run.
    init(_ script: String, _ arguments: [String] = []) async throws {
        let path = Self.directory + "/Servers/" + script
        self.script = script
        process = try HostProcess(["/usr/bin/env", "python3", path] + arguments)
        var found: Int?
        // Importing the SDK and starting uvicorn takes a second or two; a broken install exits.
        for _ in 0..<600 {
            if let line = Self.lines(process.stdout).first, line.hasPrefix("PORT "), let port = Int(line.dropFirst(5)) {
                found = port
                break
            }
            if process.exitStatus != nil { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        guard let found else {
            let stderr = String(decoding: process.stderr, as: UTF8.self)
            process.signal(SIGKILL)
            throw ServerStartFailure(
                description: "python3 \(script) did not start (python3 or the `mcp` package missing? run scripts/install-deps.sh): \(stderr)")
        }
        port = found
    }

    var endpoint: String { "http://127.0.0.1:\(port)/mcp" }

    /// The requests recorded so far, one JSON object each; a line that is not JSON is kept as a
    /// string, so a failure message shows it.
    var records: [JSONValue] {
        Self.lines(process.stdout).dropFirst().map { line in
            do {
                return try JSONParser.parse(String(line))
            } catch {
                return .string(String(line))
            }
        }
    }

    /// Waits (bounded) until a record satisfies `predicate`; the server answers on its own
    /// threads, so what it printed may lag what the client already saw.
    func waitForRecord(_ what: String, _ predicate: (JSONValue) -> Bool) async throws -> JSONValue {
        // Up to 30 s: generous for a machine whose cores other builds share.
        for _ in 0..<1_200 {
            if let record = records.first(where: predicate) { return record }
            try await Task.sleep(for: .milliseconds(25))
        }
        throw ServerStartFailure(description: "\(script) never recorded \(what); it recorded \(records.map(\.rendered))")
    }

    /// Kills the server; it is reaped on a thread of its own, because `waitForExit` blocks and the
    /// few threads of Swift's cooperative pool are shared by every test running in parallel.
    func stop() {
        process.signal(SIGKILL)
        let process = self.process
        DetachedThread.start { _ = process.waitForExit() }
    }

    deinit { stop() }

    private static func lines(_ bytes: [UInt8]) -> [Substring] {
        String(decoding: bytes, as: UTF8.self).split(separator: "\n")
    }

    /// This file's directory's parent: the test target's folder.
    private static let directory: String = {
        let file = #filePath
        var parts = file.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(2)
        return parts.joined(separator: "/")
    }()
}

struct ServerStartFailure: Error, CustomStringConvertible {
    var description: String
}
