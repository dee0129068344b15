import Foundation
import Testing

/// `pie policy explain` says why an option was denied, and that a command the user added
/// without a rule runs with any options.
@Suite("pie policy explain: option allowlists")
struct OptionAllowlistCLITests {
    @Test("explain: an undeclared option is named with the command and what is allowed")
    func explainUndeclaredOption() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let result = try await runPie(
            ["policy", "explain", "--tool", "bash", "--bash-profile", "strict", "--command", "awk -b 1 f"],
            cwd: project.path)
        #expect(result.status == 1)
        #expect(result.stdout.contains("exec_argument"))
        #expect(result.stdout.contains(
            "option '-b' of 'awk' is not among the options the 'strict' bash profile allows for 'awk' (allowed: -F, -v, --)"))
    }

    @Test("explain: a write operand outside the roots is denied like a redirection")
    func explainWriteOperand() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let result = try await runPie(
            ["policy", "explain", "--tool", "bash", "--bash-profile", "strict", "--command", "sort -o /etc/x f"],
            cwd: project.path)
        #expect(result.status == 1)
        #expect(result.stdout.contains("write_operand"))
        #expect(result.stdout.contains("'-o /etc/x' of 'sort' writes '/etc/x'"))
    }

    @Test("explain: an added command without a rule runs with any options, and the trace says so")
    func explainAddedCommand() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let result = try await runPie(
            [
                "policy", "explain", "--tool", "bash", "--bash-profile", "strict", "--allow-command", "jq",
                "--command", "jq --arg x y .",
            ],
            cwd: project.path)
        #expect(result.status == 0)
        #expect(result.stdout.contains("'jq' was added with --allow-command and has no rule: its options are not checked"))
    }
}
