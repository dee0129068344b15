import Foundation
import Testing

@Suite("pie tool and pie audit")
struct ToolCLITests {
    @Test("read and write through the confined backend, exit 0")
    func readWrite() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let write = try await runPie(["tool", "write", "--args", #"{"path":"src/new.txt","content":"hi\n"}"#], cwd: project.path)
        #expect(write.status == 0)
        #expect(write.stdout == "Successfully wrote 3 bytes to src/new.txt\n")
        let read = try await runPie(["tool", "read", "--args", #"{"path":"src/new.txt"}"#], cwd: project.path)
        #expect(read.status == 0)
        #expect(read.stdout == "hi\n\n")
    }

    @Test("a policy denial is an error result: exit 1, nothing written")
    func denial() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let result = try await runPie(
            ["tool", "write", "--args", #"{"path":".git/hooks/pre-commit","content":"rm -rf ~"}"#, "--json"],
            cwd: project.path)
        #expect(result.status == 1)
        let json = try parseJSON(result.stdout)
        #expect(json["isError"] as? Bool == true)
        let content = try #require(json["content"] as? [[String: Any]])
        #expect((content.first?["text"] as? String)?.hasPrefix("Denied by policy (rule path.git_metadata)") == true)
        #expect(!FileManager.default.fileExists(atPath: project.path + "/.git/hooks/pre-commit"))
    }

    @Test("bash chaining past the allowlist is denied and does not run")
    func chaining() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let result = try await runPie(
            ["tool", "bash", "--args", #"{"command":"ls && touch marker && perl -e 1"}"#], cwd: project.path)
        #expect(result.status == 1)
        #expect(result.stdout.contains("command 'perl' is not allowed"))
        #expect(!FileManager.default.fileExists(atPath: project.path + "/marker"))
    }

    @Test("malformed arguments are rejected, never run as {}", arguments: [
        (#"{"path": "a.txt""#, "not valid JSON"),
        (#"{"path": 5}"#, "field 'path' must be a string"),
        (#"{"paht": "a.txt"}"#, "unknown field 'paht'"),
        (#"{}"#, "missing required field 'path'"),
    ])
    func malformed(arguments: String, message: String) async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let result = try await runPie(["tool", "read", "--args", arguments], cwd: project.path)
        #expect(result.status == 1)
        #expect(result.stdout.contains(message))
    }

    @Test("an unknown tool is bad usage: exit 2 with a suggestion")
    func unknownTool() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let result = try await runPie(["tool", "grpe", "--args", "{}"], cwd: project.path)
        #expect(result.status == 2)
        #expect(result.stderr.contains("did you mean 'grep'?"))
    }

    @Test("every call is audited; verify finds an edited record")
    func auditTrail() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let log = project.path + "/audit.jsonl"
        for arguments in [#"{"path":"a.txt","content":"one"}"#, #"{"path":"../escape.txt","content":"two"}"#] {
            _ = try await runPie(["tool", "write", "--args", arguments, "--tool-audit-log", log], cwd: project.path)
        }
        let intact = try await runPie(["audit", "verify", log], cwd: project.path)
        #expect(intact.status == 0)
        #expect(intact.stdout.contains("intact, 4 records"))
        let denied = try await runPie(["audit", "show", log, "--decision", "deny"], cwd: project.path)
        #expect(denied.stdout.contains("path.outside_roots"))

        var lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[1] = lines[1].replacingOccurrences(of: "\"allow\"", with: "\"deny\"")
        try (lines.joined(separator: "\n") + "\n").write(toFile: log, atomically: true, encoding: .utf8)
        let tampered = try await runPie(["audit", "verify", log], cwd: project.path)
        #expect(tampered.status == 1)
        #expect(tampered.stderr.contains("line 2"))
    }
}
