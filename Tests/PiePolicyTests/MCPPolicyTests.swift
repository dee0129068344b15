import Testing
@testable import PiePolicy

/// The profiles' `[mcp]` section: which MCP tools may run, by SERVER/TOOL glob.
@Suite("MCP tool rules")
struct MCPPolicyTests {
    private func decide(
        _ name: String, preset: PolicyPreset, project: String? = nil, flags: PolicyLayer = PolicyLayer(),
        environment: [String: String] = [:]
    ) throws -> (Decision, EffectivePolicy) {
        let directory = try TempDirectory()
        defer { directory.remove() }
        if let project { try directory.file(".pie/policy.toml", project) }
        let effective = try buildPolicy(cwd: directory.path, environment: environment, preset: preset, flags: flags)
        let (server, tool) = try #require(MCPToolName.parse(name))
        return (try PolicyEngine(policy: effective.policy).evaluate(.mcp(server: server, tool: tool)), effective)
    }

    @Test("an MCP tool no pattern names gets each preset's default: allow, ask, deny, deny", arguments: [
        (PolicyPreset.permissive, Decision.Verdict.allow), (.balanced, .ask), (.strict, .deny), (.hardened, .deny),
    ])
    func presetDefaults(preset: PolicyPreset, verdict: Decision.Verdict) throws {
        let (decision, _) = try decide("mcp__github__search_issues", preset: preset)
        #expect(decision.verdict == verdict, "\(preset): \(decision.reason)")
        #expect(decision.trace.last?.check == "mcp.default")
        #expect(decision.trace.last?.detail.contains("github/search_issues") == true)
        if verdict == .deny { #expect(decision.reason.contains("--allow-mcp-tool 'github/search_issues'")) }
    }

    @Test("hardened runs exactly the listed tools; a deny wins over an ask, an ask over an allow")
    func precedence() throws {
        let profile = """
            [mcp]
            allow = ["github/*", "time/get_*"]
            ask = ["github/create_*"]
            deny = ["*/delete_*"]
            """
        let cases: [(String, Decision.Verdict, String)] = [
            ("mcp__github__search_issues", .allow, "allowed"),
            ("mcp__github__create_issue", .ask, "mcp.ask"),
            ("mcp__github__delete_repo", .deny, "mcp.deny"),
            ("mcp__time__get_current_time", .allow, "allowed"),
            ("mcp__time__convert_time", .deny, "mcp.default"),
            ("mcp__githubx__search", .deny, "mcp.default"),
        ]
        for (name, verdict, rule) in cases {
            let (decision, _) = try decide(name, preset: .hardened, project: profile)
            #expect(decision.verdict == verdict, "\(name): \(decision.reason)")
            #expect(decision.rule == rule, "\(name)")
        }
    }

    @Test("--allow-mcp-tool and PIE_ALLOW_MCP_TOOL add to mcp.allow, never past a deny")
    func flagsAndEnvironment() throws {
        var flags = PolicyLayer()
        flags.values[.mcpAllow] = .list(["gh/*"])
        flags.sources[.mcpAllow] = "flag"
        let (allowed, effective) = try decide("mcp__gh__search", preset: .hardened, flags: flags)
        #expect(allowed.verdict == .allow)
        #expect(effective.sources[.mcpAllow]?.contains("flag") == true)

        let (fromEnvironment, _) = try decide("mcp__gh__search", preset: .strict, environment: ["PIE_ALLOW_MCP_TOOL": "gh/search"])
        #expect(fromEnvironment.verdict == .allow)

        let (denied, _) = try decide("mcp__gh__delete", preset: .permissive, project: "[mcp]\ndeny = [\"gh/delete\"]\n", flags: flags)
        #expect(denied.verdict == .deny)
        #expect(denied.rule == "mcp.deny")
    }

    @Test("a project policy that widens [mcp] is reported as loosening")
    func projectLoosening() throws {
        let (_, effective) = try decide(
            "mcp__gh__x", preset: .strict, project: "[mcp]\ndefault = \"allow\"\nallow = [\"gh/*\"]\n")
        #expect(effective.warnings.contains { $0.contains("loosens mcp.default (was \"deny\", now \"allow\")") })
        #expect(effective.warnings.contains { $0.contains("loosens mcp.allow") })
        let (_, stricter) = try decide("mcp__gh__x", preset: .balanced, project: "[mcp]\ndefault = \"deny\"\ndeny = [\"gh/*\"]\n")
        #expect(!stricter.warnings.contains { $0.contains("mcp") })
    }

    @Test("malformed [mcp] sections are errors naming the file, the field and the fix", arguments: [
        ("[mcp]\nallow = [\"github\"]\n", "mcp.allow: 'github' is not SERVER/TOOL"),
        ("[mcp]\ndeny = [\"/x\"]\n", "mcp.deny: '/x' is not SERVER/TOOL"),
        ("[mcp]\nask = [\"a/b/c\"]\n", "mcp.ask: 'a/b/c' is not SERVER/TOOL"),
        ("[mcp]\ndefault = \"maybe\"\n", "mcp.default: 'maybe' is not one of allow, ask, deny"),
        ("[mcp]\nallw = [\"a/b\"]\n", "unknown field 'mcp.allw'"),
        ("mcp = true\n", "mcp must be a table"),
        ("mcpp = 1\n", "(did you mean 'mcp'?)"),
    ])
    func malformed(profile: String, expected: String) throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        try directory.file(".pie/policy.toml", profile)
        #expect {
            try buildPolicy(cwd: directory.path, preset: .balanced)
        } throws: { error in
            let message = (error as? PolicyError)?.message ?? ""
            return message.contains(expected) && message.contains(".pie/policy.toml:")
        }
    }

    @Test("model-visible names split at the first __ after the prefix")
    func names() {
        #expect(MCPToolName.make(server: "gh", tool: "search__issues") == "mcp__gh__search__issues")
        #expect(MCPToolName.parse("mcp__gh__search__issues")! == ("gh", "search__issues"))
        #expect(MCPToolName.parse("mcp__gh") == nil)
        #expect(MCPToolName.parse("mcp____x") == nil)
        #expect(MCPToolName.parse("bash") == nil)
    }
}
