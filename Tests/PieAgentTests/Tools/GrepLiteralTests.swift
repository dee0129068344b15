import Testing

@testable import PieAgent

/// The literal prefilter: what `GrepLiteral` extracts, and a property test that the matcher with
/// the prefilter decides every line as the regex alone does.
@Suite("grep literal prefilter")
struct GrepLiteralTests {
    private func required(_ pattern: String, ignoreCase: Bool = false) -> String? {
        GrepLiteral.required(in: pattern, ignoreCase: ignoreCase).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func extractsTheLongestCertainRun() {
        #expect(required(#"func\s+(\w+)"#) == "func")
        #expect(required("foo.*barbaz") == "barbaz")
        #expect(required(#"\.swift$"#) == ".swift")
        #expect(required("colou?r") == "colo")
        #expect(required("ab+c") == "ab")
        #expect(required("x{2}yz") == "yz")
        #expect(required("foo[0-9]+bar") == "foo", "the scan stops at a class")
        #expect(required("(needle)haystack") == "haystack")
        #expect(required("^import Foundation") == "import Foundation")
    }

    @Test func yieldsNothingWhenUnsure() {
        #expect(required("foo|bar") == nil)
        #expect(required("foo|\u{301}bar") == nil, "an alternation even where `|` and a mark form one character")
        #expect(required("(?i)foo") == nil)
        #expect(required(#"\Qfoo\E"#) == nil)
        #expect(required("foo", ignoreCase: true) == nil)
        #expect(required("[a-z]+") == nil)
        #expect(required(#"\d+"#) == nil)
        #expect(required("a?b*") == nil)
    }

    @Test func dropsWhatWholeCharacterMatchingCouldSpellOtherwise() {
        #expect(required("cafe\u{301}s") == "caf", "e + U+0301 is one character, é")
        #expect(required(#"cafe\u{301}s"#) == "caf")
        #expect(required(#"ab\x41cd"#) == "a", "an escape with an argument ends the scan")
        #expect(required("Kelvin") == "elvin", "K is canonically equal to U+212A")
        #expect(required("a;b") == "a")
        #expect(required(#"\<word"#) == nil)
    }

    @Test func theMatcherCarriesTheLiteral() throws {
        guard case .regex(_, let literal) = try GrepMatcher(pattern: #"let\s+x"#, literal: false, ignoreCase: false) else {
            Issue.record("expected the regex path")
            return
        }
        #expect(literal == Array("let".utf8))
        let matcher = try GrepMatcher(pattern: #"let\s+x"#, literal: false, ignoreCase: false)
        #expect(!matcher.hasRequiredLiteral(Array("var x = 1".utf8)))
        #expect(matcher.hasRequiredLiteral(Array("letter".utf8)), "a candidate, not a match")
        #expect(!matcher.matches("letter"))
    }

    /// Random patterns and lines over an alphabet that includes the traps (canonical equivalents,
    /// combining marks, quantifiers, groups, classes): with and without the prefilter, every line
    /// gets the same answer, and a file with a matching line is never ruled out.
    @Test func prefilterNeverChangesAnAnswer() throws {
        let pieces = [
            "a", "b", "c", "K", "\u{212A}", ";", "é", "e", "e\u{301}", #"\u{301}"#, ".", #"\."#, "?", "*", "+", "(a|b)",
            "(ab)", "[ab]", "\u{301}", "|", #"\d"#, #"\w"#, #"\s"#, "^", "$", "x{2}", "(?:ab)", #"\b"#, " ", "ab", "abc", "-", "{", "}",
        ]
        let alphabet = ["a", "b", "c", "K", "\u{212A}", ";", "\u{037E}", "é", "e", "e\u{301}", "\u{301}", ".", "1", " ", "x", "ab", "-", "{}"]
        var random = NormalizationSplitMix(state: 0x5EED)
        var prefiltered = 0
        var compared = 0
        for _ in 0..<3000 {
            let pattern = (0..<Int.random(in: 1...6, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
            guard let matcher = try? GrepMatcher(pattern: pattern, literal: false, ignoreCase: false),
                case .regex(_, let literal) = matcher
            else { continue }
            if literal != nil { prefiltered += 1 }
            let plain = matcher.withoutPrefilter
            var lines: [String] = []
            for _ in 0..<12 {
                let line = (0..<Int.random(in: 0..<10, using: &random)).map { _ in alphabet.randomElement(using: &random)! }.joined()
                lines.append(line)
                compared += 1
                #expect(matcher.matches(Substring(line)) == plain.matches(Substring(line)), "pattern \(pattern) line \(line)")
            }
            if lines.contains(where: { plain.matches(Substring($0)) }) {
                #expect(matcher.hasRequiredLiteral(Array(lines.joined(separator: "\n").utf8)), "pattern \(pattern)")
            }
        }
        #expect(prefiltered > 300, "the property must exercise the prefilter (\(prefiltered) patterns had one)")
        #expect(compared > 10_000)
    }
}
