import Foundation
import PieJSON
import Testing

@testable import PieMCP

/// Servers that break the protocol or the process contract: pie stays up, says which server did
/// what, and the connection either goes on or fails every call in flight at once.
@Suite("Misbehaving MCP servers") struct MisbehavingServerTests {
    @Test func anUnsupportedProtocolVersionIsAClearError() async throws {
        let python = try await PythonOracle.require()
        try await requireSandbox()
        let transport = MCPStdioTransport(
            serverName: "old", launch: rawServer(python, ["--protocol", "1999-01-01"]), services: testServices)
        let client = MCPClient(serverName: "old", transport: transport)
        do {
            try await client.connect()
            Issue.record("an unsupported version was accepted")
        } catch {
            #expect(error.kind == .protocolViolation)
            #expect(
                error.description
                    == "MCP server 'old': protocol violation: it speaks protocol version 1999-01-01, pie offered "
                    + "2025-06-18 and accepts 2025-06-18, 2025-03-26, 2024-11-05; update the server or pie")
        }
        #expect(await client.isClosed)
    }

    @Test(arguments: ["2025-03-26", "2024-11-05"]) func olderVersionsAreAccepted(version: String) async throws {
        let (client, _) = try await connectedClient(rawServer(try await PythonOracle.require(), ["--protocol", version]))
        defer { Task { await client.close() } }
        #expect(await client.serverInfo?.protocolVersion == version)
        try await client.ping()
    }

    @Test func garbageAndStrayMessagesAreCountedAndSurvived() async throws {
        let (client, transport) = try await connectedClient(rawServer(try await PythonOracle.require()))
        defer { Task { await client.close() } }
        let result = try await client.callTool("garbage", arguments: [:])
        #expect(firstText(result) == "sent garbage")
        try await client.ping()
        let counters = await client.counters
        // "not json at all", "[1, 2", a non-JSON-RPC object, jsonrpc 1.0, an error without an id.
        #expect(counters.malformedMessages >= 4)
        #expect(counters.unknownResponses == 1)
        #expect(counters.refusedServerRequests == 2)
        try await eventually("the server to see pie's answers") {
            let tail = transport.stderrTail()
            return tail.contains("client answered srv-3: {}")
                && tail.contains("client answered srv-1: {\"code\": -32601")
                && tail.contains("client answered srv-2: {\"code\": -32601")
        }
        #expect(try await firstText(client.callTool("env", arguments: [:])).contains("PATH"))
    }

    @Test func aHangingServerTimesOutAndIsToldToCancel() async throws {
        let (client, transport) = try await connectedClient(rawServer(try await PythonOracle.require()))
        defer { Task { await client.close() } }
        do {
            _ = try await client.callTool("hang", arguments: [:], timeoutMs: 250)
            Issue.record("the hanging call returned")
        } catch {
            #expect(error.kind == .timeout)
            #expect(error.description.contains("MCP server 'test': tools/call timed out after 250 ms"))
        }
        try await eventually("the server to see notifications/cancelled") {
            transport.stderrTail().contains("cancelled notification: {\"requestId\": 2, \"reason\": \"timed out after 250 ms\"}")
        }
        try await client.ping()
    }

    @Test func aStdoutFloodWithAnOversizedLineIsSkipped() async throws {
        let (client, _) = try await connectedClient(rawServer(try await PythonOracle.require()))
        defer { Task { await client.close() } }
        let result = try await client.callTool("flood_stdout", arguments: [:], timeoutMs: 60_000)
        #expect(firstText(result) == "flooded stdout")
        #expect(await client.counters.malformedMessages >= 2)
        #expect(await client.lastMalformed?.contains("exceeds the 8 MiB limit and was skipped") == true)
        try await client.ping()
    }

    @Test func aStderrFloodKeepsOnlyTheTail() async throws {
        let (client, transport) = try await connectedClient(rawServer(try await PythonOracle.require()))
        defer { Task { await client.close() } }
        let result = try await client.callTool("flood_stderr", arguments: [:], timeoutMs: 60_000)
        #expect(firstText(result) == "flooded stderr")
        try await eventually("the stderr tail") { transport.stderrTail(200).hasSuffix("last stderr line\n") }
        #expect(transport.stderrTail(Int.max).utf8.count <= MCPStdioTransport.stderrCapacity)
        try await client.ping()
    }

    @Test func aServerThatExitsMidCallFailsTheCallWithItsStatusAndStderr() async throws {
        let (client, transport) = try await connectedClient(rawServer(try await PythonOracle.require()))
        let pid = try #require(transport.processID)
        do {
            _ = try await client.callTool("exit", arguments: [:])
            Issue.record("the call to a dying server returned")
        } catch {
            #expect(error.kind == .transportClosed)
            #expect(error.description.hasPrefix("MCP server 'test': the connection ended: the server process exited with status 3"))
            #expect(error.message.contains("; its stderr ends with: ready\nexit: going away mid-call"))
        }
        #expect(await client.isClosed)
        do {
            try await client.ping()
            Issue.record("a closed client answered")
        } catch {
            #expect(error.kind == .transportClosed)
        }
        try await eventually("bubblewrap to be reaped") { !processExists(pid) }
    }

    @Test func aServerThatIsNotThereIsReportedBeforeAnythingRuns() async throws {
        try await requireSandbox()
        var launch = MCPStdioLaunch(
            command: "pie-no-such-mcp-server", policy: MCPStdioLaunch.defaultPolicy(projectRoot: "/var/tmp", home: "/root"))
        launch.environment = ["PATH": "/usr/bin:/bin"]
        let client = MCPClient(
            serverName: "ghost", transport: MCPStdioTransport(serverName: "ghost", launch: launch, services: testServices))
        do {
            try await client.connect()
            Issue.record("a missing program started")
        } catch {
            #expect(error.kind == .unavailable)
            #expect(
                error.description
                    == "MCP server 'ghost': cannot start 'pie-no-such-mcp-server': not found on PATH (/usr/bin:/bin); "
                    + "give an absolute path or install it")
        }
    }
}
