import Foundation
import Glibc
import Testing

@testable import PieSandbox

/// `ConfinedDirectory` on its own: whatever name or path its caller passes, nothing outside the
/// directory is created, replaced, read or removed.
@Suite("confined directory")
struct ConfinedDirectoryTests {
    let base: String

    init() throws {
        base = FileManager.default.temporaryDirectory.resolvingSymlinksInPath().path + "/pie-cdir-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
    }

    @Test("names with a '/', a leading dot or a NUL are refused before anything is opened", arguments: ["../x", "a/b", ".x", "..", "", "a\u{0}b"])
    func plainNamesOnly(_ name: String) throws {
        defer { try? FileManager.default.removeItem(atPath: base) }
        let directory = ConfinedDirectory(base: base, relative: "memory")
        #expect(throws: FileOperationError.self) { try directory.write(name, contents: [1]) }
        #expect(throws: FileOperationError.self) { try directory.read(name, maxBytes: 10) }
        #expect(throws: FileOperationError.self) { try directory.remove(name) }
        #expect(!FileManager.default.fileExists(atPath: base + "/memory"))
    }

    @Test("a relative path that climbs out is refused; a missing directory lists nothing and is created 0700 by a write")
    func relativePaths() throws {
        defer { try? FileManager.default.removeItem(atPath: base) }
        #expect(throws: FileOperationError.self) { try ConfinedDirectory(base: base, relative: "../escape").write("x", contents: [1]) }
        #expect(!FileManager.default.fileExists(atPath: base + "/../escape"))
        let nested = ConfinedDirectory(base: base, relative: ".pie/memory")
        #expect(try nested.entries().isEmpty)
        try nested.write("a.md", contents: Array("hi\n".utf8))
        for path in [base + "/.pie", base + "/.pie/memory"] {
            #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o700)
        }
        #expect(try FileManager.default.attributesOfItem(atPath: base + "/.pie/memory/a.md")[.posixPermissions] as? Int == 0o600)
        #expect(try nested.entries() == [ConfinedDirectory.Entry(name: "a.md", size: 3)])
        #expect(try nested.read("a.md", maxBytes: 3) == Array("hi\n".utf8))
        #expect(throws: FileOperationError.self) { try nested.read("a.md", maxBytes: 2) }
        try nested.remove("a.md")
        #expect(try nested.entries().isEmpty)
    }
}
