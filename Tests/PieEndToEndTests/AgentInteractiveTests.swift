import Foundation
import PieTestSupport
import Testing

/// Interactive pie on a real pseudo-terminal (tmux): typed prompts stream answers, slash commands
/// work, Ctrl+C cancels only the running turn, and /quit leaves.
@Suite("pie agent: interactive mode in a terminal")
struct AgentInteractiveTests {
    @Test("prompt, /help, /cost, Ctrl+C during a slow turn, /quit")
    func interactiveSession() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let gate = ScriptGate()
        defer { gate.open() }
        let server = try ScriptedServer([
            Script(steps: [.send(Array(ChatStream.text("Hello from the scripted model.").utf8))]),
            Script(steps: [.send(Array(ChatStream.head(["Thinking ", "slowly"]).utf8)), .wait(gate)]),
        ])
        let terminal = try await TmuxTerminal(pie: server.modelArguments, cwd: project.path)
        defer { terminal.kill() }

        try #require(await terminal.waitForScreen(containing: "/help for commands"))
        try await terminal.type("say hello")
        try #require(await terminal.waitForScreen(containing: "Hello from the scripted model."))

        try await terminal.type("/help")
        #expect(await terminal.waitForScreen(containing: "/compact [instructions]"))
        try await terminal.type("/cost")
        #expect(await terminal.waitForScreen(containing: "tokens: 12 in, 3 out"))

        try await terminal.type("take your time")
        try #require(await terminal.waitForScreen(containing: "Thinking slowly"))
        try await terminal.press("C-c")
        #expect(await terminal.waitForScreen("the prompt after \"cancelled\"") { screen in
            guard let cancelled = screen.range(of: "cancelled", options: .backwards) else { return false }
            return screen[cancelled.upperBound...].contains("pie>")
        })
        gate.open()

        try await terminal.type("/quit")
        #expect(await eventually { await !terminal.isRunning }, "pie did not exit after /quit:\n\(terminal.screenNow())")
        #expect(server.requests.count == 2)
        #expect(server.requests.last?.texts(role: "user") == ["say hello", "take your time"])
    }

    @Test("a held call asks at the terminal: y runs it, n refuses it and the model is told")
    func approvalAtTheTerminal() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        try project.write(".pie/policy.toml", "ask_commands = [\"touch*\"]\n")
        let server = try ScriptedServer.replying(
            ChatStream.toolCall(id: "call_1", name: "bash", json: ["command": "touch approved.txt"]),
            ChatStream.text("Made the first file."),
            ChatStream.toolCall(id: "call_2", name: "bash", json: ["command": "touch refused.txt"]),
            ChatStream.text("Could not make the second file."))
        let terminal = try await TmuxTerminal(pie: server.modelArguments, cwd: project.path)
        defer { terminal.kill() }

        try #require(await terminal.waitForScreen(containing: "/help for commands"))
        try await terminal.type("make a file")
        try #require(await terminal.waitForScreen(containing: "Run it? [y/N]"))
        #expect(await terminal.screen().contains("the policy asks before this call (ask_commands)"))
        try await terminal.type("y")
        try #require(await terminal.waitForScreen(containing: "Made the first file."))
        #expect(FileManager.default.fileExists(atPath: project.path + "/approved.txt"))

        try await terminal.type("make another")
        #expect(await terminal.waitForScreen("a second question") { screen in
            screen.components(separatedBy: "Run it? [y/N]").count == 3
        })
        try await terminal.type("n")
        try #require(await terminal.waitForScreen(containing: "Could not make the second file."))
        #expect(!FileManager.default.fileExists(atPath: project.path + "/refused.txt"))
        let refusal = try #require(server.requests.last?.toolResults.last)
        #expect(refusal.hasPrefix("Denied by policy (rule ask_commands): 'touch refused.txt' matches"))
        #expect(refusal.hasSuffix("not approved: refused at the terminal"))

        try await terminal.type("/quit")
        #expect(await eventually { await !terminal.isRunning }, "pie did not exit after /quit:\n\(terminal.screenNow())")
    }
}
