/// `${…}` references in a configured value (a webhook header, an MCP server's `env` or token),
/// replaced when the value is used, so a secret need not be written in the file. Only `${…}` is
/// special: a lone `$` stays as written. The caller says what a reference means and what an
/// unclosed one is, since the files word their errors differently.
public enum VariableReferences {
    /// `text` with each `${REFERENCE}` replaced by `value(REFERENCE)`; `unclosed` gets the text
    /// from a `${` that no `}` closes.
    public static func expand<Failure: Error>(
        _ text: String, unclosed: (Substring) -> Failure, value: (String) throws(Failure) -> String
    ) throws(Failure) -> String {
        var out = ""
        var rest = Substring(text)
        while let start = rest.firstRange(of: "${") {
            out += rest[..<start.lowerBound]
            let after = rest[start.upperBound...]
            guard let end = after.firstIndex(of: "}") else { throw unclosed(rest[start.lowerBound...]) }
            out += try value(String(after[..<end]))
            rest = after[after.index(after: end)...]
        }
        return out + rest
    }
}
