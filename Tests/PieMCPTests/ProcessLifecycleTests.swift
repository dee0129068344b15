import Foundation
import PieJSON
import Testing

@testable import PieMCP

/// How a stdio server ends: a polite server exits when its stdin closes; a stubborn one gets
/// SIGTERM, then SIGKILL; either way it is reaped (no zombie) and the close says how it ended.
@Suite("stdio server lifecycle") struct ProcessLifecycleTests {
    /// Reads the transport's events up to `.closed` (no client consumes them in these tests).
    private func closeReason(_ transport: MCPStdioTransport) async -> String? {
        for await event in transport.events {
            if case .closed(let reason) = event { return reason.message }
        }
        return nil
    }

    @Test func aPoliteServerExitsWhenItsStdinCloses() async throws {
        let python = try await PythonOracle.require()
        try await requireSandbox()
        let transport = MCPStdioTransport(serverName: "polite", launch: rawServer(python), services: testServices, graceMs: 5000)
        try await transport.start()
        let pid = try #require(transport.processID)
        try await eventually("the server to start") { transport.stderrTail().contains("ready") }
        await transport.close()
        let reason = await closeReason(transport)
        #expect(reason == "closed by pie (the server exited with status 0); its stderr ends with: ready")
        #expect(!processExists(pid))
    }

    @Test func aStubbornServerGetsSigtermThenSigkill() async throws {
        let python = try await PythonOracle.require()
        try await requireSandbox()
        let transport = MCPStdioTransport(
            serverName: "stubborn", launch: rawServer(python, ["--stubborn"]), services: testServices, graceMs: 300)
        try await transport.start()
        let pid = try #require(transport.processID)
        try await eventually("the server to start") { transport.stderrTail().contains("ready") }
        await transport.close()
        let reason = try #require(await closeReason(transport))
        #expect(reason.hasPrefix("closed by pie (the server killed by signal 9)"))
        #expect(transport.stderrTail().contains("stdin closed, staying"))
        #expect(transport.stderrTail().contains("got SIGTERM, staying"))
        #expect(!processExists(pid))
        do {
            try await transport.send(["jsonrpc": "2.0", "method": "ping", "id": 1])
            Issue.record("a message was written to a closed server")
        } catch {
            #expect(error.kind == .closed)
        }
    }

    @Test func concurrentCallsAreMatchedToTheirAnswers() async throws {
        let (client, _) = try await connectedClient(featureServer(try await PythonOracle.require()))
        defer { Task { await client.close() } }
        let answers = try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for index in 0..<64 {
                group.addTask {
                    (index, firstText(try await client.callTool("echo", arguments: ["text": .string("call \(index)")])))
                }
            }
            var answers: [Int: String] = [:]
            for try await (index, text) in group { answers[index] = text }
            return answers
        }
        #expect(answers.count == 64)
        #expect(answers.allSatisfy { $0.value == "call \($0.key)" })
        #expect(await client.counters.unknownResponses == 0)
    }
}
