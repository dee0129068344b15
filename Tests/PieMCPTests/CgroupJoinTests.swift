import Foundation
import PieSandbox
import Testing

@testable import PieMCP

extension MCPIntegrationTests {
    /// A sandboxed server joins its pids cgroup as one thread (v1: `tasks`, docs/benchmarks.md,
    /// MCP), the fast way: bubblewrap and everything it starts are members all the same, and the
    /// cap holds against a server that forks without end.
    @Suite("MCP servers in their pids cgroup") struct CgroupJoinTests {
        @Test func theServerAndItsChildrenAreMembersAndTheCapHolds() async throws {
            try await requireSandbox()
            // Forks 40 sleepers against a cap of 16 (the server default's 256 would put hundreds of
            // processes on a machine the other suites share), counting the refused forks.
            let script = """
                import os, sys, time
                forked = refused = 0
                for _ in range(40):
                    try:
                        pid = os.fork()
                    except OSError:
                        refused += 1
                        continue
                    if pid == 0:
                        time.sleep(120)
                        os._exit(0)
                    forked += 1
                print(f"forked {forked} refused {refused}", file=sys.stderr, flush=True)
                sys.stdin.read()
                """
            var limits = SandboxedProcessRequest.serverLimits
            limits.processes = 16
            let launch = MCPStdioLaunch(
                command: "/usr/bin/python3", args: ["-S", "-c", script], environment: [:],
                policy: MCPStdioLaunch.defaultPolicy(projectRoot: "/var/tmp", home: "/root", readRoots: []), limits: limits)
            let transport = MCPStdioTransport(serverName: "forks", launch: launch, services: testServices, graceMs: 200)
            try await transport.start()
            let pid = try #require(transport.processID)
            try await eventually("the server's forks", seconds: 60) { transport.stderrTail().contains("forked") }
            let report = transport.stderrTail()
            #expect(report.contains("refused") && !report.contains("refused 0"), "nothing refused a fork: \(report)")

            let group = try #require(Self.pidsCgroup(of: pid), "bubblewrap \(pid) is in no pie pids cgroup")
            let children = Self.children(of: pid)
            #expect(!children.isEmpty)
            for child in children { #expect(Self.pidsCgroup(of: child) == group, "child \(child) escaped the cgroup") }
            let directory = try #require(Self.cgroupDirectory(group))
            #expect(try String(contentsOfFile: directory + "/pids.max", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines) == "16")
            let current = Int(try String(contentsOfFile: directory + "/pids.current", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
            #expect(current > 8 && current <= 16, "pids.current \(current)")
            await transport.close()
            #expect(!FileManager.default.fileExists(atPath: directory), "the cgroup was left behind")
        }

        /// The pids cgroup path of `pid` as the host sees it (`/pie-…`), v1 or v2.
        static func pidsCgroup(of pid: Int32) -> String? {
            guard let text = try? String(contentsOfFile: "/proc/\(pid)/cgroup", encoding: .utf8) else { return nil }
            for line in text.split(separator: "\n") {
                let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
                guard fields.count == 3, fields[1] == "pids" || (fields[0] == "0" && fields[1].isEmpty) else { continue }
                if fields[2].contains("/pie-") { return String(fields[2]) }
            }
            return nil
        }

        static func cgroupDirectory(_ group: String) -> String? {
            ["/sys/fs/cgroup/pids", "/sys/fs/cgroup", "/sys/fs/cgroup/unified"].map { $0 + group }
                .first { FileManager.default.fileExists(atPath: $0 + "/pids.max") }
        }

        /// Every descendant of `pid`.
        static func children(of pid: Int32) -> [Int32] {
            let direct = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []).flatMap { task in
                ((try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/children", encoding: .utf8)) ?? "")
                    .split(separator: " ").compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            }
            return direct + direct.flatMap { children(of: $0) }
        }
    }
}
