import Foundation
import PiePolicy
import Testing
import PieJSON

@testable import PieSandbox
import PieSystem

/// Escapes through the file tools' backend under a hardened policy (`enforceRegularFiles`).
@Suite("Red team: file operations") struct RedTeamFileTests {
    let fixture: Fixture
    let files: ConfinedFileOperations

    init() throws {
        fixture = try Fixture()
        files = ConfinedFileOperations(paths: fixture.shell.policy.paths, enforceRegularFiles: true)
    }

    func expectRefusal(
        _ kind: FileOperationError.Kind, mentioning text: String? = nil, _ body: () throws -> Void,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(sourceLocation: sourceLocation) { try body() } throws: { error in
            guard let error = error as? FileOperationError else { return false }
            return error.kind == kind && (text.map { error.message.contains($0) } ?? true)
        }
    }

    @Test func dotDotWriteEscape() {
        expectRefusal(.outsideRoots, mentioning: "outside the writable roots") {
            try files.write(fixture.project.file("../../var/tmp/pwned.txt"), contents: [1])
        }
        #expect(access("/var/tmp/pwned.txt", F_OK) != 0)
    }

    @Test func absoluteReadEscape() {
        expectRefusal(.outsideRoots) { _ = try files.read(fixture.outside.file("secret.txt"), maxBytes: 100) }
    }

    @Test func symlinkedDirectoryWrite() {
        symlink(fixture.outside.path, fixture.project.file("link"))
        expectRefusal(.symlink) { try files.write(fixture.project.file("link/new.txt"), contents: [1]) }
        #expect(fixture.outsideEntries() == ["secret.txt"])
    }

    @Test func symlinkedLeafRead() {
        symlink(fixture.outside.file("secret.txt"), fixture.project.file("leaf"))
        expectRefusal(.symlink) { _ = try files.read(fixture.project.file("leaf"), maxBytes: 100) }
    }

    @Test func symlinkedLeafWriteDoesNotFollow() {
        symlink(fixture.outside.file("secret.txt"), fixture.project.file("leaf"))
        expectRefusal(.symlink) { try files.write(fixture.project.file("leaf"), contents: Array("pwned".utf8)) }
        #expect(fixture.secretUnchanged)
    }

    @Test func hardLinkToSecret() throws {
        // /var/tmp and /tmp may be one file system (then the link works and nlink stops the read) or
        // two (then the kernel refuses the link): either way the secret is not readable.
        guard link(fixture.outside.file("secret.txt"), fixture.project.file("hard")) == 0 else {
            #expect(errno == EXDEV)
            return
        }
        expectRefusal(.denied, mentioning: "hard links") { _ = try files.read(fixture.project.file("hard"), maxBytes: 100) }
        expectRefusal(.denied, mentioning: "hard links") { try files.write(fixture.project.file("hard"), contents: [1]) }
        #expect(fixture.secretUnchanged)
    }

    @Test func procSelfRoot() {
        expectRefusal(.denied, mentioning: "magic link") {
            _ = try files.read("/proc/self/root" + fixture.outside.file("secret.txt"), maxBytes: 100)
        }
    }

    @Test func devZeroIsRefusedWithoutHanging() {
        let wide = ConfinedFileOperations(
            paths: TestPolicy.paths(project: fixture.project.path, readRoots: ["/dev"]), enforceRegularFiles: true)
        expectRefusal(.notRegularFile, mentioning: "character device") { _ = try wide.read("/dev/zero", maxBytes: 1 << 20) }
    }

    @Test func fifoIsRefusedWithoutHanging() {
        mkfifo(fixture.project.file("pipe"), 0o600)
        expectRefusal(.notRegularFile, mentioning: "FIFO") { _ = try files.read(fixture.project.file("pipe"), maxBytes: 100) }
    }

    @Test func socketFileIsRefused() throws {
        let listener = try UnixListener(path: fixture.project.file("s.sock"))
        expectRefusal(.notRegularFile, mentioning: "socket") { _ = try files.read(listener.path, maxBytes: 100) }
    }

    @Test func creatingGitHooks() throws {
        let bare = try Fixture(gitRepository: false)
        let ops = ConfinedFileOperations(paths: bare.shell.policy.paths, enforceRegularFiles: true)
        expectRefusal(.protected, mentioning: ".git/hooks") {
            try ops.write(bare.project.file(".git/hooks/pre-commit"), contents: Array("curl evil".utf8))
        }
        #expect(!bare.project.exists(".git"))
    }

    @Test func gitdirFileCannotBeWritten() throws {
        let bare = try Fixture(gitRepository: false)
        let ops = ConfinedFileOperations(paths: bare.shell.policy.paths, enforceRegularFiles: true)
        expectRefusal(.protected, mentioning: "gitdir") {
            try ops.write(bare.project.file(".git"), contents: Array("gitdir: /tmp/evil\n".utf8))
        }
        #expect(!bare.project.exists(".git"))
    }

    @Test func creatingPieConfig() {
        expectRefusal(.protected) { try files.write(fixture.project.file(".pie/config.toml"), contents: [1]) }
        #expect(!fixture.project.exists(".pie"))
    }

