import Foundation
import PieJSON
import PieSandbox
import Testing

@testable import PieMCP

/// The official Python reference server `mcp-server-time` (PyPI; a server not written in this
/// project), started in its sandbox over stdio.
@Suite("mcp-server-time over sandboxed stdio") struct TimeServerTests {
    @Test func initializeListAndCall() async throws {
        let python = try await PythonOracle.require()
        let (client, transport) = try await connectedClient(pythonLaunch(python, arguments: ["-m", "mcp_server_time"]), name: "time")
        #expect(transport.containment == .bubblewrap)
        let info = try #require(await client.serverInfo)
        #expect(info.name == "mcp-time")
        #expect(info.protocolVersion == "2025-06-18")
        #expect(info.offers("tools"))

        let tools = try await client.listAllTools()
        #expect(Set(tools.map(\.name)) == ["get_current_time", "convert_time"])
        let current = try #require(tools.first { $0.name == "get_current_time" })
        #expect(current.inputSchema["type"] == "object")
        #expect(current.inputSchema["required"] == ["timezone"])

        let result = try await client.callTool("get_current_time", arguments: ["timezone": "UTC"], timeoutMs: 20_000)
        #expect(!result.isError)
        #expect(result.structuredContent?["timezone"] == "UTC")
        #expect(result.structuredContent?["datetime"]?.stringValue?.hasSuffix("+00:00") == true)
        #expect(firstText(result).contains("\"timezone\": \"UTC\""))

        let converted = try await client.callTool(
            "convert_time", arguments: ["source_timezone": "UTC", "time": "12:00", "target_timezone": "Asia/Tokyo"])
        #expect(converted.structuredContent?["target"]?["datetime"]?.stringValue?.contains("T21:00:00") == true)

        let pid = try #require(transport.processID)
        await client.close()
        #expect(await client.isClosed)
        #expect(!processExists(pid), "the server's bubblewrap was not reaped")
    }

    /// A tool error comes back as the tool's answer (isError or a JSON-RPC error naming the server),
    /// and the connection stays usable.
    @Test func badArgumentsAreAnAnswerNotACrash() async throws {
        let python = try await PythonOracle.require()
        let (client, _) = try await connectedClient(pythonLaunch(python, arguments: ["-m", "mcp_server_time"]), name: "time")
        defer { Task { await client.close() } }
        do {
            let result = try await client.callTool("get_current_time", arguments: ["timezone": "Not/AZone"])
            #expect(result.isError)
        } catch {
            guard case .server = error.kind else {
                Issue.record("unexpected error kind: \(error)")
                return
            }
            #expect(error.description.contains("MCP server 'time'"))
        }
        try await client.ping()
    }
}
