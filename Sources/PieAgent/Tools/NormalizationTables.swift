/// `NormalizationData` parsed into sorted arrays for binary search.
///
/// Built on first use through `shared` (a global `let`, initialised once and thread-safely), so
/// start-up and edits whose text is below U+00A0 never pay for it. Parsing the ~90 KB of text
/// takes about a millisecond in a release build.
struct NormalizationTables: Sendable {
    static let shared = NormalizationTables(
        decompositions: NormalizationData.decompositions, compositions: NormalizationData.compositions)

    /// Scalars with a compatibility decomposition, ascending (the generator writes them in order).
    private var decomposable: [UInt32] = []
    /// `decomposable[i]` decomposes to `mappings[ends[i - 1]..<ends[i]]` (from 0 when `i` is 0).
    private var ends: [Int] = []
    private var mappings: [Unicode.Scalar] = []
    /// Canonical pairs as `first << 21 | second`, ascending, and the composite each one forms.
    private var pairs: [UInt64] = []
    private var composites: [Unicode.Scalar] = []
    /// The lowest scalar that ends a pair.
    private var lowestSecond: UInt32 = 0

    /// Rows that are not all valid scalars are skipped rather than trusted.
    init(decompositions: String, compositions: String) {
        Self.forEachRow(of: decompositions) { row in
            guard row.count >= 2 else { return }
            decomposable.append(row[0].value)
            mappings.append(contentsOf: row.dropFirst())
            ends.append(mappings.count)
        }
        var composing: [(key: UInt64, composite: Unicode.Scalar)] = []
        Self.forEachRow(of: compositions) { row in
            guard row.count == 3 else { return }
            composing.append((Self.pairKey(row[0], row[1]), row[2]))
        }
        composing.sort { $0.key < $1.key }
        pairs = composing.map(\.key)
        composites = composing.map(\.composite)
        lowestSecond = pairs.lazy.map { UInt32(truncatingIfNeeded: $0) & 0x1F_FFFF }.min() ?? 0
    }

    /// The full compatibility decomposition of `scalar`, or nil when it has none. Hangul
    /// syllables are not in the table; `CompatibilityNormalizer` decomposes them itself.
    func decomposition(of scalar: Unicode.Scalar) -> ArraySlice<Unicode.Scalar>? {
        guard scalar.value >= 0xA0, let index = Self.index(of: scalar.value, in: decomposable) else { return nil }
        return mappings[(index == 0 ? 0 : ends[index - 1])..<ends[index]]
    }

    /// The primary composite that canonical composition forms from `first` and `second`, if any.
    /// Most text never gets past the first comparison: no pair ends below U+0300.
    func composition(of first: Unicode.Scalar, _ second: Unicode.Scalar) -> Unicode.Scalar? {
        guard second.value >= lowestSecond else { return nil }
        return Self.index(of: Self.pairKey(first, second), in: pairs).map { composites[$0] }
    }

    private static func pairKey(_ first: Unicode.Scalar, _ second: Unicode.Scalar) -> UInt64 {
        UInt64(first.value) << 21 | UInt64(second.value)
    }

    private static func index<Key: Comparable>(of key: Key, in sorted: [Key]) -> Int? {
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < key { low = middle + 1 } else { high = middle }
        }
        return low < sorted.count && sorted[low] == key ? low : nil
    }

    /// Calls `body` with each row of hexadecimal scalar values: numbers separated by spaces,
    /// rows by `;` or a line break. Indentation and empty rows are ignored. One buffer serves
    /// every row, so parsing allocates nothing per row.
    private static func forEachRow(of text: String, _ body: ([Unicode.Scalar]) -> Void) {
        var row: [Unicode.Scalar] = []
        var valid = true
        var value: UInt32 = 0
        var digits = 0
        func endNumber() {
            if digits > 0 {
                if let scalar = Unicode.Scalar(value) { row.append(scalar) } else { valid = false }
            }
            value = 0
            digits = 0
        }
        func endRow() {
            endNumber()
            if valid, !row.isEmpty { body(row) }
            row.removeAll(keepingCapacity: true)
            valid = true
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = value &<< 4 | UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = value &<< 4 | UInt32(byte - UInt8(ascii: "A") + 10)
            case UInt8(ascii: " "): endNumber(); continue
            case UInt8(ascii: ";"), UInt8(ascii: "\n"): endRow(); continue
            default: valid = false; continue
            }
            digits += 1
            if digits > 6 { valid = false }
        }
        endRow()
    }
}
