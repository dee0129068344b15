/// "Did you mean" hints for misspelled field names, presets and commands.
public enum Spelling {
    /// The candidate fewest edits away from `word`, when it is close enough to be a plausible typo
    /// (at most a third of the word, and at least 2, edits); otherwise the only candidate `word`
    /// is a prefix of.
    public static func closest(to word: String, among candidates: [String]) -> String? {
        let limit = max(2, word.count / 3)
        if let best = candidates.map({ ($0, distance($0, word)) }).min(by: { $0.1 < $1.1 }), best.1 <= limit {
            return best.0
        }
        let prefixed = candidates.filter { !word.isEmpty && $0.hasPrefix(word) }
        return prefixed.count == 1 ? prefixed[0] : nil
    }

    /// Levenshtein distance over characters.
    public static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
