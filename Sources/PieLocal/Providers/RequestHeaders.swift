/// Headers every adapter sends, plus the model's own `headers`.
enum RequestHeaders {
    static func build(
        model: ModelDescriptor, streaming: Bool, auth: [(name: String, value: String)]
    ) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = [
            ("Content-Type", "application/json"),
            ("Accept", streaming ? "text/event-stream" : "application/json"),
        ]
        headers += auth
        for name in model.headers.keys.sorted() {
            if let value = model.headers[name] { headers.append((name, value)) }
        }
        return headers
    }

    /// `Authorization: Bearer` for OpenAI-style APIs; omitted when there is no key (local servers).
    static func bearer(_ apiKey: String?) -> [(name: String, value: String)] {
        guard let apiKey, !apiKey.isEmpty else { return [] }
        return [("Authorization", "Bearer \(apiKey)")]
    }
}
