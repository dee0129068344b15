/// Unicode NFKC without Foundation, which pie does not link (its start-up costs ~2 ms) and whose
/// `precomposedStringWithCompatibilityMapping` was the only reason `EditMatcher` imported it.
///
/// NFKC is computed as the standard defines it: full compatibility decomposition (the generated
/// `NormalizationData`, plus arithmetic for Hangul syllables), canonical ordering of combining
/// marks by the stdlib's `canonicalCombiningClass`, then canonical composition.
///
/// Composition is needed even though decomposed text has the same equality relation:
/// `EditMatcher` searches for substrings, and in decomposed text `cafe` is a prefix of `café`,
/// so it would match inside it and count it as a near-duplicate. Composed, it does not.
///
/// The whole text is normalised as one stream, so a composition may join scalars that were not
/// one character before (compatibility jamo `ㄸㅣ` become conjoining jamo, which compose to
/// `띠`). Every scalar carries the range of source scalars it stands for, and a composite gets
/// the union of its parts' ranges, so a match can be mapped back to the source.
enum CompatibilityNormalizer {
    /// A scalar and the range of source scalars it stands for.
    struct Traced {
        var scalar: Unicode.Scalar
        var origin: Range<Int>

        /// Becomes `composite`, standing for its own source and for `other`'s.
        mutating func compose(with other: Traced, into composite: Unicode.Scalar) {
            scalar = composite
            origin = min(origin.lowerBound, other.origin.lowerBound)..<max(origin.upperBound, other.origin.upperBound)
        }
    }

    /// The NFKC form of `text`. Text without a scalar from U+00A0 up is its own NFKC and is
    /// returned as it is, without loading the tables.
    static func normalize(_ text: [Traced]) -> [Traced] {
        guard text.contains(where: { $0.scalar.value >= 0xA0 }) else { return text }
        let tables = NormalizationTables.shared
        var output: [Traced] = []
        output.reserveCapacity(text.count)
        for traced in text {
            if traced.scalar.value < 0xA0 {
                output.append(traced)
            } else if case let (leading, vowel, trailing)? = HangulSyllable.decompose(traced.scalar) {
                output.append(Traced(scalar: leading, origin: traced.origin))
                output.append(Traced(scalar: vowel, origin: traced.origin))
                if let trailing { output.append(Traced(scalar: trailing, origin: traced.origin)) }
            } else if let mapping = tables.decomposition(of: traced.scalar) {
                for part in mapping { appendOrdered(Traced(scalar: part, origin: traced.origin), to: &output) }
            } else {
                appendOrdered(traced, to: &output)
            }
        }
        compose(&output, tables: tables)
        return output
    }

    /// Scalars below U+0300 are all starters; the stdlib lookup is skipped for them.
    private static func combiningClass(_ scalar: Unicode.Scalar) -> UInt8 {
        scalar.value < 0x300 ? 0 : scalar.properties.canonicalCombiningClass.rawValue
    }

    /// Appends a decomposed scalar, moving a combining mark back past marks of a higher class:
    /// an insertion sort, so marks of equal class keep their order (canonical ordering).
    private static func appendOrdered(_ traced: Traced, to output: inout [Traced]) {
        output.append(traced)
        let ccc = combiningClass(traced.scalar)
        guard ccc != 0 else { return }
        var index = output.count - 1
        while index > 0, combiningClass(output[index - 1].scalar) > ccc {
            output.swapAt(index - 1, index)
            index -= 1
        }
    }

    /// Canonical composition in place. A scalar joins the last starter unless a scalar between
    /// them is a starter or has a class at least its own (it is "blocked"); marks between are
    /// in ascending class order, so the last one kept decides.
    private static func compose(_ text: inout [Traced], tables: NormalizationTables) {
        var starter: Int?
        var lastClass: UInt8 = 0
        var write = 0
        for read in text.indices {
            let traced = text[read]
            let ccc = combiningClass(traced.scalar)
            if let starter, write == starter + 1 || lastClass < ccc,
                let composite = composition(of: text[starter].scalar, traced.scalar, tables: tables)
            {
                text[starter].compose(with: traced, into: composite)
                continue
            }
            if ccc == 0 { starter = write }
            lastClass = ccc
            text[write] = traced
            write += 1
        }
        text.removeSubrange(write...)
    }

    private static func composition(
        of first: Unicode.Scalar, _ second: Unicode.Scalar, tables: NormalizationTables
    ) -> Unicode.Scalar? {
        if let syllable = HangulSyllable.compose(first, second) { return syllable }
        return tables.composition(of: first, second)
    }
}
