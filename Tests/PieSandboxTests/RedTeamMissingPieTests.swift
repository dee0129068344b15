import Foundation
import PiePolicy
import Testing

@testable import PieSandbox

/// A project's `.pie` steers every later session started there: its memories load into the
/// system prompt, its policy and (once trusted) hooks apply. Where none exists yet, a sandboxed
/// command (code an allowed interpreter runs) must not create one: at a writable root the missing
/// `.pie` is masked while the command runs; in a subdirectory, where pie started later would look
/// too, a new `.pie` is removed after the command and the command fails (docs/sandbox.md,
/// "Memories steer every later session").
@Suite("Red team: a missing project .pie") struct RedTeamMissingPieTests {
    /// Where a `.pie` does not exist: the project root, an existing subdirectory, and a directory
    /// the command makes itself.
    static let places = [".pie", "sub/.pie", "fresh/.pie"]

    /// One way per class of making a directory entry appear, for `.pie` at `place`.
    static func attempts(_ place: String, _ index: Int) -> [(kind: String, command: String)] {
        let parent = place.contains("/") ? "mkdir -p \(place.dropLast(5)) && " : ""
        return [
            ("create the directory", "\(parent)mkdir -p \(place)/memory && echo obey > \(place)/memory/planted.md"),
            (
                "create it as a symlink",
                "\(parent)mkdir -p decoy\(index)/memory && echo obey > decoy\(index)/memory/planted.md && ln -s \"$PWD/decoy\(index)\" \(place)"
            ),
            (
                "rename a prepared directory into place",
                "\(parent)mkdir -p staged\(index)/memory && echo obey > staged\(index)/memory/planted.md && mv -T staged\(index) \(place)"
            ),
            ("hard-link a file into place", "\(parent)echo obey > planted\(index) && ln planted\(index) \(place)"),
        ]
    }

    static let presets: [PolicyPreset] = [.balanced, .strict, .hardened]

    @Test(arguments: presets, SandboxStart.allCases)
    func aSandboxedCommandLeavesNoPie(_ preset: PolicyPreset, _ start: SandboxStart) async throws {
        // One project for every attempt: each finds the `.pie` still missing (the last one's was
        // removed), and the plan is made afresh for each command.
        let fixture = try PresetFixture(preset, start: start) { project in
            try project.write("sub/README", "a subdirectory\n")
        }
        for (index, place) in Self.places.enumerated() {
            for attempt in Self.attempts(place, index) {
                #expect(!fixture.project.exists(place))
                let (outcome, output) = try await fixture.run(attempt.command)
                let what = "\(preset) \(start) \(place): \(attempt.kind)"
                #expect(outcome.exitCode != 0, "\(what) succeeded: \(output)")
                #expect(!fixture.project.exists(place), "\(what) left \(place)")
                #expect(!fixture.project.exists(place + "/memory/planted.md"), "\(what) planted a memory")
                if place != ".pie" {
                    // Outside the root's mask the command ran, and pie says what it removed.
                    #expect(outcome.warnings.contains { $0.contains("pie's project directory") && $0.contains("removed it") }, "\(what): \(outcome.warnings)")
                }
            }
        }
    }

    /// `$HOME` inside the project (as the end-to-end tests keep it): pie's state directory is a
    /// `.pie` below the root that the policy denies and the sandbox masks. It is no new entry:
    /// the command leaves it, and pie must not remove it either.
    /// A balanced shell over a project whose `$HOME` (and so pie's `~/.pie`, with one session) lies inside it.
    private static func projectWithHomeInside(_ start: SandboxStart) async throws -> (Scratch, SandboxedShell) {
        try await requireSandbox()
        let project = try Scratch("pie-rt")
        try project.write(".home/.pie/sessions/kept.jsonl", "{}\n")
        let home = project.file(".home")
        let environment = ["PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": home, "LANG": "C.UTF-8"]
        let effective = try PolicyBuilder.build(
            PolicyInputs(cwd: project.path, home: home, environment: environment, presetFlag: .balanced))
        var shell = SandboxedShell(policy: effective.policy, environment: environment, limits: TestPolicy.strictLimits)
        shell.warm = start == .warm ? Fixture.warmSandboxes : nil
        return (project, shell)
    }

    @Test(arguments: SandboxStart.allCases)
    func theStateDirectoryInAHomeInsideTheProjectIsLeftAlone(_ start: SandboxStart) async throws {
        let (project, shell) = try await Self.projectWithHomeInside(start)

        let (outcome, output) = try await runShell(shell, "echo ok", cwd: project.path)

        #expect(outcome.exitCode == 0, "\(output) \(outcome.warnings)")
        #expect(outcome.warnings.allSatisfy { !$0.contains("pie's project directory") })
        #expect(project.read(".home/.pie/sessions/kept.jsonl") == "{}\n")
    }

    /// pie appends its audit log and sessions while a command runs (another tool call of the same
    /// reply); in a home inside the project that changes entries below `.home/.pie`, which the
    /// planted-configuration sweep must not take for a planted `.pie` and move away.
    @Test(arguments: SandboxStart.allCases)
    func theStateDirectoryChangedByPieDuringACommandStays(_ start: SandboxStart) async throws {
        let (project, shell) = try await Self.projectWithHomeInside(start)

        async let run = runShell(shell, "sleep 1; echo ok", cwd: project.path)
        try await Task.sleep(for: .milliseconds(300))
        try project.write(".home/.pie/sessions/kept.jsonl", "{}\n{}\n")
        try project.write(".home/.pie/sessions/new.jsonl", "{}\n")
        let (outcome, output) = try await run

        #expect(outcome.exitCode == 0, "\(output) \(outcome.warnings)")
        #expect(outcome.quarantined.isEmpty, "\(outcome.quarantined)")
        #expect(project.read(".home/.pie/sessions/kept.jsonl") == "{}\n{}\n")
        #expect(project.exists(".home/.pie/sessions/new.jsonl"))
    }

    @Test(arguments: SandboxStart.allCases)
    func anExistingNestedPieIsKeptAndStaysReadOnly(_ start: SandboxStart) async throws {
        let fixture = try PresetFixture(.balanced, start: start) { project in
            try project.write("sub/.pie/memory/kept.md", "the user's own note\n")
        }
        let (outcome, output) = try await fixture.run("echo obey > sub/.pie/memory/planted.md")
        #expect(outcome.exitCode != 0, "the write succeeded: \(output)")
        #expect(fixture.project.read("sub/.pie/memory/kept.md") == "the user's own note\n")
        #expect(!fixture.project.exists("sub/.pie/memory/planted.md"))
        #expect(outcome.warnings.allSatisfy { !$0.contains("pie's project directory") })
    }
}
