// Writes Sources/PieAgent/Tools/NormalizationData.swift: the Unicode data behind the edit tool's
// NFKC (CompatibilityNormalizer), taken from the toolchain's own Foundation so that pie, which
// does not link Foundation, uses the same Unicode data as Foundation's normalisation.
//
// Usage, from the package root (takes about ten seconds):
//     swift scripts/generate-normalization-data.swift > Sources/PieAgent/Tools/NormalizationData.swift
//
// Two tables, as hexadecimal text (a string literal compiles in a moment; a large array literal
// does not):
// - decompositions: every scalar whose full compatibility decomposition (NFKD) differs from the
//   scalar itself, mapped to that decomposition. Surrogates cannot be scalars and Hangul
//   syllables are decomposed arithmetically in code, so neither is listed.
// - compositions: the canonical pairs NFC composes. Foundation does not expose the one-step
//   decomposition mapping, so each primary composite C (a scalar with a canonical decomposition
//   that NFC restores) is split as NFC(NFD(C) without its last scalar) + that last scalar; the
//   first must be one scalar whose NFD is that prefix. (The check decomposes rather than
//   composing the pair: CoreFoundation's NFC leaves some precomposed pairs such as
//   U+0CCA U+0CD5 alone, while it composes their full decomposition.)
// Any inconsistency with the stdlib's canonical combining classes stops the script.
import Foundation

func scalars(_ string: String) -> [Unicode.Scalar] { Array(string.unicodeScalars) }

func string(_ scalars: [Unicode.Scalar]) -> String {
    var view = String.UnicodeScalarView()
    view.append(contentsOf: scalars)
    return String(view)
}

func hex(_ scalar: Unicode.Scalar) -> String { String(scalar.value, radix: 16, uppercase: true) }

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("generate-normalization-data: \(message)\n".utf8))
    exit(1)
}

/// True when every run of non-starters is in ascending combining-class order by the stdlib's
/// data, which CompatibilityNormalizer relies on when it sorts marks itself.
func isCanonicallyOrdered(_ scalars: [Unicode.Scalar]) -> Bool {
    var previous: UInt8 = 0
    for scalar in scalars {
        let ccc = scalar.properties.canonicalCombiningClass.rawValue
        if ccc != 0, ccc < previous { return false }
        previous = ccc
    }
    return true
}

let hangulSyllables: ClosedRange<UInt32> = 0xAC00...0xD7A3
var decompositions: [String] = []
var compositions: [String] = []

for value in UInt32(0)...0x10FFFF where !hangulSyllables.contains(value) {
    guard let scalar = Unicode.Scalar(value) else { continue }
    let single = String(scalar)

    let compatibility = scalars(single.decomposedStringWithCompatibilityMapping)
    if compatibility != [scalar] {
        guard isCanonicallyOrdered(compatibility) else { fail("U+\(hex(scalar)) NFKD is not in stdlib ccc order") }
        decompositions.append(([scalar] + compatibility).map(hex).joined(separator: " "))
    }

    let canonical = scalars(single.decomposedStringWithCanonicalMapping)
    guard canonical.count >= 2, scalars(string(canonical).precomposedStringWithCanonicalMapping) == [scalar] else {
        continue
    }
    let head = Array(canonical.dropLast())
    let first = scalars(string(head).precomposedStringWithCanonicalMapping)
    let second = canonical[canonical.count - 1]
    guard first.count == 1, scalars(String(first[0]).decomposedStringWithCanonicalMapping) == head else {
        fail("U+\(hex(scalar)) does not split into a composing pair")
    }
    compositions.append("\(hex(first[0])) \(hex(second)) \(hex(scalar))")
}

/// Entries joined with `;` into indented lines of at most 100 columns.
func literal(_ entries: [String]) -> String {
    var lines: [String] = []
    var line = ""
    for entry in entries {
        if !line.isEmpty, line.count + 1 + entry.count > 92 {
            lines.append("        " + line)
            line = ""
        }
        line += line.isEmpty ? entry : ";" + entry
    }
    if !line.isEmpty { lines.append("        " + line) }
    return lines.joined(separator: "\n")
}

print("""
    // Generated from the toolchain's Foundation by scripts/generate-normalization-data.swift;
    // do not edit. Regenerate after a toolchain upgrade, from the package root, with
    //     swift scripts/generate-normalization-data.swift \\
    //         > Sources/PieAgent/Tools/NormalizationData.swift

    /// The Unicode data behind `CompatibilityNormalizer`, as hexadecimal text that
    /// `NormalizationTables` parses once: a string literal compiles in a moment, a large array
    /// literal does not. Entries are separated by `;` or a line break.
    enum NormalizationData {
        /// \(decompositions.count) full compatibility decompositions (NFKD, canonically ordered): the
        /// scalar, then what it decomposes to. Hangul syllables are decomposed in code.
        static let decompositions = \"\"\"
    \(literal(decompositions))
            \"\"\"

        /// \(compositions.count) canonical compositions: the first scalar, the second, and the
        /// primary composite they form. Hangul syllables are composed in code.
        static let compositions = \"\"\"
    \(literal(compositions))
            \"\"\"
    }
    """)
