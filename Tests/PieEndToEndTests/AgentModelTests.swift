import Foundation
import PieTestSupport
import Testing

/// Model selection and output modes as a script or CI job sees them: fallbacks, the JSON event
/// stream, and exit code 2 with a useful message for bad usage.
@Suite("pie agent: models, output modes and usage errors")
struct AgentModelTests {
    @Test("when the first model answers 503 the fallback model takes over")
    func fallback() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let failing = try ScriptedServer.replying(
            HTTPResponses.json(#"{"error":{"message":"loading model"}}"#, status: "503 Service Unavailable"))
        let backup = try ScriptedServer.replying(ChatStream.text("Backup model here."))
        try project.registerModels([(id: "backup", provider: "local", baseURL: backup.baseURL)])

        let result = try await runPie(
            failing.modelArguments + ["--provider-max-retries", "0", "--fallback-model", "local:backup", "-p", "hello"],
            cwd: project.path)

        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.hasSuffix("Backup model here.\n"))
        #expect(result.stderr.contains("falling back from"), "stderr: \(result.stderr)")
        #expect(failing.requests.count == 1)
        #expect(backup.requests.count == 1)
        #expect(backup.requests.first?.model == "backup")
    }

    @Test("--mode json writes one known event per line, from agent_start to agent_end")
    func jsonEvents() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        try project.write("notes.txt", "remember the milk\n")
        let server = try ScriptedServer.replying(
            ChatStream.toolCall(id: "call_1", name: "read", json: ["path": "notes.txt"]), ChatStream.text("It says milk."))

        let result = try await runPie(server.modelArguments + ["--mode", "json", "-p", "read notes.txt"], cwd: project.path)

        #expect(result.status == 0, "stderr: \(result.stderr)")
        let known: Set = [
            "agent_start", "agent_end", "turn_start", "turn_end", "message_start", "message_update", "message_end",
            "tool_execution_start", "tool_execution_update", "tool_execution_end", "compaction_start", "compaction_end",
        ]
        let types = try result.stdout.split(separator: "\n").map { line in
            try #require(try parseJSON(String(line))["type"] as? String, "no type in \(line)")
        }
        #expect(Set(types).isSubset(of: known), "unknown types: \(Set(types).subtracting(known))")
        #expect(types.first == "agent_start")
        #expect(types.last == "agent_end")
        #expect(types.filter { $0 == "turn_start" }.count == 2)
        #expect(types.contains("tool_execution_start") && types.contains("tool_execution_end"))
    }

    @Test("bad usage exits 2 and says what to fix", arguments: [
        (["--mode", "xml", "-p", "x"], "Please provide one of 'text' and 'json'"),
        (["--provider", "replay", "-p", "x"], "--replay FILE"),
        (["--provider", "llamacpp", "--model", "m", "--base-url", "http://127.0.0.1:9/v1", "--thinking", "extreme", "-p", "x"],
         "- off\n  - minimal\n  - low\n  - medium\n  - high\n  - xhigh"),
        (["--provider-retry-jitter", "maybe", "-p", "x"], "Please provide one of 'true' and 'false'"),
    ])
    func usageErrors(arguments: [String], message: String) async throws {
        let project = try ScratchProject()
        defer { project.remove() }

        let result = try await runPie(arguments, cwd: project.path)

        #expect(result.status == 2)
        #expect(result.stderr.contains(message), "stderr: \(result.stderr)")
    }

    @Test("a prompt on standard input that is endless or not UTF-8 exits 2 instead of hanging", arguments: [
        ("exec \"$@\" < /dev/zero", "larger than 16 MiB"),
        ("printf '\\377\\376' | exec \"$@\"", "not valid UTF-8"),
    ])
    func badStandardInput(redirect: String, message: String) async throws {
        let project = try ScratchProject()
        defer { project.remove() }

        let result = try await runPie(
            ["--provider", "llamacpp", "--model", "m", "--base-url", "http://127.0.0.1:9/v1"], cwd: project.path,
            launcher: ["/bin/sh", "-c", redirect, "sh"])

        #expect(result.status == 2)
        #expect(result.stderr.contains(message), "stderr: \(result.stderr)")
    }

    @Test("with no model configured the message shows each way to configure one")
    func noModelHelp() async throws {
        let project = try ScratchProject()
        defer { project.remove() }

        let result = try await runPie(["-p", "hello"], cwd: project.path)

        #expect(result.status == 2)
        for hint in ["--provider ollama", "--base-url", "OPENAI_API_KEY", "pie login", "models.json"] {
            #expect(result.stderr.contains(hint), "missing \(hint) in: \(result.stderr)")
        }
    }
}
