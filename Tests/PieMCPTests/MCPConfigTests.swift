import Glibc
@testable import PieMCP
import PiePolicy
import PieSandbox
import PieSystem
import Testing

/// `mcp.toml`: the format, its errors, project trust, and secret references.
@Suite("MCP configuration")
struct MCPConfigTests {
    private func scratch() throws -> String {
        var template = Array("/tmp/pie-mcpconfig-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
        return try #require(made.map { String(cString: $0) })
    }

    private func write(_ text: String, to path: String) throws {
        try FileIO.makeDirectories(String(path[..<path.lastIndex(of: "/")!]))
        try FileIO.writeAtomically(Array(text.utf8), to: path, mode: 0o600)
    }

    @Test("both kinds with every field are read as written; secrets stay references")
    func fullFile() throws {
        let servers = try MCPConfigParser.parse(
            """
            # GitHub's server over stdio, its token from the environment
            [[server]]
            name = "github"
            command = "github-mcp-server"
            args = ["stdio", "--read-only"]
            env = { GITHUB_PERSONAL_ACCESS_TOKEN = "${GITHUB_TOKEN}" }
            request_timeout_ms = 30000
            tool_policy_profile = "hardened"
            tools = { allow = ["search_*", "get_*"], deny = ["get_secret*"] }

            [[server]]
            name = "docs"
            kind = "streamable_http"
            endpoint = "https://mcp.example.com/mcp"
            auth = { kind = "bearer", token = "${auth:docs}" }
            """, file: "/u/.pie/mcp.toml")
        #expect(servers.count == 2)
        let github = servers[0]
        #expect(github.kind == .stdio && github.line == 2)
        #expect(github.command == "github-mcp-server" && github.args == ["stdio", "--read-only"])
        #expect(github.env.map(\.name) == ["GITHUB_PERSONAL_ACCESS_TOKEN"] && github.env[0].value == "${GITHUB_TOKEN}")
        #expect(github.requestTimeoutMilliseconds == 30000 && github.toolPolicyProfile == "hardened")
        #expect(github.tools.offers("search_issues") && github.tools.offers("get_me"))
        #expect(!github.tools.offers("get_secret_scanning_alert") && !github.tools.offers("create_issue"))
        let docs = servers[1]
        #expect(docs.kind == .streamableHTTP && docs.line == 11 && docs.endpoint == "https://mcp.example.com/mcp")
        #expect(docs.auth == .bearer(token: "${auth:docs}"))
        #expect(docs.requestTimeoutMilliseconds == MCPServerConfig.defaultRequestTimeoutMilliseconds)
    }

    @Test("mistakes name the file, the server's line, the field and the fix", arguments: [
        ("[[server]]\nname = \"a\"\ncomand = \"x\"\n", "mcp.toml:1: server 'a': comand: unknown key (did you mean 'command'?)"),
        ("[[server]]\nname = \"a\"\n", "server 'a': command: a stdio server needs the command"),
        ("[[server]]\nname = \"a\"\nkind = \"sse\"\ncommand = \"x\"\n", "kind: 'sse' is not a transport"),
        ("[[server]]\nname = \"a\"\nkind = \"streamable_http\"\n", "endpoint: a streamable_http server needs its URL"),
        ("[[server]]\nname = \"a\"\nkind = \"streamable_http\"\nendpoint = \"ftp://x\"\n", "is not an http:// or https:// URL"),
        ("[[server]]\nname = \"a__b\"\ncommand = \"x\"\n", "name: 'a__b' must be 1-32 letters"),
        ("[[server]]\ncommand = \"x\"\n", "name: missing"),
        ("[[server]]\nname = \"a\"\ncommand = \"x\"\n\n[[server]]\nname = \"a\"\ncommand = \"y\"\n", "mcp.toml:5: server 'a': name: also defined at line 1"),
        ("[[server]]\nname = \"a\"\ncommand = \"x\"\nenv = { \"BAD-NAME\" = \"v\" }\n", "env: 'BAD-NAME' is not an environment variable name"),
        ("[[server]]\nname = \"a\"\ncommand = \"x\"\nrequest_timeout_ms = 0\n", "request_timeout_ms: 0 is out of range"),
        ("[[server]]\nname = \"a\"\ncommand = \"x\"\ntools = { allow = \"x\" }\n", "tools.allow: expected an array"),
        ("[[server]]\nname = \"a\"\nkind = \"streamable_http\"\nendpoint = \"https://x\"\nauth = { kind = \"bearer\", token_keychain_ref = \"k\" }\n", "pie reads token = "),
        ("[[servers]]\nname = \"a\"\n", "servers: unknown key (did you mean [[server]]?)"),
        ("[[server]]\nname = \"a\"\ncommand = \"x\0\"\n", "mcp.toml:3: a NUL byte"),
        ("[[server]\n", "mcp.toml:1:"),
    ])
    func mistakes(text: String, expected: String) {
        #expect {
            try MCPConfigParser.parse(text, file: "/p/.pie/mcp.toml")
        } throws: { error in
            let message = (error as? MCPConfigError)?.message ?? "\(error)"
            return message.contains(expected)
        }
    }

