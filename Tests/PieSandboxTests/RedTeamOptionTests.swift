import Foundation
import PiePolicy
import Testing

@testable import PieSandbox

/// One attack through a command's options or write operands: the strict profile must deny it
/// with `rule`, and run anyway in the sandbox it must not change the git directory or anything
/// outside the roots.
struct OptionAttack: Sendable, CustomTestStringConvertible {
    /// The command line; `OUT` stands for the directory outside every root.
    var command: String
    var rule: String

    init(_ command: String, _ rule: String) {
        self.command = command
        self.rule = rule
    }

    var testDescription: String { "\(rule): \(command)" }

    /// The attacks, by class, from the tools' documentation.
    static let all: [OptionAttack] = [
        // Undeclared options: mawk's -W exec in its spellings, gawk's and POSIX awk's -f.
        .init("awk -W exec prog.awk", "exec_argument"),
        .init("awk -Wexec prog.awk", "exec_argument"),
        .init("awk -We prog.awk", "exec_argument"),
        .init("awk -W e prog.awk", "exec_argument"),
        .init("awk -F, -Wex prog.awk", "exec_argument"),
        .init("awk -f prog.awk", "exec_argument"),
        // sed: in place (with a backup suffix that places the original in .git/hooks), w.
        .init("sed -i s/core/pwned/ .git/config", "exec_argument"),
        .init("sed -i'.git/hooks/*' s/a/b/ pre-commit", "exec_argument"),
        .init("sed -n 'w .git/hooks/pre-commit' in.txt", "exec_argument"),
        // find: actions that write or run.
        .init("find . -name in.txt -fprint .git/hooks/pre-commit", "exec_argument"),
        .init("find . -name in.txt -fprintf OUT/new.txt %p", "exec_argument"),
        .init("find . -name in.txt -exec sh -c 'echo pwned > .git/hooks/pre-commit' \\;", "exec_argument"),
        // Write operands: sort -o, uniq's second operand.
        .init("sort -o .git/hooks/pre-commit in.txt", "write_operand"),
        .init("sort -o.git/config in.txt", "write_operand"),
        .init("sort --output=OUT/new.txt in.txt", "write_operand"),
        .init("cd .git && sort -o hooks/pre-commit ../in.txt", "write_operand"),
        .init("uniq in.txt .git/hooks/pre-commit", "write_operand"),
        .init("uniq -c in.txt OUT/new.txt", "write_operand"),
        // Commands whose operands are files they write: not in strict at all.
        .init("tee .git/hooks/pre-commit < in.txt", "allowed_commands"),
        .init("cp in.txt .git/hooks/pre-commit", "allowed_commands"),
        .init("cp in.txt OUT/new.txt", "allowed_commands"),
        .init("dd if=in.txt of=.git/hooks/pre-commit", "allowed_commands"),
        .init("touch .git/hooks/pre-commit", "allowed_commands"),
        .init("mkdir .git/hooks/pre-commit", "allowed_commands"),
        .init("ln -s ../../in.txt .git/hooks/pre-commit", "allowed_commands"),
        .init("chmod +x .git/hooks/README", "allowed_commands"),
        .init("truncate -s 0 .git/config", "allowed_commands"),
        .init("rm -f .git/config", "allowed_commands"),
    ]
}

@Suite("Red team: undeclared options and write operands")
struct RedTeamOptionTests {
    /// A project whose awk program and files make each attack effective if it ran unchecked.
    private static func fixture(_ start: SandboxStart) throws -> Fixture {
        let fixture = try Fixture(start: start)
        try fixture.project.write("in.txt", "b\na\na\ncore\n")
        try fixture.project.write("pre-commit", "a\n")
        try fixture.project.write(
            "prog.awk",
            "BEGIN { system(\"echo pwned > .git/hooks/pre-commit; echo pwned > \(fixture.outside.file("new.txt"))\") }\n")
        return fixture
    }

    @Test(arguments: SandboxStart.allCases, OptionAttack.all)
    func deniedByPolicyAndContainedBySandbox(_ start: SandboxStart, _ attack: OptionAttack) async throws {
        let fixture = try Self.fixture(start)
        let command = attack.command.replacingOccurrences(of: "OUT", with: fixture.outside.path)
        let engine = try PolicyEngine(policy: fixture.shell.policy)
        let decision = engine.evaluate(.bash(command: command, cwd: nil))
        #expect(!decision.allowed, "\(command.debugDescription) was allowed by the strict profile")
        #expect(decision.rule == attack.rule, "\(command.debugDescription): \(decision.rule): \(decision.reason)")

        // Run it anyway, as a command the policy missed would be: the sandbox keeps the git
        // directory and everything outside the roots as they were.
        _ = try await fixture.run(command)
        #expect(!fixture.project.exists(".git/hooks/pre-commit"), "\(command) wrote .git/hooks/pre-commit")
        #expect(fixture.project.read(".git/config") == "[core]\n", "\(command) changed .git/config")
        #expect(access(fixture.project.file(".git/hooks/README"), X_OK) != 0, "\(command) made a hook executable")
        #expect(fixture.outsideEntries() == ["secret.txt"], "\(command) wrote outside the roots")
        #expect(fixture.secretUnchanged)
    }

    /// The awk attack is real: mawk reads the program from the file given to `-W exec` and runs
    /// its `system()` call, which the option allowlist is there to stop.
    @Test(arguments: SandboxStart.allCases)
    func mawkRunsTheProgramGivenToWExec(_ start: SandboxStart) async throws {
        let fixture = try Fixture(start: start)
        try fixture.project.write("ran.awk", "BEGIN { system(\"echo ran > ran.txt\") }\n")
        let engine = try PolicyEngine(policy: fixture.shell.policy)
        for spelling in ["-W exec", "-Wexec", "-We", "-W e"] {
            let command = "awk \(spelling) ran.awk"
            #expect(engine.evaluate(.bash(command: command, cwd: nil)).rule == "exec_argument")
            _ = try await fixture.run("rm -f ran.txt; " + command)
            #expect(fixture.project.read("ran.txt") == "ran\n", "\(command) did not run the program")
        }
    }
}
