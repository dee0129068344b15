@testable import PieAgent
import PieJSON

/// pi-shaped message payloads for tests.
enum Messages {
    static func user(_ text: String) -> SessionEntryContent {
        .message(.object(JSONObject(["role": "user", "content": .string(text), "timestamp": 1_733_234_567_890])))
    }

    static func assistant(_ text: String, stopReason: String = "stop", model: String = "qwen3") -> SessionEntryContent {
        .message(
            .object(
                JSONObject([
                    "role": "assistant",
                    "content": .array([.object(JSONObject(["type": "text", "text": .string(text)]))]),
                    "provider": "local", "model": .string(model), "stopReason": .string(stopReason),
                ])))
    }
}

extension SessionContext {
    /// The text of each replayed item, for compact assertions.
    var texts: [String] { items.compactMap { $0.entry.text } }
}
