import Foundation
import PiePolicy
import Testing

@testable import PieSandbox

/// Automation files start unattended runs, so a tool call that creates, changes, enables, moves
/// or deletes one would let a run (possibly started by a webhook's data) schedule more runs of
/// itself. `.pie` is a protected path in every project and `$PIE_DIR` (`~/.pie`) is outside every
/// write root: the file tools refuse both, and in the default preset's sandbox every way a shell
/// command changes a file there fails (docs/automations.md, "Who can change automation files").
@Suite("Red team: automation files") struct RedTeamAutomationFileTests {
    static let original = "prompt = \"p\"\nmodel = \"ds4:x\"\nenabled = false\n[trigger]\nevery = \"1h\"\n"

    /// One shell write per way of changing a directory entry or a file's bytes.
    static func writes(state: String) -> [String] {
        [
            "cp payload .pie/automations/evil.toml", "touch .pie/automations/evil.toml",
            "tee .pie/automations/evil.toml < payload", "install -m 644 payload .pie/automations/evil.toml",
            "printf 'enabled = true' > .pie/automations/nightly.toml",
            "sed -i 's/enabled = false/enabled = true/' .pie/automations/nightly.toml",
            // perl -i warns and exits 0 when it cannot replace the file: judged by its effect.
            "perl -pi -e 's/false/true/' .pie/automations/nightly.toml; grep -q 'enabled = true' .pie/automations/nightly.toml",
            "mv .pie/automations/nightly.toml .pie/automations/nightly.toml.removed",
            "rm -f .pie/automations/nightly.toml", "ln -s ../../payload .pie/automations/link.toml",
            "mv .pie .pie-old && mkdir -p .pie/automations && cp payload .pie/automations/evil.toml",
            "mkdir -p \(state)/automations && cp payload \(state)/automations/user.toml",
            "mkdir -p ~/.pie/automations && cp payload ~/.pie/automations/user.toml",
        ]
    }

    @Test(arguments: SandboxStart.allCases)
    func shellCannotChangeAutomationFiles(_ start: SandboxStart) async throws {
        let fixture = try PresetFixture(.balanced, start: start) { project in
            try project.write("payload", "prompt = \"again\"\nmodel = \"ds4:x\"\n[trigger]\nevery = \"1m\"\n")
            try project.write(".pie/automations/nightly.toml", Self.original)
        }
        let writes = Self.writes(state: fixture.state.path)
        let command = writes.enumerated().map { index, write in
            "( \(write) ) >/dev/null 2>&1; echo \"write \(index): $?\""
        }.joined(separator: "\n")
        let (_, output) = try await fixture.run(command)
        for (index, write) in writes.enumerated() {
            #expect(output.contains("write \(index): ") && !output.contains("write \(index): 0\n"), "'\(write)' succeeded: \(output)")
        }
        #expect(fixture.project.read(".pie/automations/nightly.toml") == Self.original)
        let entries = try FileManager.default.contentsOfDirectory(atPath: fixture.project.file(".pie/automations"))
        #expect(entries == ["nightly.toml"])
        #expect(!fixture.project.exists(".pie-old"))
        #expect(!FileManager.default.fileExists(atPath: fixture.state.file("automations")))
        #expect(!fixture.home.exists(".pie"))
    }

    /// Every preset, permissive included: the file tools never write a `.pie` at any depth.
    @Test(arguments: PolicyPreset.allCases)
    func fileToolsRefuseAutomationFiles(_ preset: PolicyPreset) throws {
        let fixture = try PresetFixture(preset, start: .cold) { project in
            try project.write(".pie/automations/nightly.toml", Self.original)
        }
        let files = ConfinedFileOperations(paths: fixture.effective.policy.paths, enforceRegularFiles: true)
        for path in [".pie/automations/nightly.toml", ".pie/automations/evil.toml", "sub/.pie/automations/x.toml"] {
            #expect("\(preset): \(path)") {
                try files.write(fixture.project.file(path), contents: Array("enabled = true\n".utf8))
            } throws: { error in
                (error as? FileOperationError)?.kind == .protected
            }
        }
        for path in [fixture.home.file(".pie/automations/user.toml"), fixture.state.file("automations/user.toml")] {
            #expect(throws: FileOperationError.self, "\(preset): \(path)") {
                try files.write(path, contents: Array("enabled = true\n".utf8))
            }
        }
        #expect(fixture.project.read(".pie/automations/nightly.toml") == Self.original)
        #expect(!fixture.project.exists(".pie/automations/evil.toml") && !fixture.project.exists("sub"))
        #expect(!fixture.home.exists(".pie") && !fixture.state.exists("automations"))
    }
}
