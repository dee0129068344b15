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

    /// Compiles `source` once to refuse a pattern that cannot be used.
    init(_ source: String, keyword: String, at location: String) throws(JSONSchemaError) {
        self.source = source
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

    /// Whether `pattern` matches somewhere in `text`. A pattern that compiled when the schema did
    /// compiles again; should it not, the text is reported as not matching rather than passed.
    mutating func matches(_ pattern: JSONSchemaPattern, _ text: String) -> Bool {
        if let regex = compiled[pattern.source] { return text.contains(regex) }
        guard let regex = try? JSONSchemaPattern.compile(pattern.source) else { return false }
        compiled[pattern.source] = regex
        return text.contains(regex)
    }
}
