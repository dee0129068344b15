import Foundation
import Testing

@testable import PieAgent

/// The edit tool's normalised match on the Unicode cases NFKC exists for, and on the ones where
/// a decomposed form without composition would go wrong.
@Suite("edit: normalised match")
struct FuzzyMatchTests {
    private func replace(_ oldText: String, with newText: String, in content: String) -> Result<String, EditMatchError> {
        EditMatcher.apply([TextEdit(oldText: oldText, newText: newText)], to: content)
    }

    @Test func fullwidthLetters() {
        #expect(replace("Hello", with: "Bye", in: "say Ｈｅｌｌｏ now") == .success("say Bye now"))
        #expect(replace("Ｈｅｌｌｏ", with: "Bye", in: "say Hello now") == .success("say Bye now"))
    }

    @Test func ligatures() {
        #expect(replace("file", with: "path", in: "a \u{FB01}le b") == .success("a path b"))
        #expect(replace("\u{FB01}le", with: "path", in: "a file b") == .success("a path b"))
    }

    @Test func superscripts() {
        #expect(replace("x2 + y2", with: "r2", in: "let z = x\u{00B2} + y\u{00B2}\n") == .success("let z = r2\n"))
    }

    @Test func precomposedAndDecomposedLetters() {
        #expect(replace("cafe\u{0301}", with: "tea", in: "un caf\u{00E9} noir") == .success("un tea noir"))
        #expect(replace("caf\u{00E9}", with: "tea", in: "un cafe\u{0301} noir") == .success("un tea noir"))
    }

    /// In decomposed text `cafe` would be a prefix of `café` and count as a second occurrence.
    @Test func aBaseLetterIsNotANearDuplicateOfItsAccentedForm() {
        #expect(replace("cafe", with: "tea", in: "caf\u{00E9}\ncafe\n") == .success("caf\u{00E9}\ntea\n"))
        #expect(replace("cafe", with: "tea", in: "caf\u{00E9}\n") == .failure(.notFound(index: 0)))
    }

    @Test func combiningMarksInEitherOrder() {
        let expected: Result<String, EditMatchError> = .success("x S y")
        #expect(replace("s\u{0323}\u{0307}", with: "S", in: "x s\u{0307}\u{0323} y") == expected)
        #expect(replace("s\u{0307}\u{0323}", with: "S", in: "x s\u{0323}\u{0307} y") == expected)
        #expect(replace("\u{1E69}", with: "S", in: "x s\u{0307}\u{0323} y") == expected)
    }

    @Test func hangulSyllablesAndJamo() {
        let jamo = "\u{1112}\u{1161}\u{11AB}\u{1100}\u{116E}\u{11A8}"
        #expect(replace(jamo, with: "X", in: "한국어") == .success("X어"))
        #expect(replace("한국", with: "X", in: jamo + "어") == .success("X어"))
        #expect(replace("\u{AC01}", with: "X", in: "\u{AC00}\u{11A8}!") == .success("X!"))
    }

    /// Compatibility jamo are separate characters; their NFKC forms compose into one syllable,
    /// which the match maps back to both.
    @Test func compositionAcrossCharacters() {
        #expect(replace("\u{B760}", with: "X", in: "(\u{3138}\u{3163})") == .success("(X)"))
        #expect(replace("\u{3138}\u{3163}", with: "X", in: "(\u{B760})") == .success("(X)"))
    }

    @Test func oddSpacesStillFold() {
        #expect(replace("a b", with: "X", in: "(a\u{00A0}b)") == .success("(X)"))
        #expect(replace("a\u{00A0}b", with: "X", in: "(a b)") == .success("(X)"))
        #expect(replace("a b", with: "X", in: "(a\u{3000}b)") == .success("(X)"))
    }

    /// A line matches its own NFKC and NFKD forms, as produced by Foundation. Brackets keep
    /// the sample from ending in whitespace, which the match leaves out.
    @Test func linesMatchTheirFoundationForms() {
        var random = NormalizationSplitMix(state: 0x4C49_4E45)
        for _ in 0..<1000 {
            let line = "[" + NormalizationSample.make(&random) + "]"
            for form in [line.precomposedStringWithCompatibilityMapping, line.decomposedStringWithCompatibilityMapping] {
                let result = replace(form, with: "X", in: "#\n" + line + "\n#")
                #expect(result == .success("#\nX\n#"), "\(Array(line.unicodeScalars)) vs \(Array(form.unicodeScalars))")
            }
        }
    }
}
