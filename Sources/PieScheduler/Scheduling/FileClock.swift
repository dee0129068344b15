import PieAutomations
import PieSystem
import Synchronization

/// FOR TESTS ONLY (`pie automations serve --clock-file`, a hidden flag): the time is the number
/// of seconds since the epoch written in a file, which the test rewrites to move time on, so
/// end-to-end tests of real processes never wait through real minutes. The file is read again
/// every 50 ms while a deadline is ahead; production never uses this clock.
public final class FileClock: SchedulerClock {
    public let path: String
    private let last = Mutex<Instant>(Instant(secondsSinceEpoch: 0))

    /// Fails when the file does not hold a time now, so a mistyped path stops `serve` at once.
    public init(path: String) throws(FileClockError) {
        self.path = path
        guard let first = Self.read(path) else { throw FileClockError(path: path) }
        last.withLock { $0 = first }
    }

    public func now() -> Instant {
        // A file caught mid-rewrite reads as the last time seen.
        guard let current = Self.read(path) else { return last.withLock { $0 } }
        return last.withLock { value in
            value = max(value, current)
            return value
        }
    }

    public func delay(until deadline: Instant) -> Duration {
        now() >= deadline ? .zero : .milliseconds(50)
    }

    static func read(_ path: String) -> Instant? {
        do {
            guard let bytes = try FileIO.read(path, limit: 64) else { return nil }
            let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: " \n\t\r")
            return Int64(text).map { Instant(secondsSinceEpoch: $0) }
        } catch {
            return nil
        }
    }
}

/// The clock file is missing or does not hold whole seconds since the epoch.
public struct FileClockError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var description: String {
        "--clock-file \(path): the file must hold whole seconds since the epoch (a test-only flag)"
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        let characters = Set(set)
        return String(drop { characters.contains($0) }.reversed().drop { characters.contains($0) }.reversed())
    }
}
