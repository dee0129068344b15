import Foundation
import PieJSON
import PiePolicy
import PieSandbox
import Testing

@testable import PieMCP

extension MCPIntegrationTests {
    /// A sandboxed server's `/etc` files are copies on its read-only root (`--file`), not bind
    /// mounts (docs/benchmarks.md, MCP start-up): the server must see exactly what the binds
    /// showed (the allowlisted entries with the host's contents, nothing else), be unable to
    /// change or add anything there, and hold no descriptor of pie's afterwards.
    @Suite("MCP servers' /etc view") struct SystemFilesTests {
        /// Writes one JSON line to stderr: a digest of every allowlisted entry that is a file
        /// (path and bytes), the `/etc` listing, the open descriptors, and the errno of a write to
        /// a copied file and of a new file. Run on the host too, for the digest to compare.
        static let script = """
            import hashlib, json, os, sys
            digest = hashlib.sha256()
            present = []
            for entry in sys.argv[1:]:
                path = "/etc/" + entry
                if os.path.isfile(path):
                    present.append(entry)
                    digest.update(path.encode() + b"\\0")
                    with open(path, "rb") as f:
                        digest.update(f.read() + b"\\0")
            def failure(path, mode):
                try:
                    with open(path, mode) as f:
                        f.write("pwned\\n")
                    return 0
                except OSError as e:
                    return e.errno
            report = {
                "digest": digest.hexdigest(), "present": len(present),
                "listing": sorted(os.listdir("/etc")),
                "fds": sorted(os.listdir("/proc/self/fd"), key=int),
                "write": failure("/etc/passwd", "a"), "create": failure("/etc/pie-planted", "w"),
                "certs": os.path.isdir("/etc/ssl/certs") and len(os.listdir("/etc/ssl/certs")) > 0,
            }
            print(json.dumps(report), file=sys.stderr, flush=True)
            sys.stdin.read()
            """

        @Test func theServerSeesTheAllowlistWithTheHostsContentsReadOnly() async throws {
            try await requireSandbox()
            let entries = SandboxReadRoots.etcEntries
            let launch = MCPStdioLaunch(
                command: "/usr/bin/python3", args: ["-S", "-c", Self.script] + entries, environment: [:],
                policy: MCPStdioLaunch.defaultPolicy(projectRoot: "/var/tmp", home: "/root", readRoots: []))
            let transport = MCPStdioTransport(serverName: "etc", launch: launch, services: testServices, graceMs: 200)
            try await transport.start()
            try await eventually("the server's report", seconds: 60) {
                let tail = transport.stderrTail().trimmingCharacters(in: .whitespacesAndNewlines)
                return tail.hasPrefix("{") && tail.hasSuffix("}")
            }
            let inside = try JSONParser.parse(transport.stderrTail().trimmingCharacters(in: .whitespacesAndNewlines))
            await transport.close()

            let host = run(["/usr/bin/python3", "-S", "-c", Self.script] + entries)
            #expect(host.status == 0, "\(host.text)")
            let outside = try JSONParser.parse(host.text.trimmingCharacters(in: .whitespacesAndNewlines))
            #expect(inside["present"] == outside["present"], "the server sees \(String(describing: inside["present"])) allowlisted files")
            #expect(inside["digest"] == outside["digest"], "an allowlisted file's contents differ from the host's")

            var expected: Set<String> = []
            for entry in entries {
                guard let kind = SandboxReadRoots.hostLookup("/etc/" + entry)?.kind, kind != .other else { continue }
                expected.insert(String(entry.split(separator: "/")[0]))
            }
            let listing = Set(inside["listing"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            #expect(listing == expected, "/etc inside: \(listing.sorted())")
            #expect(!listing.contains("shadow") && !listing.contains("pie-planted"))
            #expect(inside["write"]?.intValue == Int(EROFS), "a write to /etc/passwd: \(String(describing: inside["write"]))")
            #expect(inside["create"]?.intValue == Int(EROFS), "a new file in /etc: \(String(describing: inside["create"]))")
            #expect(inside["certs"] == true, "/etc/ssl/certs (a directory, still bound) is missing or empty")
            // stdin, stdout, stderr and the descriptor listing itself: bubblewrap closed every copy's.
            #expect(inside["fds"] == ["0", "1", "2", "3"])
        }
    }
}
