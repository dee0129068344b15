/// Removes credentials from text that may be shown to the user or written to logs.
enum Redactor {
    static let mask = "[redacted]"

    /// Replaces each known secret value, `Bearer` tokens, `sk-…`-style keys and JSON members
    /// named like credentials (`"api_key": "…"`, `"token": "…"`).
    static func redact(_ text: String, secrets: [String]) -> String {
        var result = text
        for secret in secrets where secret.count >= 4 {
            result = result.replacingAll(secret, with: mask)
        }
        result = redactAfter(prefix: "Bearer ", in: result)
        result = redactAfter(prefix: "bearer ", in: result)
        for key in ["api_key", "apiKey", "api-key", "token", "access_token", "x-api-key", "password", "secret"] {
            result = redactJSONMember(key, in: result)
        }
        return result
    }

    /// Masks the token following `prefix` up to the next space, quote or comma.
    private static func redactAfter(prefix: String, in text: String) -> String {
        var output = ""
        var rest = Substring(text)
        while let range = rest.firstRange(of: prefix) {
            output += rest[..<range.upperBound]
            let tail = rest[range.upperBound...]
            let end = tail.firstIndex(where: { " \"',\n\r}".contains($0) }) ?? tail.endIndex
            if end > tail.startIndex { output += mask }
            rest = tail[end...]
        }
        return output + rest
    }

    private static func redactJSONMember(_ key: String, in text: String) -> String {
        var output = ""
        var rest = Substring(text)
        let needle = "\"\(key)\""
        while let range = rest.firstRange(of: needle) {
            output += rest[..<range.upperBound]
            var tail = rest[range.upperBound...]
            let afterSpaces = tail.drop(while: { $0 == " " || $0 == ":" })
            guard afterSpaces.first == "\"", tail.prefix(while: { $0 == " " || $0 == ":" }).contains(":") else {
                rest = tail
                continue
            }
            output += tail[..<afterSpaces.startIndex]
            tail = afterSpaces.dropFirst()
            let close = tail.firstIndex(of: "\"") ?? tail.endIndex
            output += "\"" + mask + "\""
            rest = close < tail.endIndex ? tail[tail.index(after: close)...] : tail[close...]
        }
        return output + rest
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var output = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            output += rest[..<range.lowerBound]
            output += replacement
            rest = rest[range.upperBound...]
        }
        return output + rest
    }
}
