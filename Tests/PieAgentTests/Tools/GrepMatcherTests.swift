import Testing

@testable import PieAgent

@Suite("grep matcher")
struct GrepMatcherTests {
    private func matcher(_ pattern: String, literal: Bool = false, ignoreCase: Bool = false) throws -> GrepMatcher {
        try GrepMatcher(pattern: pattern, literal: literal, ignoreCase: ignoreCase)
    }

    @Test func plainWordsUseTheByteSearch() throws {
        let plain = try matcher("needle")
        guard case .bytes = plain else {
            Issue.record("expected the byte path")
            return
        }
        #expect(plain.matches("a needle here"))
        #expect(!plain.matches("a Needle here"))
        #expect(!plain.mayMatch(Array("nothing".utf8)))
    }

    @Test func asciiCaseFolding() throws {
        let folded = try matcher("NeEdLe", ignoreCase: true)
        #expect(folded.matches("NEEDLE"))
        #expect(folded.mayMatch(Array("x needle y".utf8)))
    }

    @Test func regexPatternsUseRegex() throws {
        let regex = try matcher("^fo+$")
        guard case .regex = regex else {
            Issue.record("expected the regex path")
            return
        }
        #expect(regex.matches("fooo"))
        #expect(!regex.matches("a foo"))
        #expect(regex.mayMatch([]))
    }

    @Test func literalMetacharactersAreLiteral() throws {
        #expect(try matcher("a.b(", literal: true).matches("x a.b( y"))
        #expect(try !matcher("a.b(", literal: true).matches("axb("))
        #expect(try matcher("é.(", literal: true, ignoreCase: true).matches("É.("))
    }

    @Test func invalidRegexIsReported() {
        #expect(throws: ToolFailure.self) { try GrepMatcher(pattern: "(", literal: false, ignoreCase: false) }
    }
}
