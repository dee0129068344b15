import Foundation
import Glibc
import PieTestSupport
import Testing

/// Unattended runs never approve themselves: a call the policy holds (`ask`) parks the run as
/// `needs_approval`, serve logs it, and only `pie automations approve|deny` from another process,
/// or `approval_timeout` on serve's clock (a deny), lets the run go on.
@Suite("pie automations: approvals", .serialized)
struct AutomationsApprovalTests {
    static let policy = "ask_paths = [\"deploy\"]\n"

    private func auditText(_ project: ScratchProject) throws -> String {
        let directory = project.pieDirectory + "/audit"
        return try FileManager.default.contentsOfDirectory(atPath: directory)
            .map { try String(contentsOfFile: directory + "/" + $0, encoding: .utf8) }.joined()
    }

    @Test("a parked run waits for `pie automations approve` from another process, then the call runs")
    func approveFromAnotherProcess() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        try project.write(".pie/policy.toml", Self.policy)
        let server = try ScriptedServer.replying(
            ChatStream.toolCall(id: "call_1", name: "write", json: ["path": "deploy/prod.yaml", "content": "v2\n"]),
            ChatStream.text("Deployed."))
        defer { server.stop() }
        try project.registerModels([("scripted", "local", server.baseURL)])
        try project.automation("deploy", trigger: "every = \"1h\"")
        try project.setClock(testEpoch)

        let serve = try ServeProcess(project)
        #expect(await serve.waitFor("serve_started"))
        try project.setClock(testEpoch + 3600)
        try #require(await serve.waitFor("needs_approval"), "no needs_approval line:\n\(serve.log)")
        let notice = try #require(serve.events("needs_approval").first)
        #expect(notice.int("run") == 1 && notice.string("call") == "call_1" && notice.string("tool") == "write")
        #expect(notice.string("rule") == "ask_paths" && notice.string("level") == "warning")
        #expect(notice.string("message")?.contains("pie automations approve 1 call_1") == true)
        #expect(notice.string("deadline") == "2026-01-01T02:00:00+00:00")

