import Foundation
import PiePolicy
import Testing

@testable import PieSandbox

/// Audit tampering: the log records every call, so no call may shorten, rewrite, replace or delete
/// it, even when the user put it inside the project. The attacks come from what GNU coreutils,
/// sed, perl and python document for writing, truncating, linking and renaming a file.
@Suite("Red team: audit tampering") struct RedTeamAuditTamperingTests {
    /// Where the log lives in the project: at the top level (only the file is denied) or in a
    /// directory of its own (the directory is denied too).
    enum Layout: String, CaseIterable, Sendable, CustomStringConvertible {
        case topLevel = "audit.jsonl"
        case inDirectory = "logs/audit.jsonl"
        var description: String { rawValue }
    }

    /// Each attack on `{L}` (the log) and `{D}` (its directory), run in a subshell of one command.
    static let attacks = [
        ": > {L}", "echo forged >> {L}", "echo forged > {L}", "truncate -s 0 {L}", "rm -f {L}", "unlink {L}",
        "mv {L} {L}.old", "mv {L} /tmp/gone", "cp /etc/passwd {L}", "install -m 600 /dev/null {L}",
        "dd if=/dev/zero of={L} bs=1 count=1 conv=notrunc", "echo forged | tee {L}", "sed -i d {L}", "sed -i.bak 1d {L}",
        "perl -pi -e 's/a/b/' {L}", "shred -u {L}", "chmod 000 {L}", "touch -d 2000-01-01 {L}",
        "find . -name audit.jsonl -delete", "python3 -c 'open(\"{L}\", \"r+\").truncate(0)'",
        "python3 -c 'import os; os.replace(\"/etc/hostname\", \"{L}\")'", "ln {L} hard && : > hard",
        "ln -sf /tmp/forged {L}", "mv -f /dev/null {L}", "mv {D} {D}.old && mkdir -p {D} && echo forged > {L}",
        "mv \"$PWD\" \"$PWD.old\"", "rm -rf {D}", "cat {L} > /tmp/copy && echo forged >> /tmp/copy && cp /tmp/copy {L}",
    ]

    static func command(log: String, directory: String) -> String {
        attacks.enumerated().map { index, attack in
            let text = attack.replacingOccurrences(of: "{L}", with: log).replacingOccurrences(of: "{D}", with: directory)
            return "( \(text) ) >/dev/null 2>&1; echo \"attack \(index): $?\""
        }.joined(separator: "\n") + "\ncat \(log) 2>&1 | head -c 200; echo"
    }

    static func record(_ number: Int) -> AuditRecord {
        AuditRecord(
            event: .decision, session: "s", callID: "call_\(number)", tool: "bash", arguments: "{\"command\":\"ls\"}",
            decision: .allow, rule: "allowed")
    }

    @Test(arguments: [PolicyPreset.balanced, .strict, .hardened], Layout.allCases)
    func bashCannotTamperWithTheLog(_ preset: PolicyPreset, _ layout: Layout) async throws {
        for start in SandboxStart.allCases {
            let fixture = try PresetFixture(preset, start: start, flags: [(.toolAuditLog, .string(layout.rawValue))]) { project in
                try project.write("src/main.c", "int main(void) { return 0; }\n")
            }
            let log = fixture.project.file(layout.rawValue)
            let audit = AuditLog(path: log, durability: .noSync)
            for number in 1...3 { try audit.append(Self.record(number)) }
            let before = try #require(fixture.project.read(layout.rawValue))
            let directory = layout == .topLevel ? "." : "logs"

            let (_, output) = try await fixture.run(Self.command(log: layout.rawValue, directory: directory))
            // Every attack fails, except three that report success without touching the log: perl
            // -i skips a file it cannot open, and in a masked directory `rm -f` and `find -delete`
            // find nothing to remove.
            let harmless = Set(["perl -pi -e 's/a/b/' {L}"] + (layout == .inDirectory ? ["rm -f {L}", "find . -name audit.jsonl -delete"] : []))
            for (index, attack) in Self.attacks.enumerated() where !harmless.contains(attack) {
                #expect(!output.contains("attack \(index): 0\n"), "\(start): '\(attack)' succeeded: \(output)")
            }

            #expect(fixture.project.read(layout.rawValue) == before, "\(start): the log changed: \(output)")
            #expect(!output.contains("call_1"), "\(start): the log was readable: \(output)")
            for leftover in ["audit.jsonl.old", "hard", "logs.old", "audit.jsonl.bak"] {
                #expect(!fixture.project.exists(leftover) && !fixture.project.exists("logs/" + leftover), "\(start): \(leftover)")
            }
            #expect(!FileManager.default.fileExists(atPath: fixture.project.path + ".old"))
            // pie appends and the chain still verifies: nothing was cut, inserted or replaced.
            try audit.append(Self.record(4))
            let verification = try AuditVerifier.verify(path: log)
            #expect(verification.isIntact && verification.records == 4, "\(start): \(verification)")
            #expect(fixture.project.read("src/main.c") != nil)
        }
    }

    /// The policy's own answer, before any sandbox: the file tools and redirects are denied on the
    /// log in every preset, wherever the log is.
    @Test(arguments: [PolicyPreset.balanced, .strict, .hardened], Layout.allCases)
    func policyDeniesTheLog(_ preset: PolicyPreset, _ layout: Layout) throws {
        let fixture = try PresetFixture(preset, start: .cold, flags: [(.toolAuditLog, .string(layout.rawValue))])
        let log = fixture.project.file(layout.rawValue)
        try AuditLog(path: log, durability: .noSync).append(Self.record(1))
        let engine = try PolicyEngine(policy: fixture.effective.policy)
        for tool in [FileTool.write, .edit, .read] {
            let decision = engine.evaluate(.file(tool: tool, path: layout.rawValue))
            #expect(!decision.allowed && decision.rule == "path.deny", "\(tool): \(decision.reason)")
        }
        for command in ["echo forged > \(layout.rawValue)", ": > \(layout.rawValue)", "echo forged >> \(layout.rawValue)"] {
            #expect(!engine.evaluate(.bash(command: command, cwd: nil)).allowed, "\(command)")
        }
        let files = ConfinedFileOperations(paths: fixture.effective.policy.paths, enforceRegularFiles: true)
        #expect(throws: FileOperationError.self) { try files.write(log, contents: Array("forged\n".utf8)) }
        #expect(throws: FileOperationError.self) { _ = try files.read(log, maxBytes: 1000) }
        #expect(try AuditVerifier.verify(path: log).isIntact)
        #expect(fixture.effective.stateDeny.contains { $0.path == log && $0.what == "audit log" && $0.source == "flag" })
    }
}
