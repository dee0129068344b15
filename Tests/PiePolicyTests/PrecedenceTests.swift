import Testing
@testable import PiePolicy

@Suite("Precedence: defaults < preset < profile < project policy < environment < flags")
struct PrecedenceTests {
    @Test("a profile overrides its preset, and extends selects the preset")
    func profileOverPreset() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.file("team.toml", "extends = \"hardened\"\nbash_timeout_ms = 30_000\n")
        let effective = try buildPolicy(cwd: dir.path, profile: "team.toml")
        #expect(effective.policy.preset == .hardened)
        #expect(effective.policy.bashTimeoutMs == 30_000)
        #expect(effective.sources[.bashTimeoutMs] == "profile:\(dir.path)/team.toml")
        #expect(effective.policy.maxCommandLength == 1_024)
        #expect(effective.sources[.maxCommandLength] == "preset:hardened")
        #expect(effective.presetSource == "profile:\(dir.path)/team.toml")
    }

    @Test("the project policy overrides the user profile")
    func projectOverProfile() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.file("team.toml", "max_tool_output_bytes = 9_000\n")
        try dir.file(".pie/policy.toml", "max_tool_output_bytes = 7_000\n")
        let effective = try buildPolicy(cwd: dir.path, profile: "team.toml")
        #expect(effective.policy.maxToolOutputBytes == 7_000)
        #expect(effective.sources[.maxToolOutputBytes] == "profile:\(dir.path)/.pie/policy.toml")
        #expect(effective.warnings.isEmpty)
    }

    @Test("a project policy that loosens a limit is reported")
    func projectLoosening() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.file(".pie/policy.toml", "os_sandbox_mode = \"off\"\nbash_timeout_ms = 600_000\n")
        let effective = try buildPolicy(cwd: dir.path, preset: .hardened)
        #expect(effective.policy.sandboxMode == .off)
        #expect(effective.warnings.count == 2)
        #expect(effective.warnings.contains { $0.contains("loosens os_sandbox_mode") })
        #expect(effective.warnings.contains { $0.contains("loosens bash_timeout_ms") })
    }

    @Test("the environment overrides the project policy")
    func environmentOverProject() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.file(".pie/policy.toml", "bash_timeout_ms = 5_000\n")
        let effective = try buildPolicy(cwd: dir.path, environment: ["PIE_BASH_TIMEOUT_MS": "7000"])
        #expect(effective.policy.bashTimeoutMs == 7_000)
        #expect(effective.sources[.bashTimeoutMs] == "env:PIE_BASH_TIMEOUT_MS")
    }

    @Test("a flag overrides the environment")
    func flagOverEnvironment() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let effective = try buildPolicy(
            cwd: dir.path, environment: ["PIE_BASH_TIMEOUT_MS": "7000"],
            flags: flagLayer([(.bashTimeoutMs, .integer(9_000))]))
        #expect(effective.policy.bashTimeoutMs == 9_000)
        #expect(effective.sources[.bashTimeoutMs] == "flag")
    }

    @Test("an explicit flag wins even when it equals the default")
    func flagEqualToDefaultWins() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let effective = try buildPolicy(
            cwd: dir.path, preset: .hardened,
            flags: flagLayer([
                (.bashTimeoutMs, .integer(120_000)), (.bashProfile, .string("balanced")),
                (.osSandboxMode, .string("off")), (.enforceRegularFiles, .boolean(true)),
            ]))
        #expect(effective.policy.bashTimeoutMs == 120_000)
        #expect(effective.policy.bashProfile == .balanced)
        #expect(effective.policy.sandboxMode == .off)
        #expect(effective.sources[.bashTimeoutMs] == "flag")
        #expect(effective.sources[.osSandboxMode] == "flag")
    }

    @Test("the preset flag beats the environment, which beats a profile's extends")
    func presetChoice() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.file("p.toml", "extends = \"strict\"\n")
        let fromEnv = try buildPolicy(cwd: dir.path, environment: ["PIE_TOOL_POLICY_PRESET": "hardened"], profile: "p.toml")
        #expect(fromEnv.policy.preset == .hardened)
        #expect(fromEnv.presetSource == "env:PIE_TOOL_POLICY_PRESET")
        let fromFlag = try buildPolicy(
            cwd: dir.path, environment: ["PIE_TOOL_POLICY_PRESET": "hardened"], preset: .permissive, profile: "p.toml")
        #expect(fromFlag.policy.preset == .permissive)
        #expect(fromFlag.presetSource == "flag")
        let fromProfile = try buildPolicy(cwd: dir.path, profile: "p.toml")
        #expect(fromProfile.policy.preset == .strict)
    }

    @Test("the profile path may come from PIE_TOOL_POLICY_PROFILE")
    func profileFromEnvironment() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.file("p.toml", "max_command_length = 100\n")
        let effective = try buildPolicy(cwd: dir.path, environment: ["PIE_TOOL_POLICY_PROFILE": "p.toml"])
        #expect(effective.policy.maxCommandLength == 100)
    }

    @Test("lists grow across layers and name every source")
    func listsAccumulate() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.file("p.toml", "allow_commands = [\"make\"]\ndeny_paths = [\"secrets\"]\n")
        let effective = try buildPolicy(
            cwd: dir.path, environment: ["PIE_ALLOW_COMMAND": "cargo-*, just"], profile: "p.toml",
            flags: flagLayer([(.allowCommands, .list(["python3"]))]))
        #expect(effective.policy.allowCommands == ["make", "cargo-*", "just", "python3"])
        #expect(effective.sources[.allowCommands] == "profile:\(dir.path)/p.toml+env:PIE_ALLOW_COMMAND+flag")
        #expect(effective.policy.paths.deny.contains("~/.ssh"))
        #expect(effective.policy.paths.deny.contains("secrets"))
    }

    @Test("every flagged field has a PIE_ environment variable named after the flag")
    func environmentNames() {
        #expect(PolicyField.maxFileReadBytes.environmentVariable == "PIE_MAX_FILE_READ_BYTES")
        #expect(PolicyField.allowPaths.environmentVariable == "PIE_ALLOW_PATH")
        #expect(PolicyField.osSandboxCommand.environmentVariable == "PIE_OS_SANDBOX_COMMAND")
        #expect(PolicyField.toolPolicyTrace.environmentVariable == "PIE_TOOL_POLICY_TRACE")
        for field in PolicyField.allCases where field.flag != nil {
            #expect(field.environmentVariable?.hasPrefix("PIE_") == true)
        }
    }

    @Test("--allow-path adds a canonical writable root")
    func allowPath() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.directory("project")
        try dir.directory("shared/cache")
        let effective = try buildPolicy(
            cwd: dir.path + "/project", flags: flagLayer([(.allowPaths, .list(["../shared/./cache"]))]))
        #expect(effective.policy.paths.writeRoots == [dir.path + "/project", dir.path + "/shared/cache"])
    }
}