    @Test func protectedDirectoryReplacedBySymlink() throws {
        try FileManager.default.removeItem(atPath: fixture.project.file(".git"))
        symlink(fixture.outside.path, fixture.project.file(".git"))
        expectRefusal(.protected) { try files.write(fixture.project.file(".git/hooks/post-merge"), contents: [1]) }
        expectRefusal(.symlink) { try files.write(fixture.project.file(".git/objects/x"), contents: [1]) }
        #expect(fixture.outsideEntries() == ["secret.txt"])
    }

    @Test func dotEnvReadAndWrite() throws {
        try fixture.project.write("svc/.env.production", "TOKEN=abc")
        expectRefusal(.denied, mentioning: ".env") { _ = try files.read(fixture.project.file("svc/.env.production"), maxBytes: 100) }
        expectRefusal(.denied) { try files.write(fixture.project.file(".env"), contents: [1]) }
    }

    @Test func symlinkSwapRace() async throws {
        let dir = fixture.project.file("swap")
        let real = fixture.project.file("swap-real")
        let target = fixture.outside.path
        let files = files
        mkdir(real, 0o755)
        let landed = await offPool {
            let stop = OutputCollector()
            let swapper = Thread {
                while stop.bytes.isEmpty {
                    rename(real, dir)
                    rename(dir, real)
                    symlink(target, dir)
                    unlink(dir)
                }
            }
            swapper.start()
            var landed = 0
            for index in 0..<1000 where (try? files.write(dir + "/f\(index % 5)", contents: [1])) != nil {
                landed += 1
            }
            stop.append([1])
            Thread.sleep(forTimeInterval: 0.05)
            return landed
        }
        #expect(fixture.outsideEntries() == ["secret.txt"], "\(landed) writes landed inside")
        #expect(fixture.secretUnchanged)
    }
}

/// Tampering with the audit log: verify must name the first bad line.
@Suite("Red team: audit log") struct RedTeamAuditTests {
    /// A freshly written log; the scratch directory lives as long as this value is used.
    struct Written {
        let scratch: Scratch
        let path: String
        let lines: [String]

        init(_ count: Int) throws {
            scratch = try Scratch()
            let log = AuditLog(path: scratch.file("audit.jsonl"), durability: .noSync)
            for index in 1...count { try log.append(AuditTests.sample(index)) }
            path = log.path
            lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        }

        func verify(_ lines: [String], terminated: Bool = true) throws -> AuditVerification {
            try (lines.joined(separator: "\n") + (terminated ? "\n" : ""))
                .write(toFile: path, atomically: false, encoding: .utf8)
            return try AuditVerifier.verify(path: path)
        }
    }

    @Test func editedLine() throws {
        let written = try Written(6)
        var lines = written.lines
        lines[2] = lines[2].replacingOccurrences(of: "ls 3", with: "rm 3")
        let result = try written.verify(lines)
        #expect(result.firstBadLine == 3)
        #expect(result.problem?.contains("edited") == true)
    }

    @Test func editedDecision() throws {
        let written = try Written(4)
        var lines = written.lines
        lines[1] = lines[1].replacingOccurrences(of: "\"decision\":\"allow\"", with: "\"decision\":\"deny\"")
        #expect(try written.verify(lines).firstBadLine == 2)
    }

    @Test func deletedLine() throws {
        let written = try Written(6)
        var lines = written.lines
        lines.remove(at: 3)
        let result = try written.verify(lines)
        #expect(result.firstBadLine == 4)
        #expect(result.problem?.contains("deleted, inserted or moved") == true)
    }

    @Test func deletedFirstLine() throws {
        let written = try Written(3)
        #expect(try written.verify(Array(written.lines.dropFirst())).firstBadLine == 1)
    }

    @Test func insertedLine() throws {
        let written = try Written(5)
        var lines = written.lines
        lines.insert(lines[1], at: 3)
        #expect(try written.verify(lines).firstBadLine == 4)
    }

    @Test func reorderedLines() throws {
        let written = try Written(5)
        var lines = written.lines
        lines.swapAt(1, 2)
        #expect(try written.verify(lines).firstBadLine == 2)
    }

    /// Without a key, an editor can recompute the edited line's own hash; the next line's link
    /// still breaks, and that is the line reported.
    @Test func forgedHashOnEditedLineBreaksTheNextLink() throws {
        let written = try Written(4)
        var lines = written.lines
        guard var record = (try? JSONParser.parseLine(lines[1])).flatMap(AuditRecord.init(json:)) else {
            Issue.record("line 2 did not parse")
            return
        }
        record.arguments = "{\"command\":\"innocent\"}"
        record.hash = try SHA256.hex(record.encodedBody)
        lines[1] = record.encodedLine
        #expect(try written.verify(lines).firstBadLine == 3)
    }

    @Test func tornLastLine() throws {
        let written = try Written(3)
        var lines = written.lines
        lines[2] = String(lines[2].prefix(40))
        let result = try written.verify(lines, terminated: false)
        #expect(result.firstBadLine == 3)
        #expect(result.problem?.contains("incomplete") == true)
    }

    @Test func intactCountsRecords() throws {
        let written = try Written(7)
        let result = try AuditVerifier.verify(path: written.path)
        #expect(result.isIntact && result.records == 7)
    }
}
