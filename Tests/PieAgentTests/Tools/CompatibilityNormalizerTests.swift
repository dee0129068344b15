import Foundation
import Testing

@testable import PieAgent

/// pie's NFKC checked against the toolchain's Foundation, where its data comes from.
///
/// Foundation on Linux normalises with CoreFoundation, whose NFKC leaves a precomposed starter
/// uncomposed with a following starter (U+AC00 U+11A8 stays as is instead of becoming U+AC01;
/// likewise U+0CCA U+0CD5), although it composes their full decomposition. Its NFKD has no such
/// gap, so the oracle is Foundation's NFKC of Foundation's NFKD, which is NFKC by definition.
@Suite("NFKC without Foundation")
struct CompatibilityNormalizerTests {
    private static func scalars(_ string: String) -> [Unicode.Scalar] { Array(string.unicodeScalars) }

    private static func string(_ scalars: [Unicode.Scalar]) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    private static func oracle(_ text: String) -> [Unicode.Scalar] {
        scalars(text.decomposedStringWithCompatibilityMapping.precomposedStringWithCompatibilityMapping)
    }

    private static func traced(_ text: String) -> [CompatibilityNormalizer.Traced] {
        text.unicodeScalars.enumerated().map { .init(scalar: $1, origin: $0..<$0 + 1) }
    }

    private static func ours(_ text: String) -> [Unicode.Scalar] {
        CompatibilityNormalizer.normalize(traced(text)).map(\.scalar)
    }

    /// Planes 3 to 13 hold only unified ideographs and unassigned code points, 15 and 16 private
    /// use: nothing there decomposes or composes, so they are left out to keep the test short.
    @Test func everyScalarAgreesWithFoundation() {
        var mismatches: [String] = []
        for value in Array(UInt32(0)...0x2FFFF) + Array(0xE0000...0xEFFFF) {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = String(scalar)
            if Self.ours(text) != Self.oracle(text) { mismatches.append(String(value, radix: 16)) }
        }
        #expect(mismatches.isEmpty, "U+\(mismatches.prefix(20).joined(separator: " U+"))")
    }

    @Test func knownForms() {
        #expect(Self.ours("Ｈｅｌｌｏ") == Self.scalars("Hello"))
        #expect(Self.ours("\u{FB01}") == Self.scalars("fi"))
        #expect(Self.ours("x\u{00B2}") == Self.scalars("x2"))
        #expect(Self.ours("e\u{0301}") == ["\u{00E9}"])
        #expect(Self.ours("s\u{0307}\u{0323}") == ["\u{1E69}"])
        #expect(Self.ours("\u{1112}\u{1161}\u{11AB}") == ["\u{D55C}"])
        #expect(Self.ours("\u{AC00}\u{11A8}") == ["\u{AC01}"])
        #expect(Self.ours("\u{D55C}") == ["\u{D55C}"])
        #expect(Self.ours("a\u{0328}\u{0301}") == ["\u{0105}", "\u{0301}"])
        #expect(Self.ours("\u{0301}e") == ["\u{0301}", "e"])
    }

    /// A composite stands for all of its parts; a decomposed scalar's parts each stand for it.
    @Test func originsFollowTheScalars() {
        let composed = CompatibilityNormalizer.normalize(Self.traced("xs\u{0307}\u{0323}y"))
        #expect(composed.map(\.scalar) == ["x", "\u{1E69}", "y"])
        #expect(composed.map(\.origin) == [0..<1, 1..<4, 4..<5])
        let decomposed = CompatibilityNormalizer.normalize(Self.traced("a\u{FB03}b"))
        #expect(decomposed.map(\.scalar) == ["a", "f", "f", "i", "b"])
        #expect(decomposed.map(\.origin) == [0..<1, 1..<2, 1..<2, 1..<2, 2..<3])
    }

    @Test func randomStringsAgreeWithFoundation() {
        var random = NormalizationSplitMix(state: 0x4E46_4B43)
        for _ in 0..<4000 {
            let text = NormalizationSample.make(&random)
            let normal = Self.ours(text)
            #expect(normal == Self.oracle(text), "\(Self.hex(text))")
            for form in [
                text.decomposedStringWithCompatibilityMapping, text.precomposedStringWithCompatibilityMapping,
                text.decomposedStringWithCanonicalMapping, text.precomposedStringWithCanonicalMapping,
            ] {
                #expect(Self.ours(form) == normal, "\(Self.hex(text)) vs \(Self.hex(form))")
            }
        }
    }

