/// When to compact and how much to keep. The defaults are pi's; `scaled(toWindow:)` shrinks them
/// for small local windows, where pi's fixed numbers would keep everything or leave no room.
public struct CompactionSettings: Sendable, Hashable {
    public var enabled: Bool
    /// Tokens left free for the reply: compaction starts above `window − reserve`.
    public var reserveTokens: Int
    /// Tokens of recent messages kept verbatim.
    public var keepRecentTokens: Int

    public static let defaultReserveTokens = 16_384
    public static let defaultKeepRecentTokens = 20_000

    public init(
        enabled: Bool = true, reserveTokens: Int = CompactionSettings.defaultReserveTokens,
        keepRecentTokens: Int = CompactionSettings.defaultKeepRecentTokens
    ) {
        self.enabled = enabled
        self.reserveTokens = reserveTokens
        self.keepRecentTokens = keepRecentTokens
    }

    /// The settings for a window: reserve at most a quarter of it, keep at most half of what
    /// remains. An 8k window gets reserve 2,048 and keep 3,072; 128k keeps pi's defaults.
    public func scaled(toWindow window: Int) -> CompactionSettings {
        let reserve = max(0, min(reserveTokens, window / 4))
        let keep = max(0, min(keepRecentTokens, (window - reserve) / 2))
        return CompactionSettings(enabled: enabled, reserveTokens: reserve, keepRecentTokens: keep)
    }
}
