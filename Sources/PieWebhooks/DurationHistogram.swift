/// A Prometheus histogram of run durations in seconds: cumulative counts per upper bound. Built
/// from counts the store computes (`SUM(duration <= bound)`) or from a list of durations.
public struct DurationHistogram: Sendable, Equatable {
    /// From a second to two hours: agent runs take seconds to tens of minutes.
    public static let standardBounds: [Double] = [1, 5, 15, 30, 60, 120, 300, 600, 1_800, 3_600, 7_200]

    /// Upper bounds, ascending (the implicit last bucket is +Inf).
    public let bounds: [Double]
    /// Runs at most each bound long (cumulative), one per bound.
    public let cumulativeCounts: [Int]
    /// All runs observed (the +Inf bucket).
    public let count: Int
    /// Their total duration in seconds.
    public let sum: Double

    /// nil when the bounds are not strictly ascending, the counts do not match them or decrease,
    /// or exceed `count`.
    public init?(bounds: [Double], cumulativeCounts: [Int], count: Int, sum: Double) {
        guard bounds.count == cumulativeCounts.count, zip(bounds, bounds.dropFirst()).allSatisfy({ $0 < $1 }),
            zip(cumulativeCounts, cumulativeCounts.dropFirst()).allSatisfy({ $0 <= $1 }),
            (cumulativeCounts.last ?? 0) <= count, cumulativeCounts.allSatisfy({ $0 >= 0 })
        else { return nil }
        (self.bounds, self.cumulativeCounts, self.count, self.sum) = (bounds, cumulativeCounts, count, sum)
    }

    /// The histogram of `durations` (seconds) over `standardBounds`.
    public init(durations: [Double]) {
        bounds = Self.standardBounds
        cumulativeCounts = Self.standardBounds.map { bound in durations.count { $0 <= bound } }
        count = durations.count
        sum = durations.reduce(0, +)
    }

    /// No runs yet.
    public static let empty = DurationHistogram(durations: [])
}
