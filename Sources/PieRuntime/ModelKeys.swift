import PieLocal

/// The API keys a run may use: the environment's, the ones `pie login` stored, and those a
/// `models.json` configures.
public enum ModelKeys {
    /// Unreadable stored keys are reported through `onWarning` and skipped; the others still work.
    public static func load(
        environment: PieEnvironment, registry: ModelRegistry, onWarning: (AgentBuildWarning) -> Void
    ) -> APIKeys {
        var saved: [String: String] = [:]
        if let store = AuthStore(environment: environment) {
            do {
                saved = try store.keys()
            } catch {
                onWarning(.savedKeys(error.description))
            }
        }
        return APIKeys(environment: environment, saved: saved, configured: registry.configuredKeys)
    }
}
