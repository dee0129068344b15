import Foundation
import PieHooks
import PieJSON
import PiePolicy
import PieSandbox
import PieTestSupport
import Testing

/// Command hooks in the real sandbox (bubblewrap + seccomp, as the session's bash), real processes.
@Suite("Command hooks run in the session's sandbox")
struct HookRunnerTests {
    static func toolPayload(_ scratch: HookScratch) -> HookPayload {
        var payload = HookPayload(
            event: .toolEnd,
            session: HookSessionInfo(sessionID: "session-1", cwd: scratch.project, modelProvider: "local", modelID: "scripted"))
        payload.setTool(callID: "call_7", name: "bash", arguments: .object(JSONObject([("command", .string("ls"))])))
        payload.setResult(isError: false, text: "a.txt\nb.txt")
        return payload
    }

    @Test func aCommandHookGetsPiesVariablesAndThePayloadFile() async throws {
        let scratch = try HookScratch()
        let hook = try hook(
            #"""
            event = "tool_end"
            command = "env | grep '^PIE_' | grep -v PIE_SPAWN_ID | sort > env.txt; cp \"$PIE_HOOK_PAYLOAD\" payload.json; cat > stdin.txt"
            """#)
        let result = try await scratch.runner().run(hook, payload: Self.toolPayload(scratch))

        #expect(result.outcome == .ok, "\(result.summary)")
        let variables = try #require(scratch.read("env.txt")).split(separator: "\n").map(String.init)
        #expect(variables.contains("PIE_HOOK_EVENT=tool_end"))
        #expect(variables.contains("PIE_SESSION_ID=session-1"))
        #expect(variables.contains("PIE_CWD=\(scratch.project)"))
        #expect(variables.contains("PIE_MODEL_PROVIDER=local") && variables.contains("PIE_MODEL_ID=scripted"))
        #expect(variables.contains("PIE_TOOL_NAME=bash") && variables.contains("PIE_TOOL_CALL_ID=call_7"))
        #expect(variables.contains("PIE_TOOL_IS_ERROR=false") && variables.contains("PIE_THINKING_LEVEL=off"))
        #expect(variables.contains { $0.hasPrefix("PIE_HOOK_PAYLOAD=/tmp/pie-hook.") })
        let payload = try JSONParser.parse(Array(try #require(scratch.read("payload.json")).utf8))
        #expect(payload["event"]?.stringValue == "tool_end")
        #expect(payload["tool_args"]?["command"]?.stringValue == "ls")
        #expect(payload["tool_result_summary"]?.stringValue == "a.txt\nb.txt")
        #expect(payload["tool_is_error"]?.boolValue == false)
        // Standard input is closed: `cat` read nothing and ended at once.
        #expect(scratch.read("stdin.txt") == "")
    }

    @Test func thePayloadFileIsRemovedAfterTheHook() async throws {
        // Without bubblewrap (permissive: sandbox off) the file is in the host's /tmp, so its
        // removal is visible here.
        let scratch = try HookScratch()
        let hook = try hook(#"event = "agent_end"\#ncommand = "echo \"$PIE_HOOK_PAYLOAD\" > path.txt""#)
        let result = try await scratch.runner(preset: .permissive).run(hook, payload: Self.toolPayload(scratch))
        #expect(result.outcome == .ok, "\(result.summary)")
        let path = try #require(scratch.read("path.txt")).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(path.hasPrefix("/tmp/pie-hook."))
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func aCommandHookCannotWriteOutsideTheSessionsWriteRoots() async throws {
        let scratch = try HookScratch()
        let outside = scratch.root + "/outside"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        let escape = try hook("event = \"agent_end\"\ncommand = \"echo owned > \(outside)/escaped.txt\"")
        let inside = try hook("event = \"agent_end\"\ncommand = \"echo fine > \(scratch.project)/inside.txt\"")
        let runner = try scratch.runner(preset: .balanced)

        let escaped = await runner.run(escape, payload: Self.toolPayload(scratch))
        let stayed = await runner.run(inside, payload: Self.toolPayload(scratch))

        #expect(escaped.outcome == .failed, "\(escaped.summary)")
        #expect(!scratch.exists(outside + "/escaped.txt"))
        // The same kind of write inside the project works: the denial above is the sandbox's.
        #expect(stayed.outcome == .ok && scratch.read("inside.txt") == "fine\n")
    }

    @Test func aCommandHookCannotReachTheNetworkWhenThePolicyDeniesIt() async throws {
        let scratch = try HookScratch()
        let server = try ScriptedServer(responses: [HTTPResponses.json("{}"), HTTPResponses.json("{}")])
        defer { server.stop() }
        let reach = try hook(
            "event = \"agent_end\"\ncommand = \"curl -s -m 5 -o /dev/null http://127.0.0.1:\(server.port)/hook\"")

        let strict = try await scratch.runner(preset: .strict).run(reach, payload: Self.toolPayload(scratch))
        #expect(strict.outcome == .failed, "\(strict.summary)")
        #expect(server.requests.isEmpty)

        // balanced keeps the network on: the same hook gets through, so the failure above is the policy's.
        let balanced = try await scratch.runner(preset: .balanced).run(reach, payload: Self.toolPayload(scratch))
        #expect(balanced.outcome == .ok, "\(balanced.summary)")
        #expect(server.requests.map(\.path) == ["/hook"])
    }

    @Test func aCommandHookCannotReadTheUsersCredentials() async throws {
        let scratch = try HookScratch()
        try scratch.write(scratch.home + "/.ssh/id_ed25519", "PRIVATE-KEY-MATERIAL-93\n")
        let steal = try hook("event = \"agent_end\"\ncommand = \"cat \\\"$HOME/.ssh/id_ed25519\\\" >&2\"")
        for preset in [PolicyPreset.balanced, .strict] {
            let result = try await scratch.runner(preset: preset).run(steal, payload: Self.toolPayload(scratch))
            #expect(result.outcome == .failed, "\(preset): \(result.summary)")
            #expect(!result.message.contains("PRIVATE-KEY-MATERIAL-93"), "\(preset)")
        }
        #expect(!(scratch.read(scratch.auditLog) ?? "").contains("PRIVATE-KEY-MATERIAL-93"))
        // permissive runs on the host, where the same hook reads the key: the refusals above are
        // the sandbox's, not a wrong path.
        let host = try await scratch.runner(preset: .permissive).run(steal, payload: Self.toolPayload(scratch))
        #expect(host.outcome == .ok && host.message.contains("PRIVATE-KEY-MATERIAL-93"))
    }

    @Test func aHangingHookIsKilledAtItsTimeout() async throws {
        let scratch = try HookScratch()
        let hang = try hook("event = \"agent_end\"\ncommand = \"sleep 4242.25\"\ntimeout_ms = 300")
        let result = try await scratch.runner().run(hang, payload: Self.toolPayload(scratch))

        #expect(result.outcome == .timedOut && result.message.contains("timeout_ms 300"), "\(result.summary)")
        // The whole tree is gone, not only the shell.
        #expect(Self.processes(containing: "4242.25").isEmpty)
        let record = try #require(try scratch.hookRecords().last)
        #expect(record["timed_out"]?.boolValue == true && record["hook"]?["outcome"]?.stringValue == "timed_out")
    }

    @Test func anExitStatusIsAFailureAndStderrIsKept() async throws {
        let scratch = try HookScratch()
        let failing = try hook("event = \"agent_end\"\ncommand = \"echo broken >&2; echo quiet; exit 3\"")
        let result = try await scratch.runner().run(failing, payload: Self.toolPayload(scratch))
        #expect(result.outcome == .failed && result.exitCode == 3)
        #expect(result.message == "exited with status 3: broken\n")
        // exit 2 denies only for pre_tool; elsewhere it is a failure like any other.
        let two = try hook("event = \"agent_end\"\ncommand = \"exit 2\"")
        #expect(try await scratch.runner().run(two, payload: Self.toolPayload(scratch)).outcome == .failed)
    }

    @Test func everyRunIsAuditedAndTheLogStillVerifies() async throws {
        let scratch = try HookScratch()
        let runner = try scratch.runner()
        let ok = try hook("event = \"tool_end\"\ncommand = \"echo fine >&2\"")
        let gate = try hook("event = \"pre_tool\"\ncommand = \"echo no >&2; exit 2\"")
        _ = await runner.run(ok, payload: Self.toolPayload(scratch))
        var pre = HookPayload(event: .preTool, session: testSession)
        pre.setTool(callID: "call_9", name: "write", arguments: .object(JSONObject()))
        let denied = await runner.run(gate, payload: pre)
        #expect(denied.outcome == .denied && denied.denialReason == "no")

        let records = try scratch.hookRecords()
        #expect(records.count == 2)
        #expect(records[0]["hook"]?["event"]?.stringValue == "tool_end")
        #expect(records[0]["hook"]?["source"]?.stringValue == "/test/hooks.toml")
        #expect(records[0]["hook"]?["index"]?.intValue == 1)
        #expect(records[0]["hook"]?["command"]?.stringValue == "echo fine >&2")
        #expect(records[0]["output"]?.stringValue == "fine\n" && records[0]["exit_code"]?.intValue == 0)
        #expect(records[0]["sandbox"]?.stringValue == "bwrap")
        #expect(records[1]["decision"]?.stringValue == "deny" && records[1]["reason"]?.stringValue == "no\n")
        #expect(records[1]["call"]?.stringValue == "call_9" && records[1]["tool"]?.stringValue == "write")
        #expect(records[1]["hook"]?["outcome"]?.stringValue == "denied")
        #expect(records.allSatisfy { $0["duration_ms"]?.intValue != nil })
        let verification = try AuditVerifier.verify(path: scratch.auditLog)
        #expect(verification.isIntact && verification.records == 2)
    }

    @Test func modelChosenStringsReachTheHookAsDataNeverAsShell() async throws {
        let scratch = try HookScratch()
        // A tool name and arguments the model controls, written to break out of the quoting that
        // carries them into the sandbox.
        let name = "x'; touch pwned-name; echo '$(touch pwned-subst)`touch pwned-tick`\u{0}end"
        let command = "'\"; touch pwned-args; '\n$(touch pwned-arg-subst)"
        var payload = HookPayload(event: .toolStart, session: testSession)
        payload.setTool(callID: "call_'$(id)'", name: name, arguments: .object(JSONObject([("command", .string(command))])))
        let hook = try hook(
            #"""
            event = "tool_start"
            command = "cp \"$PIE_HOOK_PAYLOAD\" payload.json; printf '%s' \"$PIE_TOOL_NAME\" > name.txt; printf '%s' \"$PIE_TOOL_CALL_ID\" > call.txt"
            """#)

        let result = try await scratch.runner().run(hook, payload: payload)

        #expect(result.outcome == .ok, "\(result.summary)")
        let entries = try FileManager.default.contentsOfDirectory(atPath: scratch.project)
        #expect(!entries.contains { $0.hasPrefix("pwned") }, "\(entries)")
        // The variable cannot hold the NUL; everything else arrives byte for byte.
        #expect(scratch.read("name.txt") == name.replacingOccurrences(of: "\u{0}", with: ""))
        #expect(scratch.read("call.txt") == "call_'$(id)'")
        let delivered = try JSONParser.parse(Array(try #require(scratch.read("payload.json")).utf8))
        #expect(delivered["tool_name"]?.stringValue == name)
        #expect(delivered["tool_args"]?["command"]?.stringValue == command)
    }

    /// Processes whose command line contains `text` (host /proc, which shows sandboxed ones too).
    static func processes(containing text: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc"))?.compactMap { entry -> String? in
            guard Int(entry) != nil, let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return nil }
            let line = String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
            return line.contains(text) ? line : nil
        } ?? []
    }
}
