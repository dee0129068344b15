/// Replaces secret values with `[REDACTED]` in tool output, audit records and error messages; the
/// one redactor of every pie module.
///
/// Secrets are the values of environment variables whose names contain KEY, TOKEN, SECRET or
/// PASSWORD (values of at least `minimumLength` bytes, shorter ones would redact ordinary words),
/// plus any extra values such as stored provider keys. Matching is on bytes with a first-byte
/// table, so redacting an output chunk costs one pass. Six bytes is the floor because the values of
/// variables such as `TOKEN_TTL=3600` or `SECRET_MODE=on` are ordinary words and numbers that
/// would otherwise be masked all over a command's output; no real credential is that short.
///
/// `redactCredentials` also masks credentials by their shape (`Bearer` tokens, JSON members named
/// like credentials), for provider error bodies, which may echo a key pie does not know as a value.
/// Tool output is not shape-redacted: a file the model reads legitimately holds `"token": …` members.
///
/// A secret split across two chunks is only caught when the caller redacts whole outputs (as the
/// audit log and the tools' final results do) or streams through `Stream`, which holds back a tail
/// that could be the start of a secret until the next chunk arrives.
public struct SecretRedactor: Sendable, Equatable {
    public static let marker = "[REDACTED]"
    public static let minimumLength = 6
    static let secretNameParts = ["KEY", "TOKEN", "SECRET", "PASSWORD"]

    /// Distinct secret values, longest first so a secret containing another is replaced whole.
    public let secrets: [[UInt8]]
    private let byFirstByte: [[Int]]

    public init(environment: [String: String] = [:], extraSecrets: [String] = []) {
        let named = environment.filter { Self.isSecretName($0.key) }.map(\.value)
        let candidates = Set((named + extraSecrets).filter { $0.utf8.count >= Self.minimumLength })
        secrets = candidates.map { Array($0.utf8) }.sorted {
            $0.count != $1.count ? $0.count > $1.count : $0.lexicographicallyPrecedes($1)
        }
        var table = [[Int]](repeating: [], count: 256)
        for (index, secret) in secrets.enumerated() { table[Int(secret[0])].append(index) }
        byFirstByte = table
    }

    /// Whether an environment variable name marks its value as a secret (case-insensitive).
    public static func isSecretName(_ name: String) -> Bool {
        let upper = name.uppercased()
        return secretNameParts.contains { upper.contains($0) }
    }

    public var isEmpty: Bool { secrets.isEmpty }

    public func redact(_ text: String) -> String {
        if secrets.isEmpty { return text }
        return String(decoding: redact(Array(text.utf8)), as: UTF8.self)
    }

    public func redact(_ bytes: [UInt8]) -> [UInt8] {
        if secrets.isEmpty { return bytes }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if let length = match(in: bytes, at: index) {
                result += Self.marker.utf8
                index += length
            } else {
                result.append(bytes[index])
                index += 1
            }
        }
        return result
    }

    /// The length of the secret starting at `index`, if one does.
    private func match(in bytes: [UInt8], at index: Int) -> Int? {
        for candidate in byFirstByte[Int(bytes[index])] {
            let secret = secrets[candidate]
            guard index + secret.count <= bytes.count else { continue }
            var equal = true
            for offset in 1..<secret.count where bytes[index + offset] != secret[offset] {
                equal = false
                break
            }
            if equal { return secret.count }
        }
        return nil
    }

    /// Redacts a stream chunk by chunk, holding back the shortest tail that might still grow into a
    /// secret, so a secret split across chunks is caught too.
    public struct Stream: Sendable {
        public let redactor: SecretRedactor
        private var held: [UInt8] = []

        public init(_ redactor: SecretRedactor) {
            self.redactor = redactor
        }

        /// Redacted bytes that are safe to emit now.
        public mutating func feed(_ chunk: [UInt8]) -> [UInt8] {
            let buffer = held + chunk
            let keep = pendingPrefixLength(buffer)
            held = Array(buffer.suffix(keep))
            return redactor.redact(Array(buffer.dropLast(keep)))
        }

        /// Whatever was held back, redacted; call once at the end.
        public mutating func finish() -> [UInt8] {
            defer { held = [] }
            return redactor.redact(held)
        }

        /// The longest suffix of `buffer` that is a proper prefix of some secret.
        private func pendingPrefixLength(_ buffer: [UInt8]) -> Int {
            guard let longest = redactor.secrets.first?.count else { return 0 }
            for length in stride(from: min(longest - 1, buffer.count), through: 1, by: -1) {
                let tail = buffer.suffix(length)
                if redactor.secrets.contains(where: { $0.count > length && $0.starts(with: tail) }) { return length }
            }
            return 0
        }
    }
}

extension SecretRedactor {
    /// JSON member names whose string values are masked by `redactCredentials`.
    static let credentialMembers = [
        "api_key", "apiKey", "api-key", "token", "access_token", "x-api-key", "password", "secret",
    ]

    /// The known secret values, then the token after each `Bearer ` and the string value of each
    /// JSON member named like a credential (`"api_key": "…"`, `"token": "…"`).
    public func redactCredentials(_ text: String) -> String {
        var result = redact(text)
        result = Self.maskToken(after: "Bearer ", in: result)
        result = Self.maskToken(after: "bearer ", in: result)
        for key in Self.credentialMembers {
            result = Self.maskJSONMember(key, in: result)
        }
        return result
    }

    /// Masks the token following `prefix` up to the next space, quote, comma or brace.
    private static func maskToken(after prefix: String, in text: String) -> String {
        var output = ""
        var rest = Substring(text)
        while let range = rest.firstRange(of: prefix) {
            output += rest[..<range.upperBound]
            let tail = rest[range.upperBound...]
            let end = tail.firstIndex(where: { " \"',\n\r}".contains($0) }) ?? tail.endIndex
            if end > tail.startIndex { output += marker }
            rest = tail[end...]
        }
        return output + rest
    }

    private static func maskJSONMember(_ key: String, in text: String) -> String {
        var output = ""
        var rest = Substring(text)
        let needle = "\"\(key)\""
        while let range = rest.firstRange(of: needle) {
            output += rest[..<range.upperBound]
            var tail = rest[range.upperBound...]
            let afterSeparator = tail.drop(while: { $0 == " " || $0 == ":" })
            guard afterSeparator.first == "\"", tail[..<afterSeparator.startIndex].contains(":") else {
                rest = tail
                continue
            }
            output += tail[..<afterSeparator.startIndex]
            tail = afterSeparator.dropFirst()
            let close = tail.firstIndex(of: "\"") ?? tail.endIndex
            output += "\"" + marker + "\""
            rest = close < tail.endIndex ? tail[tail.index(after: close)...] : tail[close...]
        }
        return output + rest
    }
}
