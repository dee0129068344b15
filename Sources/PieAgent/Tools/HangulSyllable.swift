/// Hangul syllables decompose into jamo and compose back arithmetically (The Unicode Standard,
/// §3.12), so `NormalizationData` leaves their 11,172 entries out.
enum HangulSyllable {
    private static let syllableBase: UInt32 = 0xAC00
    private static let leadingBase: UInt32 = 0x1100
    private static let vowelBase: UInt32 = 0x1161
    /// One before the first trailing consonant: a trailing index of 0 means "none".
    private static let trailingBase: UInt32 = 0x11A7
    private static let leadingCount: UInt32 = 19
    private static let vowelCount: UInt32 = 21
    private static let trailingCount: UInt32 = 28
    private static let syllableCount = leadingCount * vowelCount * trailingCount

    /// The jamo of a precomposed syllable (a trailing consonant is optional); nil for any other
    /// scalar.
    static func decompose(_ scalar: Unicode.Scalar) -> (Unicode.Scalar, Unicode.Scalar, Unicode.Scalar?)? {
        let index = scalar.value &- syllableBase
        guard index < syllableCount else { return nil }
        let trailing = index % trailingCount
        return (
            Self.scalar(leadingBase + index / (vowelCount * trailingCount)),
            Self.scalar(vowelBase + index % (vowelCount * trailingCount) / trailingCount),
            trailing == 0 ? nil : Self.scalar(trailingBase + trailing)
        )
    }

    /// The syllable formed by a leading consonant and a vowel, or by a syllable without a
    /// trailing consonant and a trailing consonant; nil for any other pair.
    static func compose(_ first: Unicode.Scalar, _ second: Unicode.Scalar) -> Unicode.Scalar? {
        let leading = first.value &- leadingBase
        let vowel = second.value &- vowelBase
        if leading < leadingCount, vowel < vowelCount {
            return scalar(syllableBase + (leading * vowelCount + vowel) * trailingCount)
        }
        let syllable = first.value &- syllableBase
        let trailing = second.value &- trailingBase
        if syllable < syllableCount, syllable % trailingCount == 0, trailing > 0, trailing < trailingCount {
            return scalar(first.value + trailing)
        }
        return nil
    }

    /// Every value built above is a valid scalar in the BMP outside the surrogates.
    private static func scalar(_ value: UInt32) -> Unicode.Scalar {
        Unicode.Scalar(value) ?? "\u{FFFD}"
    }
}
