/// How much reasoning to ask for, in pi's vocabulary.
public enum ThinkingLevel: String, Sendable, Hashable, CaseIterable, Codable {
    case off, minimal, low, medium, high, xhigh
}

/// The thinking level actually used for a model, and what goes on the wire for it.
public struct ThinkingResolution: Sendable, Hashable {
    public var level: ThinkingLevel
    /// The provider's name for the level (from `thinkingLevelMap`), or `nil` for `off`.
    public var wireValue: String?
    /// Set when the requested level was replaced, e.g. "deepseek-v4-flash does not support
    /// thinking level off; using minimal".
    public var notice: String?

    /// Resolves `requested` against the model: non-reasoning models only have `off`; a level
    /// mapped to `null` is unsupported and the nearest supported level is used (searching upward
    /// first, as pi does); an unmapped level uses its own name.
    public init(requested: ThinkingLevel, model: ModelDescriptor) {
        guard model.reasoning else {
            level = .off
            wireValue = nil
            notice = requested == .off ? nil : "\(model.id) does not reason; thinking level \(requested.rawValue) ignored"
            return
        }
        let supported = model.supportedThinkingLevels
        let all = ThinkingLevel.allCases
        var chosen = requested
        if !supported.contains(requested), let start = all.firstIndex(of: requested) {
            let upward = all[start...].first(where: supported.contains)
            let downward = all[..<start].last(where: supported.contains)
            chosen = upward ?? downward ?? .off
        }
        level = chosen
        notice = chosen == requested
            ? nil
            : "\(model.id) does not support thinking level \(requested.rawValue); using \(chosen.rawValue)"
        if let mapped = model.thinkingLevelMap[chosen] {
            wireValue = mapped
        } else {
            wireValue = chosen == .off ? nil : chosen.rawValue
        }
    }

    /// Whether reasoning is switched on for this request.
    public var isEnabled: Bool { level != .off }
}
