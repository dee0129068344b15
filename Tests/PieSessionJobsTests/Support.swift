import Foundation
import PieAutomations
import PieScheduler
import PieSessionJobs
import Synchronization

/// A clock the test sets: no test waits for the times it checks. `delay` is short while a
/// deadline is ahead, so a running ticker notices the test moving time on.
final class TestClock: SchedulerClock {
    private let current: Mutex<Int64>

    init(_ seconds: Int64) {
        current = Mutex(seconds)
    }

    func set(_ seconds: Int64) {
        current.withLock { $0 = seconds }
    }

    func now() -> Instant {
        Instant(secondsSinceEpoch: current.withLock { $0 })
    }

    func delay(until deadline: Instant) -> Duration {
        now() >= deadline ? .zero : .milliseconds(5)
    }
}

/// A scratch directory holding a session file's place (the session file itself need not exist).
struct ScratchSession {
    let directory: String
    var sessionPath: String { directory + "/2027-01-15_0001.jsonl" }
    var files: SessionJobFiles { SessionJobFiles(sessionPath: sessionPath) }

    init() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pie-jobs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        directory = url.resolvingSymlinksInPath().path
    }

    func read(_ path: String) -> String? {
        try? String(contentsOfFile: path, encoding: .utf8)
    }

    func write(_ path: String, _ text: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// 2027-01-15T08:00:30Z.
let start: Int64 = 1_800_000_030
let rules = SessionJobRules(environment: ["TZ": "UTC"])

func instant(_ seconds: Int64) -> Instant { Instant(secondsSinceEpoch: seconds) }
