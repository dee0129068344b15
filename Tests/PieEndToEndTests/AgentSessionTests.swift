import Foundation
import PieTestSupport
import Testing

/// Sessions across runs: an interrupted run leaves a file that resumes, and `-c` sends the whole
/// earlier conversation to the model.
@Suite("pie agent: sessions across runs")
struct AgentSessionTests {
    @Test("SIGINT mid-stream exits 130 with a consistent session that -c resumes without the partial reply")
    func interruptThenResume() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let gate = ScriptGate()
        defer { gate.open() }
        let server = try ScriptedServer([
            Script(steps: [
                .send(Array(ChatStream.head(["Partial ", "answer"]).utf8)), .wait(gate),
                .send(Array(ChatStream.tail(finish: "stop").utf8)),
            ]),
            Script(steps: [.send(Array(ChatStream.text("Resumed fine.").utf8))]),
        ])

        let running = try RunningPie(server.modelArguments + ["-p", "first question"], cwd: project.path)
        #expect(await running.waitForOutput(containing: "Partial answer"), "partial text never appeared")
        running.interrupt()
        let interrupted = await running.finish()
        gate.open()

        #expect(interrupted.status == 130, "stderr: \(interrupted.stderr)")
        #expect(interrupted.stderr.contains("interrupted"))
        let sessions = project.sessionFiles()
        try #require(sessions.count == 1)
        let entries = try project.sessionEntries(sessions[0])
        #expect(entries.first?["type"] as? String == "session")
        #expect(entries.compactMap(\.messageRole) == ["user", "assistant"])
        let partial = try #require(entries.last?["message"] as? [String: Any])
        #expect(partial["stopReason"] as? String == "aborted", "the partial reply is kept, marked aborted")

        let resumed = try await runPie(server.modelArguments + ["-c", "-p", "again"], cwd: project.path)

        #expect(resumed.status == 0, "stderr: \(resumed.stderr)")
        #expect(resumed.stdout.hasSuffix("Resumed fine.\n"))
        try #require(server.requests.count == 2)
        let request = server.requests[1]
        #expect(request.texts(role: "user") == ["first question", "again"])
        #expect(!request.texts(role: "assistant").contains { $0.contains("Partial") })
        #expect(project.sessionFiles() == sessions)
        #expect(try project.sessionEntries(sessions[0]).count > entries.count)
    }

    @Test("--resume sends the earlier prompt and answer with the new prompt")
    func resumeKeepsContext() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let server = try ScriptedServer.replying(ChatStream.text("The answer is 42."), ChatStream.text("You asked about 6 times 7."))

        let first = try await runPie(server.modelArguments + ["-p", "what is 6 times 7?"], cwd: project.path)
        let second = try await runPie(server.modelArguments + ["--resume", "-p", "what did I ask?"], cwd: project.path)

        #expect(first.status == 0 && second.status == 0, "stderr: \(first.stderr) \(second.stderr)")
        #expect(second.stdout.hasSuffix("You asked about 6 times 7.\n"))
        try #require(server.requests.count == 2)
        let request = server.requests[1]
        #expect(request.texts(role: "user") == ["what is 6 times 7?", "what did I ask?"])
        #expect(request.texts(role: "assistant") == ["The answer is 42."])
        #expect(project.sessionFiles().count == 1)
    }
}
