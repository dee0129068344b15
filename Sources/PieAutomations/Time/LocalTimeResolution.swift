/// What a local wall-clock time is in a zone: one instant, none (skipped by a forward change),
/// or two (repeated by a backward change).
enum LocalTimeResolution: Equatable, Sendable {
    case unique(Instant)
    /// The local time was skipped; `clockPassed` is the first instant whose local time is later
    /// (the instant of the change: 02:30 in a 02:00→03:00 gap gives 03:00 local).
    case skipped(clockPassed: Instant)
    /// The local time occurs twice; `endOfRepeat` is the local time (seconds since the epoch, as
    /// if UTC) from which wall-clock times are unique again.
    case repeated(first: Instant, second: Instant, endOfRepeat: Int64)
}

extension TimeZoneRules {
    /// A zone's offsets lie within ±`offsetBound` seconds; the instants of a local time do too.
    static let offsetBound: Int64 = 26 * 3600

    /// Resolves `local` (a wall-clock time as seconds since the epoch, as if it were UTC).
    /// Assumes at most one change of offset within a day either side, which holds for every zone
    /// in tzdata; with more, the answer is still an instant near the right one.
    func resolve(local: Int64) -> LocalTimeResolution {
        let before = Int64(offset(at: Instant(secondsSinceEpoch: local - Self.offsetBound)))
        let after = Int64(offset(at: Instant(secondsSinceEpoch: local + Self.offsetBound)))
        let early = local - before
        let late = local - after
        let earlyValid = Int64(offset(at: Instant(secondsSinceEpoch: early))) == before
        let lateValid = Int64(offset(at: Instant(secondsSinceEpoch: late))) == after
        switch (earlyValid, lateValid) {
        case (true, true) where early != late:
            let (first, second) = (min(early, late), max(early, late))
            // The change lies in (first, second]; unique wall-clock times resume at its instant
            // plus the offset before it.
            let change = firstInstant(in: first...second) { Int64(offset(at: Instant(secondsSinceEpoch: $0))) != before }
            return .repeated(
                first: Instant(secondsSinceEpoch: first), second: Instant(secondsSinceEpoch: second), endOfRepeat: change + before)
        case (true, _):
            return .unique(Instant(secondsSinceEpoch: early))
        case (false, true):
            return .unique(Instant(secondsSinceEpoch: late))
        case (false, false):
            let range = min(early, late)...max(early, late)
            let passed = firstInstant(in: range) { $0 + Int64(offset(at: Instant(secondsSinceEpoch: $0))) > local }
            return .skipped(clockPassed: Instant(secondsSinceEpoch: passed))
        }
    }

    /// The instant a scheduled wall-clock time fires at: a skipped time when the clock jumps past
    /// it, a repeated time at its first occurrence.
    func fireInstant(local: Int64) -> Instant {
        switch resolve(local: local) {
        case .unique(let instant), .skipped(clockPassed: let instant), .repeated(first: let instant, second: _, endOfRepeat: _):
            instant
        }
    }

    /// The smallest instant in `range` for which `isPast` holds (it must hold at the upper bound
    /// and, once true, stay true): a bisection over seconds.
    private func firstInstant(in range: ClosedRange<Int64>, where isPast: (Int64) -> Bool) -> Int64 {
        var low = range.lowerBound
        var high = range.upperBound
        while low < high {
            let middle = low + (high - low) / 2
            if isPast(middle) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
