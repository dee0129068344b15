import PieAutomations

/// How long an accepted delivery's keys are remembered. Within the window a delivery with a
/// remembered key is a replay (409, nothing queued); after it the key may be forgotten.
public struct ReplayWindow: Sendable, Hashable {
    public let seconds: Int64

    /// A day: GitHub's "Redeliver" and a sender's retries fall well inside it.
    public static let standard = ReplayWindow(unchecked: 86_400)
    /// The shortest window allowed: a Slack timestamp is accepted up to five minutes either side
    /// of now, so a captured Slack request verifies for up to ten minutes; forgetting its key
    /// sooner would let it be replayed.
    public static let minimumSeconds: Int64 = 2 * SlackV0Verifier.defaultToleranceSeconds

    /// nil when `seconds` is shorter than `minimumSeconds`.
    public init?(seconds: Int64) {
        guard seconds >= Self.minimumSeconds else { return nil }
        self.seconds = seconds
    }

    private init(unchecked seconds: Int64) { self.seconds = seconds }

    /// True when a key last accepted at `seenAt` makes a delivery at `now` a replay. A key seen
    /// "in the future" (a clock stepped back) is still a replay: refusing is the safe side.
    public func isReplay(seenAt: Instant, now: Instant) -> Bool {
        now.secondsSinceEpoch < seenAt.secondsSinceEpoch + seconds
    }

    /// When a key accepted at `seenAt` may be forgotten.
    public func expiry(seenAt: Instant) -> Instant {
        Instant(secondsSinceEpoch: seenAt.secondsSinceEpoch + seconds)
    }
}
