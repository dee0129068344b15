/// Where API keys come from, in order: the provider's environment variable, `auth.json`, then an
/// `apiKey` in models.json (pi form; an environment variable name or a literal).
public struct APIKeys: Sendable {
    public var environment: PieEnvironment
    public var saved: [String: String]
    public var configured: [String: String]

    public init(environment: PieEnvironment, saved: [String: String] = [:], configured: [String: String] = [:]) {
        self.environment = environment
        self.saved = saved
        self.configured = configured
    }

    /// Providers whose key, when present in the environment, makes them the default, in order.
    public static let detectionOrder: [(variable: String, provider: String)] = [
        ("ANTHROPIC_API_KEY", "anthropic"), ("OPENAI_API_KEY", "openai"), ("DS4_API_KEY", "ds4"),
        ("OPENROUTER_API_KEY", "openrouter"), ("GROQ_API_KEY", "groq"), ("MISTRAL_API_KEY", "mistral"),
        ("GEMINI_API_KEY", "google"), ("GOOGLE_API_KEY", "google"),
    ]

    /// Environment variables checked for `provider`.
    public static func variables(for provider: String) -> [String] {
        let known = detectionOrder.filter { $0.provider == provider }.map(\.variable)
        if !known.isEmpty { return known }
        let upper = provider.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }
        return [String(upper) + "_API_KEY"]
    }

    public func key(for provider: String) -> String? {
        for variable in Self.variables(for: provider) {
            if let value = environment[variable] { return value }
        }
        if let value = saved[provider], !value.isEmpty { return value }
        if let reference = configured[provider], !reference.isEmpty {
            return environment[reference] ?? reference
        }
        return nil
    }

    /// The first provider with a key in the environment, then the first with a saved key.
    public var defaultProvider: String? {
        if let found = Self.detectionOrder.first(where: { environment[$0.variable] != nil }) { return found.provider }
        return saved.keys.sorted().first
    }
}
