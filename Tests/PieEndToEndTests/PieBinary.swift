import Foundation

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
        let process = makeProcess(arguments, cwd: cwd, environment: environment, launcher: launcher)
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        let stderrData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
            stderr: String(decoding: stderrData, as: UTF8.self))
    }

    /// The scrubbed environment every test run gets: no API keys, no user config, state under `cwd`.
    static func environment(cwd: String, _ extra: [String: String] = [:]) -> [String: String] {
        ["PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": cwd + "/.home", "PIE_DIR": cwd + "/.home/.pie", "NO_COLOR": "1"]
            .merging(extra) { $1 }
    }

    /// A not yet started pie process in `cwd` with the scrubbed environment, run by `launcher`
    /// when one is given.
    static func makeProcess(
        _ arguments: [String], cwd: String, environment: [String: String] = [:], launcher: [String] = []
    ) -> Process {
        let command = launcher + [path] + arguments
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.currentDirectoryURL = URL(fileURLWithPath: cwd)
        process.environment = Self.environment(cwd: cwd, environment)
        return process
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