        // Parked: nothing written, the model not asked again, the state visible to other processes.
        #expect(try await project.runs().first?.string("state") == "needs_approval")
        #expect(!FileManager.default.fileExists(atPath: project.path + "/deploy/prod.yaml"))
        #expect(server.requests.count == 1)
        let listed = try await runPie(["automations", "approvals", "--pending", "--json"], cwd: project.path)
        #expect(listed.status == 0, "\(listed.stderr)")
        let approvals = try #require(try parseJSON(listed.stdout)["approvals"] as? [[String: Any]])
        #expect(approvals.count == 1)
        #expect(approvals.first?.string("arguments") == #"{"content":"v2\n","path":"deploy/prod.yaml"}"#
            || approvals.first?.string("arguments")?.contains("deploy/prod.yaml") == true)

        let wrongCall = try await runPie(["automations", "approve", "1", "call_9"], cwd: project.path)
        #expect(wrongCall.status == 1 && wrongCall.stderr.contains("run 1 has no tool call 'call_9' waiting for approval"))
        let approved = try await runPie(["automations", "approve", "1", "call_1"], cwd: project.path)
        #expect(approved.status == 0, "\(approved.stderr)")
        #expect(approved.stdout.contains("approved call call_1 of run 1"))

        try #require(await serve.waitFor("run_finished"), "\(serve.log)")
        let runs = try await project.runs()
        #expect(runs.map { $0.string("state") } == ["succeeded"])
        #expect(runs.first?.string("final_message") == "Deployed.")
        #expect(try String(contentsOfFile: project.path + "/deploy/prod.yaml", encoding: .utf8) == "v2\n")
        #expect(server.requests[1].toolResults.first?.hasPrefix("Successfully wrote") == true)
        let again = try await runPie(["automations", "deny", "1", "call_1"], cwd: project.path)
        #expect(again.status == 1 && again.stderr.contains("was already answered (approve, by a person)"))

        let audit = try auditText(project)
        #expect(audit.contains(#""decision":"ask""#))
        #expect(audit.contains(#""event":"approval""#) && audit.contains(#""approver":"command""#))
        #expect(await serve.terminate() == 0)
    }

    @Test("deny from another process and approval_timeout on serve's clock are both denials the model is told about")
    func denyAndTimeout() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        try project.write(".pie/policy.toml", Self.policy)
        let server = try ScriptedServer.replying(
            ChatStream.toolCall(id: "call_1", name: "write", json: ["path": "deploy/a.yaml", "content": "a\n"]),
            ChatStream.toolCall(id: "call_1", name: "write", json: ["path": "deploy/b.yaml", "content": "b\n"]),
            ChatStream.text("Nothing was deployed."))
        defer { server.stop() }
        try project.registerModels([("scripted", "local", server.baseURL)])
        try project.automation("deploy", trigger: "every = \"1h\"", run: "approval_timeout = \"10m\"")
        try project.setClock(testEpoch)

        let serve = try ServeProcess(project)
        #expect(await serve.waitFor("serve_started"))
        try project.setClock(testEpoch + 3600)
        try #require(await serve.waitFor("needs_approval"), "\(serve.log)")
        let denied = try await runPie(["automations", "deny", "1", "call_1"], cwd: project.path)
        #expect(denied.status == 0, "\(denied.stderr)")

        // The model reused its call id: the second question gets a key of its own.
        try #require(await serve.waitFor("needs_approval", count: 2), "\(serve.log)")
        let second = try #require(serve.events("needs_approval").last)
        #expect(second.string("call") == "call_1-2")
        #expect(second.string("deadline") == "2026-01-01T01:10:00+00:00")
        #expect(try await project.runs().first?.string("state") == "needs_approval")
        try project.setClock(testEpoch + 3600 + 601)

        try #require(await serve.waitFor("run_finished"), "\(serve.log)")
        #expect(try await project.runs().map { $0.string("state") } == ["succeeded"])
        #expect(!FileManager.default.fileExists(atPath: project.path + "/deploy/a.yaml"))
        #expect(!FileManager.default.fileExists(atPath: project.path + "/deploy/b.yaml"))
        let first = try #require(server.requests[1].toolResults.last)
        #expect(first.hasPrefix("Denied by policy (rule ask_paths):"))
        #expect(first.hasSuffix("not approved: denied with `pie automations deny` (call call_1)"))
        let timedOut = try #require(server.requests[2].toolResults.last)
        #expect(timedOut.hasSuffix("not approved: nobody answered within approval_timeout 10m (call call_1-2), so the call is denied"))

        let late = try await runPie(["automations", "approve", "1", "call_1-2"], cwd: project.path)
        #expect(late.status == 1 && late.stderr.contains("already answered (deny, by approval_timeout)"))
        let shown = try await runPie(["automations", "approvals", "1"], cwd: project.path)
        #expect(shown.stdout.contains("call call_1  write  ask_paths  deny (command)"))
        #expect(shown.stdout.contains("call call_1-2  write  ask_paths  deny (timeout)"))
        let audit = try auditText(project)
        #expect(audit.contains(#""approver":"command""#) && audit.contains(#""approver":"timeout""#))
        #expect(await serve.terminate() == 0)
    }

    @Test("a serve killed while its run is parked leaves the run interrupted for the next serve")
    func killedWhileParked() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        try project.write(".pie/policy.toml", Self.policy)
        let server = try ScriptedServer.replying(
            ChatStream.toolCall(id: "call_1", name: "write", json: ["path": "deploy/a.yaml", "content": "a\n"]))
        defer { server.stop() }
        try project.registerModels([("scripted", "local", server.baseURL)])
        try project.automation("deploy", trigger: "every = \"1h\"")
        try project.setClock(testEpoch)

        let first = try ServeProcess(project, name: "first")
        #expect(await first.waitFor("serve_started"))
        try project.setClock(testEpoch + 3600)
        try #require(await first.waitFor("needs_approval"), "\(first.log)")
        await first.kill9()

        let next = try ServeProcess(project, name: "next")
        #expect(await next.waitFor("serve_started"))
        var state: String?
        for _ in 0..<300 {
            state = try await project.runs().first?.string("state")
            if state == "interrupted" { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(state == "interrupted")
        let late = try await runPie(["automations", "approve", "1", "call_1"], cwd: project.path)
        #expect(late.status == 1 && late.stderr.contains("run 1 is interrupted, no longer waiting for approval"))
        #expect(!FileManager.default.fileExists(atPath: project.path + "/deploy/a.yaml"))
        #expect(await next.terminate() == 0)
    }

    @Test("SIGTERM while a run is parked: past the grace period the run is interrupted, the call never runs")
    func sigtermWhileParked() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        try project.write(".pie/policy.toml", Self.policy)
        let server = try ScriptedServer.replying(
            ChatStream.toolCall(id: "call_1", name: "write", json: ["path": "deploy/a.yaml", "content": "a\n"]),
            ChatStream.text("Stopped."))
        defer { server.stop() }
        try project.registerModels([("scripted", "local", server.baseURL)])
        try project.automation("deploy", trigger: "every = \"1h\"")
        try project.setClock(testEpoch)

        let serve = try ServeProcess(project, extra: ["--grace", "1s"])
        #expect(await serve.waitFor("serve_started"))
        try project.setClock(testEpoch + 3600)
        try #require(await serve.waitFor("needs_approval"), "\(serve.log)")
        #expect(await serve.terminate() == 0)
        let runs = try await project.runs()
        #expect(runs.first?.string("state") == "interrupted", "\(runs)")
        #expect(!FileManager.default.fileExists(atPath: project.path + "/deploy/a.yaml"))
        let late = try await runPie(["automations", "approve", "1", "call_1"], cwd: project.path)
        #expect(late.status == 1 && late.stderr.contains("no longer waiting for approval"))
    }

    @Test("the run's timeout does not count while it waits: a parked run outlives `timeout` and then finishes")
    func timeoutPausedWhileParked() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        try project.write(".pie/policy.toml", Self.policy)
        let server = try ScriptedServer.replying(
            ChatStream.toolCall(id: "call_1", name: "write", json: ["path": "deploy/a.yaml", "content": "a\n"]),
            ChatStream.text("Deployed after waiting."))
        defer { server.stop() }
        try project.registerModels([("scripted", "local", server.baseURL)])
        try project.automation("deploy", trigger: "every = \"1h\"", run: "timeout = \"5s\"")
        try project.setClock(testEpoch)

        let serve = try ServeProcess(project)
        #expect(await serve.waitFor("serve_started"))
        try project.setClock(testEpoch + 3600)
        try #require(await serve.waitFor("needs_approval"), "\(serve.log)")
        // More than the run's timeout of real time passes while it waits for a person.
        try await Task.sleep(for: .seconds(6))
        #expect(try await project.runs().first?.string("state") == "needs_approval")
        let approved = try await runPie(["automations", "approve", "1", "call_1"], cwd: project.path)
        #expect(approved.status == 0, "\(approved.stderr)")
        try #require(await serve.waitFor("run_finished"), "\(serve.log)")
        let run = try #require(try await project.runs().first)
        #expect(run.string("state") == "succeeded", "\(run)")
        #expect(run.string("final_message") == "Deployed after waiting.")
        #expect(await serve.terminate() == 0)
    }
}
