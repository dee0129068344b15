/// One replacement requested by `edit`.
public struct TextEdit: Sendable, Equatable {
    public var oldText: String
    public var newText: String

    public init(oldText: String, newText: String) {
        self.oldText = oldText
        self.newText = newText
    }
}

/// Why a set of edits cannot be applied; `EditTool` turns it into pi's sentences.
enum EditMatchError: Error, Equatable {
    case emptyOldText(index: Int)
    case notFound(index: Int)
    case duplicate(index: Int, count: Int)
    case overlap(first: Int, second: Int)
    case noChange
}

/// Applies edits to LF-normalised text with pi's matching rules, rewriting only matched regions.
///
/// Every `oldText` is matched against the original. Exact matching comes first; if any edit has
/// no exact match, all are matched in the normalised space of `FuzzyText` (pi's rule). Unlike pi,
/// a normalised match is mapped back to the original characters it covers and only that region
/// is replaced, so quotes, dashes and trailing spaces elsewhere in the file are left untouched.
/// Uniqueness is counted in the normalised space, as in pi, so near-duplicates are refused too.
enum EditMatcher {
    static func apply(_ edits: [TextEdit], to content: String) -> Result<String, EditMatchError> {
        let original = Array(content.unicodeScalars)
        let needles = edits.map { Array($0.oldText.unicodeScalars) }
        if let empty = needles.firstIndex(where: \.isEmpty) { return .failure(.emptyOldText(index: empty)) }

        let exact = needles.map { ScalarSearch.first(of: $0, in: original) }
        let useFuzzy = exact.contains(nil)
        let fuzzy = FuzzyText(original)

        var matches: [(index: Int, range: Range<Int>)] = []
        for (index, needle) in needles.enumerated() {
            let fuzzyNeedle = FuzzyText(needle).scalars
            if fuzzyNeedle.isEmpty {
                guard let start = exact[index] else { return .failure(.notFound(index: index)) }
                let count = ScalarSearch.count(of: needle, in: original)
                if count > 1 { return .failure(.duplicate(index: index, count: count)) }
                matches.append((index, start..<start + needle.count))
                continue
            }
            let count = ScalarSearch.count(of: fuzzyNeedle, in: fuzzy.scalars)
            if count > 1 { return .failure(.duplicate(index: index, count: count)) }
            if !useFuzzy, let start = exact[index] {
                matches.append((index, start..<start + needle.count))
            } else if let start = ScalarSearch.first(of: fuzzyNeedle, in: fuzzy.scalars) {
                matches.append((index, fuzzy.originalRange(start..<start + fuzzyNeedle.count)))
            } else {
                return .failure(.notFound(index: index))
            }
        }

        matches.sort { $0.range.lowerBound < $1.range.lowerBound }
        for (previous, current) in zip(matches, matches.dropFirst())
        where previous.range.upperBound > current.range.lowerBound {
            return .failure(.overlap(first: previous.index, second: current.index))
        }

        var result = original
        for match in matches.reversed() {
            result.replaceSubrange(match.range, with: edits[match.index].newText.unicodeScalars)
        }
        guard result != original else { return .failure(.noChange) }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: result)
        return .success(String(view))
    }
}

/// pi's `normalizeForFuzzyMatch`, keeping for every normalised scalar the original scalars it
/// came from: NFKC (`CompatibilityNormalizer`), trailing whitespace stripped from every line,
/// smart quotes to ASCII quotes, Unicode dashes to `-`, odd spaces to a plain space.
///
/// Origins are whole characters (grapheme clusters), so a normalised match never rewrites part
/// of a character.
struct FuzzyText {
    private(set) var scalars: [Unicode.Scalar] = []
    /// For each normalised scalar, the range of original scalars that produced it.
    private var origins: [Range<Int>] = []

    init(_ original: [Unicode.Scalar]) {
        var traced: [CompatibilityNormalizer.Traced] = []
        traced.reserveCapacity(original.count)
        var view = String.UnicodeScalarView()
        view.append(contentsOf: original)
        var position = 0
        for character in String(view) {
            let count = character.unicodeScalars.count
            let origin = position..<position + count
            position += count
            for scalar in character.unicodeScalars { traced.append(.init(scalar: scalar, origin: origin)) }
        }

        let normalized = CompatibilityNormalizer.normalize(traced)
        scalars.reserveCapacity(normalized.count)
        origins.reserveCapacity(normalized.count)
        for element in normalized {
            if element.scalar == "\n" { trimTrailingWhitespace() }
            scalars.append(Self.fold(element.scalar))
            origins.append(element.origin)
        }
        trimTrailingWhitespace()
    }

    /// The original scalars covered by a range of normalised scalars. Canonical ordering can
    /// move a mark past another and a composite stands for all its parts, so the bounds are
    /// taken over the whole range rather than from its ends.
    func originalRange(_ range: Range<Int>) -> Range<Int> {
        let covered = origins[range]
        let lower = covered.lazy.map(\.lowerBound).min() ?? 0
        let upper = covered.lazy.map(\.upperBound).max() ?? 0
        return lower..<upper
    }

    /// JavaScript's `trimEnd` on the line being built.
    private mutating func trimTrailingWhitespace() {
        while let last = scalars.last, last != "\n", last.properties.isWhitespace || last == "\u{FEFF}" {
            scalars.removeLast()
            origins.removeLast()
        }
    }

    static func fold(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        switch scalar.value {
        case 0x2018...0x201B: "'"
        case 0x201C...0x201F: "\""
        case 0x2010...0x2015, 0x2212: "-"
        case 0x00A0, 0x2002...0x200A, 0x202F, 0x205F, 0x3000: " "
        default: scalar
        }
    }
}

/// Substring search on scalar arrays (JavaScript `indexOf` and `split(...).length - 1`).
enum ScalarSearch {
    static func first(of needle: [Unicode.Scalar], in haystack: [Unicode.Scalar], from start: Int = 0) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        let head = needle[0]
        var index = start
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == head, haystack[index..<index + needle.count].elementsEqual(needle) {
                return index
            }
            index += 1
        }
        return nil
    }

    /// Non-overlapping occurrences.
    static func count(of needle: [Unicode.Scalar], in haystack: [Unicode.Scalar]) -> Int {
        var count = 0
        var start = 0
        while let found = first(of: needle, in: haystack, from: start) {
            count += 1
            start = found + needle.count
        }
        return count
    }
}
