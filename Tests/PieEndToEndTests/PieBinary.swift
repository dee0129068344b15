import Foundation
import PieTestSupport

/// Runs the built `pie` executable the way a user or a script would.
struct PieBinary {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The `pie` binary SwiftPM built next to this test bundle.
    static var path: String {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return bundle.appendingPathComponent("pie").path
    }

    /// Runs pie with `arguments` in `cwd`, a scrubbed environment plus `environment`, and optional stdin.
    /// `launcher`, when given, is a command line that starts pie (appended as its last arguments).
    static func run(
        _ arguments: [String], cwd: String, environment: [String: String] = [:], stdin: String? = nil,
        launcher: [String] = []
    ) throws -> Result {
        let result = try HostProcess.runBlocking(
            command(arguments, launcher: launcher), cwd: cwd, environment: Self.environment(cwd: cwd, environment),
            input: Array((stdin ?? "").utf8))
        return Result(status: result.status, stdout: result.stdoutText, stderr: result.stderrText)
    }

    /// The scrubbed environment every test run gets: no API keys, no user config, state under `cwd`.
    static func environment(cwd: String, _ extra: [String: String] = [:]) -> [String: String] {
        ["PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": cwd + "/.home", "PIE_DIR": cwd + "/.home/.pie", "NO_COLOR": "1"]
            .merging(extra) { $1 }
    }

    /// The command line that starts pie, run by `launcher` when one is given.
    static func command(_ arguments: [String], launcher: [String] = []) -> [String] {
        launcher + [path] + arguments
    }
}

/// A scratch project directory for one test.
struct ScratchProject {
    let path: String

    init() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pie-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        path = url.resolvingSymlinksInPath().path
        try FileManager.default.createDirectory(atPath: path + "/.home", withIntermediateDirectories: true)
    }

    func write(_ relative: String, _ text: String) throws {
        let url = URL(fileURLWithPath: path).appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

func parseJSON(_ text: String) throws -> [String: Any] {
    guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
        throw CocoaError(.coderReadCorrupt)
    }
    return object
}
