import Foundation
import PieJSON
import Testing

@testable import PieMCP

extension MCPIntegrationTests {
    /// A server that exits the moment it starts (a missing configuration file, a bad flag): the
    /// error names how it ended and what it printed, whichever way pie notices first.
    @Suite("MCP servers that exit at once") struct ExitAtOnceTests {
        /// `sh` in the default server sandbox: prints a complaint and exits 3 before reading stdin.
        static let launch = MCPStdioLaunch(
            command: "/bin/sh", args: ["-c", "echo 'fatal: no config at /etc/srv.toml' >&2; exit 3"], environment: [:],
            policy: MCPStdioLaunch.defaultPolicy(projectRoot: "/var/tmp", home: "/root", readRoots: []))

        @Test func aWriteToAServerThatExitedSaysHowItEndedAndItsStderr() async throws {
            try await requireSandbox()
            let transport = MCPStdioTransport(serverName: "dies", launch: Self.launch, services: testServices, graceMs: 500)
            try await transport.start()
            var ended: MCPTransportError?
            for await event in transport.events {
                if case .closed(let reason) = event { ended = reason }
            }
            #expect(ended?.message == "the server process exited with status 3; its stderr ends with: fatal: no config at /etc/srv.toml")
            do {
                try await transport.send(["jsonrpc": "2.0", "id": 1, "method": "initialize"])
                Issue.record("a write to a server that exited succeeded")
            } catch {
                #expect(error.kind == .closed)
                #expect(
                    error.message
                        == "cannot write to the server's stdin (Broken pipe): the server process exited with status 3; "
                        + "its stderr ends with: fatal: no config at /etc/srv.toml")
            }
            await transport.close()
        }

        @Test func startingItFailsWithTheExitStatusAndStderr() async throws {
            try await requireSandbox()
            let connection = MCPServerConnection(
                name: "dies", launch: Self.launch, services: testServices, restart: .never, graceMs: 500)
            do {
                try await connection.start()
                Issue.record("a server that exited started")
            } catch {
                #expect(error.kind == .transportClosed)
                // Whether the initialize write or the end of stdout comes first, the cause is named.
                #expect(error.message.contains("the server process exited with status 3"), "\(error.message)")
                #expect(error.message.contains("its stderr ends with: fatal: no config at /etc/srv.toml"), "\(error.message)")
            }
            guard case .failed(let reason) = await connection.status else {
                Issue.record("not failed: \(await connection.status)")
                return
            }
            #expect(reason.contains("exited with status 3") && reason.contains("fatal: no config"))
            await connection.close()
        }
    }
}
