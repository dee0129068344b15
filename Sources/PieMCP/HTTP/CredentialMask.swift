import PieSystem

/// Keeps the bearer token and secret-named header values out of every message the transport
/// builds: server bodies quoted in errors may echo them back.
struct CredentialMask: Sendable {
    private let redactor: SecretRedactor

    init(_ configuration: StreamableHTTPConfiguration) {
        var secrets: [String] = []
        if let token = configuration.bearerToken { secrets.append(token) }
        for header in configuration.headers
        where header.name.lowercased() == "authorization" || SecretRedactor.isSecretName(header.name) {
            secrets.append(header.value)
            // `Authorization: Basic abc…` is echoed as the credential alone as often as whole.
            if let space = header.value.firstIndex(of: " ") { secrets.append(String(header.value[header.value.index(after: space)...])) }
        }
        redactor = SecretRedactor(extraSecrets: secrets)
    }

    /// Known secrets, then anything shaped like a credential (`Bearer …`, `"token": "…"`).
    func apply(_ text: String) -> String {
        redactor.redactCredentials(text)
    }

    /// The start of a body, as one line of text with credentials masked, for an error message.
    /// Masked before it is cut, so a token straddling the cut is not half shown.
    func brief(_ body: [UInt8], limit: Int = 300) -> String {
        let window = String(decoding: body.prefix(limit + 4_096), as: UTF8.self)
            .split(whereSeparator: { $0 == "\n" || $0 == "\r" }).joined(separator: " ")
        let masked = apply(window)
        return masked.count > limit ? masked.prefix(limit) + "…" : masked
    }
}
