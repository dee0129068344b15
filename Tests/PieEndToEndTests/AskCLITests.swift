import Foundation
import PieTestSupport
import Testing

/// `ask` outside an interactive session: `pie tool` has nobody to ask, so a held call is denied
/// with the rule and how to allow it, and the audit log says nobody approved it.
@Suite("ask decisions on the command line")
struct AskCLITests {
    static let policy = """
        ask_commands = ["git push*"]
        ask_paths = ["deploy"]
        """

    @Test("pie tool denies a held command before it runs and says how to allow it")
    func toolDeniesHeldCommand() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        try project.write(".pie/policy.toml", Self.policy)
        let log = project.path + "/audit.jsonl"
        let result = try await runPie(
            ["tool", "bash", "--args", #"{"command":"touch marker && git push origin main"}"#, "--tool-audit-log", log],
            cwd: project.path)
        #expect(result.status == 1)
        #expect(result.stdout.contains("Denied by policy (rule ask_commands): 'git push origin main' matches the ask_commands pattern 'git push*'"))
        #expect(result.stdout.contains("not approved: pie tool has nobody to ask, so the call is denied; run pie interactively to be asked, or change the policy's ask_commands"))
        #expect(!FileManager.default.fileExists(atPath: project.path + "/marker"))

        let verify = try await runPie(["audit", "verify", log], cwd: project.path)
        #expect(verify.status == 0)
        #expect(verify.stdout.contains("intact, 3 records"))
        let records = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        #expect(records.count == 3)
        #expect(records[0].contains(#""event":"decision""#) && records[0].contains(#""decision":"ask""#))
        #expect(records[1].contains(#""event":"approval""#) && records[1].contains(#""decision":"deny""#))
        #expect(records[1].contains(#""approver":"nobody""#))
        #expect(records[2].contains(#""event":"completion""#) && records[2].contains(#""decision":"deny""#))
        let shown = try await runPie(["audit", "show", log, "--decision", "ask"], cwd: project.path)
        #expect(shown.status == 0)
        #expect(shown.stdout.split(separator: "\n").count == 1)
        #expect(shown.stdout.contains("decision  bash  ASK  ask_commands"))
    }

    @Test("pie tool denies a held write; other writes and reads go through")
    func toolDeniesHeldWrite() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        try project.write(".pie/policy.toml", Self.policy)
        try project.write("deploy/prod.yaml", "old\n")
        let held = try await runPie(
            ["tool", "write", "--args", #"{"path":"deploy/prod.yaml","content":"new\n"}"#], cwd: project.path)
        #expect(held.status == 1)
        #expect(held.stdout.contains("(rule ask_paths)"))
        #expect(try String(contentsOfFile: project.path + "/deploy/prod.yaml", encoding: .utf8) == "old\n")
        let read = try await runPie(["tool", "read", "--args", #"{"path":"deploy/prod.yaml"}"#], cwd: project.path)
        #expect(read.status == 0)
        let other = try await runPie(["tool", "write", "--args", #"{"path":"notes.txt","content":"x"}"#], cwd: project.path)
        #expect(other.status == 0)
    }

    @Test("pie policy explain shows an ask and exits 1; --print-tool-policy lists the ask fields")
    func explainAndPrint() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        try project.write(".pie/policy.toml", Self.policy)
        let explain = try await runPie(["policy", "explain", "--tool", "bash", "--command", "git push"], cwd: project.path)
        #expect(explain.status == 1)
        #expect(explain.stdout.hasPrefix("decision: ask\n"))
        #expect(explain.stdout.contains("approval: runs only when a person approves it"))
        let allowed = try await runPie(["policy", "explain", "--tool", "bash", "--command", "git status"], cwd: project.path)
        #expect(allowed.status == 0)
        let printed = try await runPie(["--print-tool-policy"], cwd: project.path)
        #expect(printed.status == 0)
        let json = try parseJSON(printed.stdout)
        let policy = try #require(json["policy"] as? [String: Any])
        #expect(policy["ask_commands"] as? [String] == ["git push*"])
        #expect(policy["ask_paths"] as? [String] == ["deploy"])
    }

    @Test("pie -p has nobody to ask: the model gets the denial with the rule and how to allow the call")
    func oneShotDenies() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        try project.write(".pie/policy.toml", "ask_commands = [\"touch*\"]\n")
        let server = try ScriptedServer.replying(
            ChatStream.toolCall(id: "call_1", name: "bash", json: ["command": "touch held.txt"]),
            ChatStream.text("It was not allowed."))
        defer { server.stop() }
        let result = try await runPie(server.modelArguments + ["-p", "make the file"], cwd: project.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("It was not allowed."))
        #expect(!FileManager.default.fileExists(atPath: project.path + "/held.txt"))
        let denial = try #require(server.requests.last?.toolResults.first)
        #expect(denial.hasPrefix("Denied by policy (rule ask_commands): 'touch held.txt' matches the ask_commands pattern 'touch*'"))
        #expect(denial.hasSuffix("not approved: pie -p has nobody to ask, so the call is denied; run pie interactively to be asked, or change the policy's ask_commands (`pie policy explain` shows the entry)"))
    }
}
