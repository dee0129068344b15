/// A `pattern` or `patternProperties` regular expression, matched as JSON Schema says: anywhere in
/// the string (unanchored unless the pattern anchors itself).
///
/// JSON Schema patterns are ECMA-262 regular expressions. pie compiles them with the standard
/// library's `Regex` (no Foundation), whose syntax covers the ECMA-262 core servers use (classes,
/// groups, alternation, quantifiers, anchors, lookahead, `\d \w \s \b`, `\uXXXX`), set to ECMA's
/// meanings where they differ from Swift's defaults: `\d` and `\w` (and so `\b`) are ASCII, and
/// matching is over Unicode scalars, not grapheme clusters. A pattern `Regex` cannot compile
/// refuses the schema. `Regex` values are not `Sendable`, so the source is kept and compiled again
/// by each validation that needs it.
struct JSONSchemaPattern: Sendable, Equatable {
    let source: String
    /// The longest string this pattern is matched against (`JSONSchemaPatternShape`).
    let lengthLimit: Int?

    /// Compiles `source` once to refuse a pattern that cannot be used, or whose matching could
    /// take exponential time.
    init(_ source: String, keyword: String, at location: String) throws(JSONSchemaError) {
        self.source = source
        let shape = JSONSchemaPatternShape(source)
        lengthLimit = shape.lengthLimit
        if let nested = shape.nestedRepetition {
            throw JSONSchemaError(
                location: location, keyword: keyword,
                reason: "the regular expression \(JSONValue.string(source).rendered) repeats a repetition (\(nested)), "
                    + "which can take exponential time on a crafted string; the schema is refused")
        }
        do {
            _ = try Self.compile(source)
        } catch {
            throw JSONSchemaError(
                location: location, keyword: keyword,
                reason: "the regular expression \(JSONValue.string(source).rendered) does not compile (\(error)); "
                    + "pie could not check it, so the schema is refused")
        }
    }

    static func compile(_ source: String) throws -> Regex<AnyRegexOutput> {
        try Regex(source)
            .matchingSemantics(.unicodeScalar)
            .asciiOnlyDigits()
            .asciiOnlyWordCharacters()
            .wordBoundaryKind(.simple)
    }
}

/// The compiled patterns of one validation, each compiled at its first use.
struct JSONSchemaPatternCache {
    private var compiled: [String: Regex<AnyRegexOutput>] = [:]

    /// Whether `pattern` matches somewhere in `text`; nil when `text` is longer than the
    /// pattern's length limit and so was not matched. A pattern that compiled when the schema did
    /// compiles again; should it not, the text is reported as not matching rather than passed.
    mutating func matches(_ pattern: JSONSchemaPattern, _ text: String) -> Bool? {
        if let limit = pattern.lengthLimit, text.unicodeScalars.count > limit { return nil }
        if let regex = compiled[pattern.source] { return text.contains(regex) }
        guard let regex = try? JSONSchemaPattern.compile(pattern.source) else { return false }
        compiled[pattern.source] = regex
        return text.contains(regex)
    }
}
