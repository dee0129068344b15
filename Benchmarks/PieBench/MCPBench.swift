import Glibc
import PieJSON
import PieMCP
import PiePolicy
import PieSandbox

/// Issue 13, point 8: what the MCP client and its sandboxed stdio transport add. A minimal stdio
/// server (Python's standard library only) reports its own handling time per `tools/call` (from
/// the request line read to the response built); the round trip minus that is pie's overhead plus
/// the pipes. Start-up is `connect()` (spawn, `initialize`, `notifications/initialized`) with the
/// server in bubblewrap + seccomp against the same server started bare.
enum MCPBench {
    static let server = """
        import json, sys, time
        out = sys.stdout.buffer
        for line in sys.stdin.buffer:
            start = time.perf_counter_ns()
            message = json.loads(line)
            method, ident = message.get("method"), message.get("id")
            if ident is None:
                continue
            if method == "initialize":
                result = {"protocolVersion": "2025-06-18", "capabilities": {"tools": {}}, "serverInfo": {"name": "bench", "version": "1"}}
            elif method == "tools/call":
                text = message["params"]["arguments"].get("text", "")
                result = {"content": [{"type": "text", "text": text}], "structuredContent": {"serverNs": 0}}
                result["structuredContent"]["serverNs"] = time.perf_counter_ns() - start
            else:
                result = {}
            out.write(json.dumps({"jsonrpc": "2.0", "id": ident, "result": result}).encode() + b"\\n")
            out.flush()
        """

    static func run() async throws {
        let candidates: [String] = ["/usr/bin/python3", "/usr/local/bin/python3"]
        let python = candidates.first { access($0, X_OK) == 0 }
        guard let python, let directory = BenchEnvironment.temporaryDirectory("mcp") else {
            print("mcp: skipped: no /usr/bin/python3 or no temporary directory")
            return
        }
        defer { BenchEnvironment.remove(directory) }
        BenchEnvironment.writeFile(directory + "/server.py", server)
        let services = SandboxServices(warm: nil)
        let home = BenchEnvironment.variables()["HOME"] ?? "/root"
        func launch(_ mode: SandboxMode) -> MCPStdioLaunch {
            var policy = MCPStdioLaunch.defaultPolicy(projectRoot: directory, home: home, readRoots: [directory])
            policy.sandboxMode = mode
            return MCPStdioLaunch(command: python, args: ["-S", directory + "/server.py"], policy: policy, workingDirectory: directory)
        }
        let sandboxed = launch(.force)
        let bare = launch(.off)

        var startup: [SandboxMode: [Double]] = [.force: [], .off: []]
        for _ in 0..<30 {
            for (mode, server) in [(SandboxMode.force, sandboxed), (.off, bare)] {
                let transport = MCPStdioTransport(serverName: "bench", launch: server, services: services, graceMs: 500)
                let client = MCPClient(serverName: "bench", transport: transport)
                let start = monotonicNanos()
                try await client.connect()
                startup[mode, default: []].append(Double(monotonicNanos() - start) / 1e6)
                await client.close()
            }
        }
        // pie's own part of the sandboxed start: the plan, the seccomp program and the spawn, up to
        // bubblewrap's exec (bubblewrap's own set-up and the server's start come after).
        var spawns: [Double] = []
        for _ in 0..<30 {
            let start = monotonicNanos()
            let process = try await SandboxedProcess.start(sandboxed.processRequest, services: services)
            spawns.append(Double(monotonicNanos() - start) / 1e6)
            process.closeStandardError()
            await process.terminate(graceMs: 500)
            process.release()
        }
        let spawn = Summary(spawns)
        let sandboxedStart = Summary(startup[.force] ?? [])
        let bareStart = Summary(startup[.off] ?? [])
        print("mcp: start-up to initialized, sandboxed stdio: median \(format(sandboxedStart.median)) ms, p90 \(format(sandboxedStart.p90)) ms (n=30)")
        print("mcp: start-up to initialized, bare: median \(format(bareStart.median)) ms, p90 \(format(bareStart.p90)) ms (n=30)")
        print("mcp: start-up added by the sandbox: \(format(sandboxedStart.median - bareStart.median)) ms at the median (target < 10 ms)")
        print("mcp: of which pie's plan + seccomp + spawn up to bubblewrap's exec: median \(format(spawn.median)) ms, p90 \(format(spawn.p90)) ms (n=30); the rest is bubblewrap's own set-up")

        for (label, server) in [("sandboxed stdio", sandboxed), ("bare stdio", bare)] {
            let transport = MCPStdioTransport(serverName: "bench", launch: server, services: services, graceMs: 500)
            let client = MCPClient(serverName: "bench", transport: transport)
            try await client.connect()
            var roundTrips: [Double] = []
            var serverTimes: [Double] = []
            var overheads: [Double] = []
            for iteration in 0..<2200 {
                let start = monotonicNanos()
                let result = try await client.callTool("echo", arguments: ["text": .string("call \(iteration)")])
                let elapsed = Double(monotonicNanos() - start) / 1e6
                guard result.text == "call \(iteration)" else {
                    print("mcp: failed: call \(iteration) was answered with '\(result.text)'")
                    return
                }
                let serverMs = (result.structuredContent?["serverNs"]?.doubleValue ?? 0) / 1e6
                guard iteration >= 200 else { continue }
                roundTrips.append(elapsed)
                serverTimes.append(serverMs)
                overheads.append(elapsed - serverMs)
            }
            await client.close()
            let trip = Summary(roundTrips)
            let own = Summary(serverTimes)
            let overhead = Summary(overheads)
            print(
                "mcp: tools/call round trip, \(label): median \(format(trip.median, 3)) ms, p90 \(format(trip.p90, 3)) ms; "
                    + "the server's own time median \(format(own.median, 3)) ms; overhead beyond it median "
                    + "\(format(overhead.median, 3)) ms, p90 \(format(overhead.p90, 3)) ms (n=2000; target < 1 ms)")
        }
    }
}
