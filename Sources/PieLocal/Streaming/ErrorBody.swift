import PieJSON
import PieSystem

/// Turns an error response body (JSON, plain text or an HTML error page) into one short line.
enum ErrorBody {
    static let maxLength = 300

    static func brief(_ body: [UInt8], secrets: [String]) -> String {
        let raw = String(decoding: body.prefix(64 * 1024), as: UTF8.self)
        let message = jsonMessage(body) ?? (looksLikeHTML(raw) ? stripTags(raw) : raw)
        let collapsed = message.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\t" || $0 == " " })
            .joined(separator: " ")
        let redacted = SecretRedactor(extraSecrets: secrets).redactCredentials(collapsed)
        return redacted.count > maxLength ? String(redacted.prefix(maxLength)) + "…" : redacted
    }

    /// `{"error":{"message":…}}` (OpenAI, Anthropic, Google, vLLM), `{"error":"…"}` (Ollama,
    /// llama.cpp) or `{"message":…}` / `{"detail":…}`.
    private static func jsonMessage(_ body: [UInt8]) -> String? {
        guard let value = try? JSONParser.parse(body) else { return nil }
        if let message = value["error"]?["message"]?.stringValue { return message }
        if let message = value["error"]?.stringValue { return message }
        if let message = value["message"]?.stringValue { return message }
        if let message = value["detail"]?.stringValue { return message }
        if let message = value[0]?["error"]?["message"]?.stringValue { return message }
        return JSONWriter.string(value, keys: .sorted)
    }

    private static func looksLikeHTML(_ text: String) -> Bool {
        let head = text.prefix(200).lowercased()
        return head.contains("<html") || head.contains("<!doctype") || head.contains("<body") || head.contains("<h1")
    }

    private static func stripTags(_ html: String) -> String {
        var output = ""
        var inTag = false
        for character in html {
            if character == "<" { inTag = true; output.append(" ") }
            else if character == ">" { inTag = false }
            else if !inTag { output.append(character) }
        }
        return output
    }
}
