/// A model named as `provider:model` (`ds4:deepseek-v4-flash`), as `--model` takes it. Whether
/// the provider is configured is checked when a run starts, where models.json is read.
public struct ModelReference: Sendable, Hashable, CustomStringConvertible {
    public let provider: String
    public let model: String

    /// Nil unless `text` has a non-empty provider, a `:` and a non-empty model, with no spaces.
    public init?(_ text: String) {
        guard let colon = text.firstIndex(of: ":"), !text.contains(where: \.isWhitespace) else { return nil }
        let provider = String(text[..<colon]), model = String(text[text.index(after: colon)...])
        guard !provider.isEmpty, !model.isEmpty else { return nil }
        (self.provider, self.model) = (provider, model)
    }

    public var description: String { "\(provider):\(model)" }
}
