import Foundation
import PieJSON
import Testing

@testable import PieMCP

/// A stdio server is untrusted code: under the default server policy it cannot reach the network,
/// write outside its sandbox, read the user's secrets or see pie's environment. Each attack is
/// written from the documentation of the call it abuses (socket(2), unix(7), open(2)) and run
/// from inside a real sandboxed server (Servers/raw_server.py).
@Suite("Sandboxed stdio server attacks") struct SandboxAttackTests {
    /// A fake home with planted secrets, a project the server may read, and the server itself.
    final class Setup: Sendable {
        let home: TestDirectory
        let project: TestDirectory
        let client: MCPClient

        init() async throws {
            let python = try await PythonOracle.require()
            home = try TestDirectory("home")
            project = try TestDirectory("project")
            try home.write(".ssh/id_ed25519", "PRIVATE KEY MATERIAL\n")
            try home.write(".pie/auth.json", "{\"openai\": \"sk-planted-secret\"}\n")
            try home.write(".bashrc", "# rc\n")
            try project.write("README.md", "project\n")
            let launch = rawServer(
                python, home: home.path, project: project.path, extraReadRoots: [project.path])
            client = try await connectedClient(launch, name: "attacker").client
        }

        func attack(_ tool: String, _ arguments: JSONValue = [:]) async throws -> String {
            firstText(try await client.callTool(tool, arguments: arguments))
        }
    }

    @Test func noSocketOfAnyFamilyReachesOut() async throws {
        let setup = try await Setup()
        defer { Task { await setup.client.close() } }
        let listener = try LoopbackListener()
        let abstract = try AbstractListener()
        let outcomes = [
            try await setup.attack("tcp", ["host": "127.0.0.1", "port": .integer(Int(listener.port))]),
            try await setup.attack("tcp6", ["host": "::1", "port": .integer(Int(listener.port))]),
            try await setup.attack("udp", ["host": "127.0.0.1", "port": .integer(Int(listener.port))]),
            try await setup.attack("abstract", ["name": .string(abstract.name)]),
        ]
        for outcome in outcomes {
            #expect(outcome.hasPrefix("blocked: "), "\(outcome)")
            #expect(outcome.contains("Address family not supported"), "\(outcome)")
        }
        #expect(!listener.accepted(), "a TCP connection reached the host")
        #expect(!abstract.accepted(), "an abstract Unix socket connection reached the host")
    }

    @Test func writesOutsideTheSandboxFail() async throws {
        let setup = try await Setup()
        defer { Task { await setup.client.close() } }
        let marker = "pie-mcp-attack-\(Int.random(in: 100_000...999_999))"
        let project = try await setup.attack("write", ["path": .string(setup.project.file("pwned"))])
        #expect(project.hasPrefix("blocked: OSError: [Errno 30] Read-only file system"), "\(project)")
        #expect(!setup.project.exists("pwned"))
        let home = try await setup.attack("write", ["path": .string(setup.home.file(".bashrc"))])
        #expect(home.hasPrefix("blocked: "), "\(home)")
        #expect(String(decoding: FileManager.default.contents(atPath: setup.home.file(".bashrc")) ?? Data(), as: UTF8.self) == "# rc\n")
        let system = try await setup.attack("write", ["path": "/usr/local/bin/pwned"])
        #expect(system.hasPrefix("blocked: "), "\(system)")
        // /tmp is the server's own tmpfs: the write succeeds there and never reaches the host's.
        let scratch = try await setup.attack("write", ["path": .string("/tmp/\(marker)")])
        #expect(scratch == "allowed: /tmp/\(marker)")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/\(marker)"))
        let site = try await setup.attack("write", ["path": .string(serversDirectory + "/pwned.py")])
        #expect(site.hasPrefix("blocked: OSError: [Errno 30] Read-only file system"), "\(site)")
    }

    @Test func secretsAreNotReadable() async throws {
        let setup = try await Setup()
        defer { Task { await setup.client.close() } }
        for path in [setup.home.file(".ssh/id_ed25519"), setup.home.file(".pie/auth.json"), "/etc/shadow", "/root/.ssh/id_rsa"] {
            let outcome = try await setup.attack("read", ["path": .string(path)])
            #expect(outcome.hasPrefix("blocked: FileNotFoundError"), "\(path): \(outcome)")
        }
        let listing = try await setup.attack("listdir", ["path": .string(setup.home.path)])
        #expect(listing == "allowed: []", "the server's $HOME is not empty: \(listing)")
        let readme = try await setup.attack("read", ["path": .string(setup.project.file("README.md"))])
        #expect(readme == "allowed: b'project\\n'")
    }

    @Test func pieEnvironmentDoesNotLeak() async throws {
        setenv("PIE_MCP_TEST_SECRET", "sk-pie-own-secret-value", 1)
        let python = try await PythonOracle.require()
        var launch = rawServer(python)
        launch.environment["GITHUB_TOKEN"] = "ghp_passed_on_purpose"
        let (client, _) = try await connectedClient(launch, name: "env")
        defer { Task { await client.close() } }
        let environment = try JSONParser.parse(firstText(try await client.callTool("env", arguments: [:])))
        let names = Set(environment.objectValue?.keys ?? [])
        // PWD is bubblewrap's own (`--chdir` sets it to the working directory).
        #expect(names == ["GITHUB_TOKEN", "LANG", "PATH", "PWD", "PYTHONDONTWRITEBYTECODE", "PYTHONPATH", "TMPDIR"])
        #expect(environment["PWD"] == "/tmp")
        #expect(environment["GITHUB_TOKEN"] == "ghp_passed_on_purpose")
        #expect(environment["PATH"] == .string(MCPStdioLaunch.defaultPath))
        #expect(environment["TMPDIR"] == "/tmp")
        #expect(!firstText(try await client.callTool("env", arguments: [:])).contains("sk-pie-own-secret-value"))
    }
}

/// A TCP listener on the host's loopback that records whether anything connected.
final class LoopbackListener: Sendable {
    let descriptor: Int32
    let port: UInt16

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 8) == 0 else {
            close(fd)
            throw MCPTestError.prerequisiteMissing("cannot listen on loopback")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        _ = fcntl(fd, F_SETFL, O_NONBLOCK)
        descriptor = fd
        port = UInt16(bigEndian: address.sin_port)
    }

    deinit { close(descriptor) }

    func accepted() -> Bool {
        let client = accept(descriptor, nil, nil)
        if client >= 0 { close(client) }
        return client >= 0
    }
}

/// A listening Unix socket with an abstract name (unix(7)): reachable from any process in the
/// host's network namespace, never from a sandbox with its own.
final class AbstractListener: Sendable {
    let descriptor: Int32
    let name: String

    init() throws {
        name = "pie-mcp-test-\(Int.random(in: 100_000...999_999))"
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = [0] + Array(name.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0, listen(fd, 8) == 0 else {
            close(fd)
            throw MCPTestError.prerequisiteMissing("cannot bind an abstract socket")
        }
        _ = fcntl(fd, F_SETFL, O_NONBLOCK)
        descriptor = fd
    }

    deinit { close(descriptor) }

    func accepted() -> Bool {
        let client = accept(descriptor, nil, nil)
        if client >= 0 { close(client) }
        return client >= 0
    }
}
