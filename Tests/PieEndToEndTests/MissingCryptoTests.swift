import Foundation
import PieTestSupport
import Testing

/// pie opens libcrypto only when it hashes (the audit chain, session directory names). With the
/// library hidden, commands that do not hash still work and `pie audit verify` says which package
/// to install instead of crashing.
@Suite("pie without libcrypto")
struct MissingCryptoTests {
    static let libcrypto = (soname: "libcrypto.so.3", package: "libssl3")

    @Test("--version needs no libcrypto")
    func versionWithoutLibcrypto() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let result = try await runPie(
            ["--version"], cwd: project.path, launcher: try MissingLibraryTests.hiding([Self.libcrypto]))
        #expect(result.status == 0, "stderr: \(result.stderr)")
    }

    @Test("audit verify exits 2 and says how to install libcrypto")
    func auditVerifyWithoutLibcrypto() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let log = project.path + "/audit.jsonl"
        let lines = LegacyLog.lines.joined(separator: "\n") + "\n"
        try lines.write(toFile: log, atomically: true, encoding: .utf8)

        let intact = try await runPie(["audit", "verify", log], cwd: project.path)
        #expect(intact.status == 0, "stderr: \(intact.stderr)")

        let result = try await runPie(
            ["audit", "verify", log], cwd: project.path, launcher: try MissingLibraryTests.hiding([Self.libcrypto]))
        #expect(result.status == 2, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("libcrypto.so.3 could not be loaded ("), "stderr: \(result.stderr)")
        #expect(result.stderr.contains("install it with `apt-get install libssl3`"), "stderr: \(result.stderr)")
    }
}

/// A two-record log as pie writes it.
enum LegacyLog {
    static let lines = [
        #"{"v":1,"seq":1,"time":"2026-12-07T13:29:12.908Z","event":"decision","session":"tool-921","call":"call_921","tool":"bash","args":"{\"command\":\"echo hello\"}","decision":"allow","rule":"allowed","reason":"every command in the line is allowed by the 'balanced' bash profile","prev":"0000000000000000000000000000000000000000000000000000000000000000","hash":"1e35b88cd6b546584e65307f9eb26a018b8803b940fa543ff4f38b157fd500f9"}"#,
        #"{"v":1,"seq":2,"time":"2026-12-07T13:29:12.993Z","event":"completion","session":"tool-921","call":"call_921","tool":"bash","args":"{\"command\":\"echo hello\"}","decision":"allow","rule":"allowed","sandbox":"bwrap","exit_code":0,"duration_ms":84,"bytes_in":24,"bytes_out":6,"output":"hello\n","prev":"1e35b88cd6b546584e65307f9eb26a018b8803b940fa543ff4f38b157fd500f9","hash":"4c03f73a502c1072ec41d9d29ee498f36efa6e844c03964d7bad791284b3b36b"}"#,
    ]
}
