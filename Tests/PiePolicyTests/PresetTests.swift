import Testing
@testable import PiePolicy

@Suite("Presets are data")
struct PresetTests {
    struct Expected: Sendable, CustomStringConvertible {
        var preset: PolicyPreset
        var readWrite: Int
        var output: Int
        var timeout: Int
        var length: Int
        var profile: BashProfileName
        var sandbox: SandboxMode
        var regularFiles: Bool
        var network: Bool
        var reads: SandboxReads
        var description: String { preset.rawValue }
    }

    static let table: [Expected] = [
        Expected(preset: .permissive, readWrite: 2_000_000, output: 32_000, timeout: 180_000, length: 8_192, profile: .permissive, sandbox: .off, regularFiles: false, network: false, reads: .allowlist),
        Expected(preset: .balanced, readWrite: 1_000_000, output: 16_000, timeout: 120_000, length: 4_096, profile: .balanced, sandbox: .auto, regularFiles: true, network: true, reads: .host),
        Expected(preset: .strict, readWrite: 750_000, output: 8_000, timeout: 90_000, length: 2_048, profile: .strict, sandbox: .auto, regularFiles: true, network: false, reads: .allowlist),
        Expected(preset: .hardened, readWrite: 500_000, output: 4_000, timeout: 60_000, length: 1_024, profile: .strict, sandbox: .force, regularFiles: true, network: false, reads: .allowlist),
    ]

    @Test("each preset file sets its documented values", arguments: table)
    func presetValues(expected: Expected) throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let effective = try buildPolicy(cwd: dir.path, preset: expected.preset)
        let policy = effective.policy
        #expect(policy.preset == expected.preset)
        #expect(policy.maxFileReadBytes == expected.readWrite)
        #expect(policy.maxFileWriteBytes == expected.readWrite)
        #expect(policy.maxToolOutputBytes == expected.output)
        #expect(policy.bashTimeoutMs == expected.timeout)
        #expect(policy.maxCommandLength == expected.length)
        #expect(policy.bashProfile == expected.profile)
        #expect(policy.sandboxMode == expected.sandbox)
        #expect(policy.enforceRegularFiles == expected.regularFiles)
        #expect(policy.sandboxNetwork == expected.network)
        #expect(policy.paths.sandboxReads == expected.reads)
        #expect(effective.sources[.bashTimeoutMs] == "preset:\(expected.preset.rawValue)")
    }

    @Test("balanced is the default preset")
    func defaultPreset() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let effective = try buildPolicy(cwd: dir.path)
        #expect(effective.policy.preset == .balanced)
        #expect(effective.presetSource == "default")
    }

    @Test("the default deny and protected lists are in every preset", arguments: PolicyPreset.allCases)
    func defaultLists(preset: PolicyPreset) throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let paths = try buildPolicy(cwd: dir.path, preset: preset).policy.paths
        for entry in ["~/.ssh", "~/.gnupg", "~/.aws", "~/.netrc", "~/.pie", "**/.env", "**/.env.*"] {
            #expect(paths.deny.contains(entry))
        }
        for entry in ["**/.gitmodules", "**/.pie", "**/.vscode", "**/.idea", "**/.mcp.json", "**/.envrc", ".bashrc"] {
            #expect(paths.protected.contains(entry))
        }
        for entry in [".git/hooks/pre-commit", ".git/config"] {
            #expect(paths.classify(dir.path + "/" + entry, access: .write) != .allowed(root: dir.path))
        }
        #expect(paths.writeRoots == [dir.path])
    }
}
