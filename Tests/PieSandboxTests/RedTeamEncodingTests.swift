import Foundation
import PiePolicy
import Testing

@testable import PieSandbox

/// Paths whose `..` hides in a grapheme cluster, and names that are not UTF-8 at all: the kernel
/// resolves both byte by byte, so the sandbox must hold however the policy's arithmetic went.
/// Every attack runs warm and cold and checks the host afterwards.
@Suite("Red team: grapheme paths and bad bytes in the sandbox")
struct RedTeamEncodingTests {
    /// Path prefixes whose `..` a `Character`-based split would not see (UAX #29 classes).
    static let fusedClimbs = [
        "x\u{600}/..", "x\u{605}/..", "\u{200D}/..", "a/\u{200D}/../..", "x/../\u{301}/..", "x/../\u{FE0F}/..",
        "x/../\u{903}/..", "x\r\n/..", "\u{1F1E9}\u{1F1EA}/..", "\u{1100}\u{1161}/..",
    ]

    static let cases: [(SandboxStart, String)] = SandboxStart.allCases.flatMap { start in
        fusedClimbs.map { (start, $0) }
    }

    @Test("a fused '..' does not reach outside the roots", arguments: cases)
    func fusedClimbOutside(_ start: SandboxStart, climb: String) async throws {
        let fixture = try Fixture(start: start)
        let up = climb + String(repeating: "/..", count: 6)
        let outside = String(fixture.outside.path.dropFirst())
        let target = "\(up)/\(outside)"
        let command = [
            // Every directory the climb passes through exists, so the kernel resolves each `..`.
            "mkdir -p '\(climb)'",
            "echo pwned > '\(target)/new.txt'", "echo pwned >> '\(target)/secret.txt'",
            "cp /etc/hostname '\(target)/copied'", "touch '\(target)/touched'", "mkdir '\(target)/dir'",
            "ln -s /etc/passwd '\(target)/link'",
        ].joined(separator: "; ")
        let (_, output) = try await fixture.run(command)
        #expect(output.contains("Read-only file system"), "\(output)")
        #expect(fixture.secretUnchanged)
        #expect(fixture.outsideEntries() == ["secret.txt"])
    }

    @Test("a working directory named with a fused scalar does not help", arguments: SandboxStart.allCases)
    func fusedWorkingDirectory(_ start: SandboxStart) async throws {
        let fixture = try Fixture(start: start)
        let outside = String(fixture.outside.path.dropFirst())
        let (_, output) = try await fixture.run(
            "mkdir -p 'x\u{600}' && cd 'x\u{600}' && echo pwned > ../../../../../../\(outside)/new.txt")
        #expect(output.contains("Read-only file system"), "\(output)")
        #expect(fixture.outsideEntries() == ["secret.txt"])
    }

    @Test("names that are not UTF-8 do not reach outside the roots", arguments: SandboxStart.allCases)
    func invalidBytesOutside(_ start: SandboxStart) async throws {
        let fixture = try Fixture(start: start)
        let outside = String(fixture.outside.path.dropFirst())
        let target = "$'x\\xff'/../../../../../../\(outside)"
        let (_, output) = try await fixture.run(
            "mkdir -p $'x\\xff' $'x\\xc0\\xaf'; echo pwned > \(target)/new.txt; "
                + "echo pwned > $'x\\xc0\\xaf'/../../../../../../\(outside)/overlong.txt; touch \(target)/$'\\xfe'")
        #expect(output.contains("Read-only file system"), "\(output)")
        #expect(fixture.secretUnchanged)
        #expect(fixture.outsideEntries() == ["secret.txt"])
    }

    @Test("a deny-pattern file whose name is not UTF-8 stops the sandbox instead of staying readable",
          arguments: SandboxStart.allCases)
    func undecodableDeniedName(_ start: SandboxStart) async throws {
        let fixture = try Fixture(start: start)
        let harmless = Array(fixture.project.file("notes").utf8) + [0xFF]
        let secret = Array(fixture.project.file(".env.").utf8) + [0xFF]
        defer { [harmless, secret].forEach(removeRaw) }
        try createRaw(harmless, "harmless")
        let (outcome, _) = try await fixture.run("ls")
        #expect(outcome.exitCode == 0, "a name that is not UTF-8 and matches no deny pattern is fine")

        try createRaw(secret, Fixture.secretText)
        do {
            let (_, output) = try await fixture.run("cat .env*")
            Issue.record("the command ran: \(output)")
        } catch let error as ShellError {
            #expect(error.message.contains("not valid UTF-8"), "\(error.message)")
            #expect(error.message.contains("deny pattern"), "\(error.message)")
        }
    }

    private func createRaw(_ path: [UInt8], _ text: String) throws {
        let fd = open(path.map { CChar(bitPattern: $0) } + [0], O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw ScratchError.cannotCreate }
        defer { close(fd) }
        #expect(write(fd, text, text.utf8.count) == text.utf8.count)
    }

    /// Foundation's recursive delete cannot name these files, so they are unlinked by their bytes.
    private func removeRaw(_ path: [UInt8]) {
        unlink(path.map { CChar(bitPattern: $0) } + [0])
    }
}