    /// Equality of normal forms is what matching relies on, so it is compared pair by pair, with
    /// pairs that are often equivalent: a string against one of its other forms, or against a
    /// copy with one scalar replaced by a variant.
    @Test func randomPairsAgreeWithFoundationEquality() {
        var random = NormalizationSplitMix(state: 0x5041_4952)
        var equivalentPairs = 0
        for _ in 0..<4000 {
            let first = NormalizationSample.make(&random)
            let second = NormalizationSample.variant(of: first, using: &random)
            // String's == is canonical equivalence, which CoreFoundation's gaps in composition
            // cannot upset; the two must agree, as NFKC and NFKD equality are the same relation.
            let expected = first.precomposedStringWithCompatibilityMapping
                == second.precomposedStringWithCompatibilityMapping
            #expect(
                expected
                    == (first.decomposedStringWithCompatibilityMapping
                        == second.decomposedStringWithCompatibilityMapping))
            #expect((Self.ours(first) == Self.ours(second)) == expected, "\(Self.hex(first)) vs \(Self.hex(second))")
            if expected { equivalentPairs += 1 }
        }
        #expect(equivalentPairs > 500)
    }

    @Test func tablesParseEveryRow() {
        let tables = NormalizationTables.shared
        #expect(tables.decomposition(of: "\u{FB01}") == ["f", "i"])
        #expect(tables.decomposition(of: "a") == nil)
        #expect(tables.composition(of: "e", "\u{0301}") == "\u{00E9}")
        #expect(tables.composition(of: "\u{0CCA}", "\u{0CD5}") == "\u{0CCB}")
        #expect(tables.composition(of: "e", "e") == nil)
    }

    @Test func malformedRowsAreSkipped() {
        let tables = NormalizationTables(decompositions: "A0 20;ZZ 41;D800 41;\n  B2 32", compositions: "41 300;41 300 C0")
        #expect(tables.decomposition(of: "\u{00A0}") == [" "])
        #expect(tables.decomposition(of: "\u{00B2}") == ["2"])
        #expect(tables.composition(of: "A", "\u{0300}") == "\u{00C0}")
    }

    private static func hex(_ text: String) -> String {
        text.unicodeScalars.map { "U+" + String($0.value, radix: 16, uppercase: true) }.joined(separator: " ")
    }
}

/// SplitMix64: small, seeded and deterministic, so a failing input can be replayed.
struct NormalizationSplitMix: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

/// Short strings from the ranges where normalisation does something: letters with and without
/// diacritics, combining marks, Greek, Indic vowel signs that compose, Hangul syllables and jamo,
/// and compatibility characters (fullwidth, ligatures, super- and subscripts, enclosed and
/// squared forms, presentation forms, mathematical letters, CJK compatibility ideographs).
enum NormalizationSample {
    static let ranges: [ClosedRange<UInt32>] = [
        0x41...0x5A, 0x61...0x7A, 0xA0...0x24F, 0x300...0x36F, 0x370...0x3FF, 0x591...0x5C7,
        0x900...0x97F, 0xB00...0xB7F, 0xBC6...0xBD7, 0xC46...0xC56, 0xCBF...0xCD6, 0xD46...0xD57,
        0xDD9...0xDDF, 0xF00...0xFBC, 0x1025...0x102E, 0x1100...0x11FF, 0x1B05...0x1B44, 0x1E00...0x1FFF,
        0x2000...0x20CF, 0x2100...0x218F, 0x2460...0x24FF, 0x3000...0x30FF, 0x3131...0x318E,
        0x3200...0x33FF, 0xAC00...0xAC40, 0xD558...0xD578, 0xF900...0xFAFF, 0xFB00...0xFB4F,
        0xFB50...0xFDFF, 0xFE10...0xFE6F, 0xFF01...0xFFEE, 0x1D400...0x1D7FF, 0x1F100...0x1F2FF,
        0x2F800...0x2FA1D,
    ]

    static func make(_ random: inout NormalizationSplitMix) -> String {
        var view = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 1...8, using: &random) { view.append(scalar(&random)) }
        return String(view)
    }

    static func variant(of text: String, using random: inout NormalizationSplitMix) -> String {
        switch Int.random(in: 0..<5, using: &random) {
        case 0: return text.decomposedStringWithCompatibilityMapping
        case 1: return text.precomposedStringWithCompatibilityMapping
        case 2: return text.decomposedStringWithCanonicalMapping
        case 3: return make(&random)
        default:
            var scalars = Array(text.decomposedStringWithCompatibilityMapping.unicodeScalars)
            scalars[Int.random(in: scalars.indices, using: &random)] = scalar(&random)
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars)
            return String(view)
        }
    }

    private static func scalar(_ random: inout NormalizationSplitMix) -> Unicode.Scalar {
        while true {
            let range = ranges[Int.random(in: ranges.indices, using: &random)]
            if let scalar = Unicode.Scalar(UInt32.random(in: range, using: &random)) { return scalar }
        }
    }
}
