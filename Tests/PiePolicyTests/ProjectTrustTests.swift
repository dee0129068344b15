import Glibc
import PiePolicy
import PieSystem
import Testing

@Suite struct ProjectTrustTests {
    private func stateDirectory() throws -> String {
        var template = Array("/tmp/pie-trust-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
        return try #require(made.map { String(cString: $0) })
    }

    @Test func aFileIsUntrustedUntilTrustedAndAgainAfterAnyChange() throws {
        let trust = ProjectTrust(stateDirectory: try stateDirectory() + "/state")
        let file = "/work/project/.pie/mcp.toml"
        let original = Array("[[server]]\nname = \"gh\"\n".utf8)
        #expect(try trust.status(of: file, contents: original) == .untrusted)

        try trust.trust(file: file, contents: original)
        #expect(try trust.status(of: file, contents: original) == .trusted)
        #expect(try trust.status(of: "/work/other/.pie/mcp.toml", contents: original) == .untrusted)

        var changed = original
        changed.append(0x20)
        #expect(try trust.status(of: file, contents: changed) == .changed)

        #expect(try trust.revoke(file: file))
        #expect(try trust.status(of: file, contents: original) == .untrusted)
        #expect(try !trust.revoke(file: file))
    }

    /// `String` equality takes a composed and a decomposed `é` as one name; the kernel does not, so
    /// a repository cloned to the other spelling of a trusted project's path is a different project.
    @Test func canonicallyEquivalentPathsAreDifferentProjects() throws {
        let trust = ProjectTrust(stateDirectory: try stateDirectory())
        let composed = "/work/caf\u{E9}/.pie/mcp.toml"
        let decomposed = "/work/cafe\u{301}/.pie/mcp.toml"
        #expect(composed == decomposed, "the premise: Swift compares them as equal")
        let contents = Array("[[server]]\nname = \"gh\"\n".utf8)
        try trust.trust(file: composed, contents: contents)
        #expect(try trust.status(of: composed, contents: contents) == .trusted)
        #expect(try trust.status(of: decomposed, contents: contents) == .untrusted)
        try trust.trust(file: decomposed, contents: contents)
        #expect(try trust.entries().map { Array($0.file.utf8) } == [Array(decomposed.utf8), Array(composed.utf8)])
        #expect(try trust.revoke(file: composed))
        #expect(try trust.status(of: decomposed, contents: contents) == .trusted)
        #expect(try trust.status(of: composed, contents: contents) == .untrusted)
    }

    @Test func aDamagedStoreIsAnErrorNamingTheFileNotAnEmptyTrustList() throws {
        let state = try stateDirectory()
        try FileIO.writeAtomically(Array("{\"version\": 1, \"files\": [".utf8), to: state + "/trust.json", mode: 0o600)
        let trust = ProjectTrust(stateDirectory: state)
        #expect {
            try trust.status(of: "/p/.pie/hooks.toml", contents: [])
        } throws: { error in
            (error as? ProjectTrustError)?.description.contains(state + "/trust.json") == true
        }
    }
}
