import Testing

@testable import PiePolicy

/// Red-team findings 1, 2, 4 and 7 (/docs/sandbox.md, "Red-team pass over the merged issue 10") fixed
/// in the engine, so they hold under every profile that checks redirections, not only strict's
/// stop-gaps: GNU `uniq +N` moves the output to the third word, GNU sed ends a label at a blank,
/// `/dev/stdout` re-opens whatever file descriptor 1 holds, and `TMPDIR` (where sort writes) or
/// `POSIXLY_CORRECT`/`_POSIX2_VERSION` (how GNU tools read their arguments) may not be assigned.
@Suite("Red team: option-grammar quirks, judged by the engine")
struct RedTeamEngineFindingsTests {
    static let attacks: [Attack] = [
        Attack("uniq +1 payload sub/.envrc", "write_operand", names: "sub/.envrc"),
        Attack("uniq +1 -- payload .git/config", "write_operand", names: ".git/config"),
        Attack("uniq -c payload out .git/hooks/pre-commit", "write_operand", names: ".git/hooks/pre-commit"),
        Attack("sed ':x e id' payload", "exec_argument", names: "'e'"),
        Attack("sed -n 'b x w .git/config' payload", "exec_argument", names: "'w'"),
        Attack("sed -n 't x w .git/config' payload", "exec_argument", names: "'w'"),
        Attack("sed ':  x\te touch owned' payload", "exec_argument", names: "'e'"),
        Attack("printf x 1<.git/config >/dev/stdout", "redirect", names: "/dev/stdout"),
        Attack("echo x 2<.git/config 2>/dev/stderr", "redirect", names: "/dev/stderr"),
        Attack("echo x 3<.git/config >/dev/fd/3", "redirect", names: "/dev/fd/3"),
        Attack("echo x >/proc/self/fd/1", "redirect", names: "/proc/self/fd/1"),
        Attack("TMPDIR=.git/hooks sort payload", "assignment", names: "TMPDIR"),
        Attack("env TMPDIR=.git sort -S 1k payload", "assignment", names: "TMPDIR"),
        Attack("_POSIX2_VERSION=199209 uniq +1 payload", "assignment", names: "_POSIX2_VERSION"),
        Attack("POSIXLY_CORRECT=1 sort payload", "assignment", names: "POSIXLY_CORRECT"),
    ]

    @Test(arguments: attacks)
    func deniedUnderBalanced(_ attack: Attack) throws {
        let project = try BalancedProject()
        defer { project.directory.remove() }
        try project.directory.file("payload", "x\n")
        let decision = project.decide(attack.command)
        #expect(!decision.allowed, "\(attack.command) was allowed")
        #expect(decision.rule == attack.rule, "\(attack.command): \(decision.rule): \(decision.reason)")
        #expect(decision.reason.contains(attack.names), "\(attack.command): \(decision.reason)")
    }

    /// What still passes: a label with a plain command after `;`, and descriptor duplication.
    @Test(arguments: ["sed ':a;N;$!ba;s/\\n/ /g' payload", "echo x >&2", "echo x 1>&2", "uniq payload out"])
    func everydayFormsPass(_ command: String) throws {
        let project = try BalancedProject()
        defer { project.directory.remove() }
        try project.directory.file("payload", "x\n")
        let decision = project.decide(command)
        #expect(decision.allowed, "\(command): \(decision.rule): \(decision.reason)")
    }
}