    @Test("a project file starts nothing until its exact content is trusted; automations fail instead")
    func projectTrust() throws {
        let root = try scratch()
        let state = root + "/state"
        let project = root + "/project"
        try write("[[server]]\nname = \"time\"\ncommand = \"mine\"\n", to: state + "/mcp.toml")
        let projectText = "[[server]]\nname = \"time\"\ncommand = \"theirs\"\n\n[[server]]\nname = \"gh\"\ncommand = \"gh-mcp\"\n"
        try write(projectText, to: project + "/.pie/mcp.toml")
        let trust = ProjectTrust(stateDirectory: state)

        let untrusted = try MCPConfiguration.load(stateDirectory: state, projectRoot: project, trust: trust, untrusted: .warn)
        #expect(untrusted.servers.map(\.command) == ["mine"])
        #expect(untrusted.project?.status == .untrusted)
        #expect(untrusted.warnings.count == 1)
        #expect(untrusted.warnings[0].contains("not trusted") && untrusted.warnings[0].contains("pie mcp trust"))
        #expect {
            try MCPConfiguration.load(stateDirectory: state, projectRoot: project, trust: trust, untrusted: .fail)
        } throws: { error in (error as? MCPConfigError)?.message.contains("time, gh") == true }

        try trust.trust(file: project + "/.pie/mcp.toml", contents: Array(projectText.utf8))
        let trusted = try MCPConfiguration.load(stateDirectory: state, projectRoot: project, trust: trust, untrusted: .fail)
        #expect(trusted.servers.map(\.command) == ["theirs", "gh-mcp"])
        #expect(trusted.warnings.isEmpty)

        try write(projectText + "\n[[server]]\nname = \"x\"\ncommand = \"curl\"\n", to: project + "/.pie/mcp.toml")
        let changed = try MCPConfiguration.load(stateDirectory: state, projectRoot: project, trust: trust, untrusted: .warn)
        #expect(changed.project?.status == .changed)
        #expect(changed.servers.map(\.command) == ["mine"])
        #expect(changed.warnings.first?.contains("changed since it was trusted") == true)
    }

    @Test("secret references resolve from the environment and auth.json, and a missing one names what to set")
    func secrets() throws {
        let server = try MCPConfigParser.parse("[[server]]\nname = \"gh\"\ncommand = \"x\"\n", file: "/u/mcp.toml")[0]
        let secrets = MCPSecrets(environment: ["GITHUB_TOKEN": "ghp_1"], authKeys: { ["docs": "tok_2"] })
        #expect(try secrets.resolve("Bearer ${GITHUB_TOKEN}/${auth:docs}", server: server, field: "env.T") == "Bearer ghp_1/tok_2")
        #expect(try secrets.resolve("plain", server: server, field: "env.T") == "plain")
        let failures: [(String, String)] = [
            ("${MISSING}", "${MISSING} is not set in pie's environment"),
            ("${auth:nope}", "store it with `pie login nope`"),
            ("${unclosed", "'${' is not closed"),
            ("${a b}", "is not ${NAME}"),
        ]
        for (text, expected) in failures {
            #expect {
                try secrets.resolve(text, server: server, field: "env.T")
            } throws: { error in
                let message = (error as? MCPConfigError)?.message ?? ""
                return message.contains(expected) && message.contains("server 'gh': env.T")
            }
        }
    }

    @Test("a server's profile file: ~/ in the home directory, a relative path beside its mcp.toml, a preset by name")
    func profileLocation() throws {
        let launcher = MCPServerLauncher(
            secrets: MCPSecrets(environment: [:], authKeys: { [:] }), services: SandboxServices(warm: nil),
            projectRoot: "/work/app", home: "/home/me")
        let server = try MCPConfigParser.parse("[[server]]\nname = \"a\"\ncommand = \"x\"\n", file: "/work/app/.pie/mcp.toml")[0]
        #expect(launcher.profilePath("~/.pie/a.toml", server: server) == "/home/me/.pie/a.toml")
        #expect(launcher.profilePath("servers/a.toml", server: server) == "/work/app/.pie/servers/a.toml")
        #expect(launcher.profilePath("/etc/pie/a.toml", server: server) == "/etc/pie/a.toml")
        let missing = try MCPConfigParser.parse(
            "[[server]]\nname = \"a\"\ncommand = \"x\"\ntool_policy_profile = \"nope.toml\"\n", file: "/work/app/.pie/mcp.toml")[0]
        #expect {
            try launcher.stdioLaunch(missing)
        } throws: { error in
            let message = (error as? MCPConfigError)?.message ?? ""
            return message.contains("tool_policy_profile") && message.contains("/work/app/.pie/nope.toml")
        }
    }
}
