import Foundation
import Glibc
@testable import PieAutomations
import PiePolicy
import Synchronization
@testable import PieTriggers

/// A sink that records everything and lets a test await a condition on what it recorded (with a
/// bound, so a trigger that never fires fails the test instead of hanging it).
final class RecordingSink: TriggerSink {
    struct Log: Sendable {
        var events: [TriggerEvent] = []
        var notices: [TriggerNotice] = []
    }

    private struct Waiter {
        var predicate: @Sendable (Log) -> Bool
        var continuation: CheckedContinuation<Bool, Never>
    }

    private struct State {
        var log = Log()
        var waiters: [Int: Waiter] = [:]
        var nextWaiter = 0
    }

    private let state = Mutex(State())

    func fire(_ event: TriggerEvent) { record { $0.events.append(event) } }
    func report(_ notice: TriggerNotice) { record { $0.notices.append(notice) } }

    var log: Log { state.withLock { $0.log } }
    var events: [TriggerEvent] { log.events }
    var notices: [TriggerNotice] { log.notices }

    private func record(_ change: (inout Log) -> Void) {
        let ready: [CheckedContinuation<Bool, Never>] = state.withLock { state in
            change(&state.log)
            let log = state.log
            let done = state.waiters.filter { $0.value.predicate(log) }
            for id in done.keys { state.waiters[id] = nil }
            return done.values.map(\.continuation)
        }
        ready.forEach { $0.resume(returning: true) }
    }

    /// True as soon as `predicate` holds; false when it still does not after `seconds`.
    func wait(seconds: Double = 20, until predicate: @escaping @Sendable (Log) -> Bool) async -> Bool {
        await withCheckedContinuation { continuation in
            let id: Int? = state.withLock { state in
                if predicate(state.log) { return nil }
                let id = state.nextWaiter
                state.nextWaiter += 1
                state.waiters[id] = Waiter(predicate: predicate, continuation: continuation)
                return id
            }
            guard let id else {
                continuation.resume(returning: true)
                return
            }
            Task {
                try? await Task.sleep(for: .seconds(seconds))
                let expired = self.state.withLock { $0.waiters.removeValue(forKey: id) }
                expired?.continuation.resume(returning: false)
            }
        }
    }

    /// The events of one automation, as (change, path).
    func fileChanges(_ id: String) -> [AutomationTrigger.FileEvent] {
        events.filter { $0.automation.rawValue == id }.compactMap {
            if case .file(let change, _) = $0.kind { return change }
            return nil
        }
    }
}

/// A clock a test moves by hand. Each `sleep` is counted, so a test can wait until a probe has
/// finished its run and gone back to sleep before it looks at what fired.
final class ManualClock: TriggerClock {
    private struct Sleeper {
        var deadline: Instant
        var continuation: CheckedContinuation<Bool, Never>
    }

    private struct State {
        var now: Instant
        var sleepers: [Int: Sleeper] = [:]
        var cancelled: Set<Int> = []
        var nextID = 0
        var sleeps = 0
    }

    private let state: Mutex<State>

    init(now: Instant = Instant(secondsSinceEpoch: 1_800_000_000)) {
        state = Mutex(State(now: now))
    }

    func now() -> Instant { state.withLock { $0.now } }

    var sleeps: Int { state.withLock { $0.sleeps } }

    func sleep(until deadline: Instant) async -> Bool {
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow: Bool? = state.withLock { state in
                    state.sleeps += 1
                    if state.cancelled.contains(id) { return false }
                    if deadline <= state.now { return true }
                    state.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    return nil
                }
                if let resumeNow { continuation.resume(returning: resumeNow) }
            }
        } onCancel: {
            let sleeper = state.withLock { state in
                state.cancelled.insert(id)
                return state.sleepers.removeValue(forKey: id)
            }
            sleeper?.continuation.resume(returning: false)
        }
    }

    func advance(seconds: Int64) {
        let due: [CheckedContinuation<Bool, Never>] = state.withLock { state in
            state.now = Instant(secondsSinceEpoch: state.now.secondsSinceEpoch + seconds)
            let now = state.now
            let due = state.sleepers.filter { $0.value.deadline <= now }
            for id in due.keys { state.sleepers[id] = nil }
            return due.values.map(\.continuation)
        }
        due.forEach { $0.resume(returning: true) }
    }

    /// True once `count` sleeps have begun; false after `seconds` (bounded polling of the
    /// probe task, which runs a real sandboxed process).
    func waitForSleeps(_ count: Int, seconds: Double = 30) async -> Bool {
        let clock = ContinuousClock()
        let end = clock.now + .seconds(seconds)
        while clock.now < end {
            if sleeps >= count { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return sleeps >= count
    }
}

/// A scratch directory, removed when the test ends.
struct Scratch {
    let path: String

    init() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pie-triggers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        path = url.resolvingSymlinksInPath().path
    }

    func at(_ relative: String) -> String { path + "/" + relative }

    /// Writes by open/write/close in place (IN_CREATE when new, then IN_CLOSE_WRITE).
    func write(_ relative: String, _ text: String = "x") throws {
        try Self.writeClosingOnExec(at(relative), text)
    }

    /// Writes a temporary file and renames it into place (IN_MOVED_TO only).
    func writeByRename(_ relative: String, _ text: String = "x") throws {
        let temporary = at(relative) + ".tmp-\(UUID().uuidString)"
        try Self.writeClosingOnExec(temporary, text)
        guard rename(temporary, at(relative)) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }

    /// open(O_CLOEXEC)/write/close. Foundation's `Data.write` opens without O_CLOEXEC, so a child
    /// another test spawns in that moment inherits the descriptor; its close when that child
    /// exits is one more IN_CLOSE_WRITE, reported under the name the file has then (after a
    /// rename, the watched file's): a `modified` nobody made.
    private static func writeClosingOnExec(_ path: String, _ text: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            offset += written
        }
    }

    func makeDirectory(_ relative: String) throws {
        try FileManager.default.createDirectory(atPath: at(relative), withIntermediateDirectories: true)
    }

    func remove(_ relative: String) throws {
        try FileManager.default.removeItem(atPath: at(relative))
    }

    func move(_ from: String, _ to: String) throws {
        guard rename(at(from), at(to)) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }

    func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: at(relative)) }

    func removeAll() { try? FileManager.default.removeItem(atPath: path) }
}

/// Automations for tests: the trigger is all that matters here.
enum Automations {
    static func make(
        _ id: String, _ trigger: AutomationTrigger, enabled: Bool = true, preset: PolicyPreset = .hardened,
        profile: String? = nil
    ) -> Automation {
        var automation = Automation(
            id: AutomationID(id)!, scope: .project, path: "/p/\(id).toml", prompt: "p",
            model: ModelReference("ds4:flash")!, trigger: trigger)
        automation.enabled = enabled
        automation.toolPolicyPreset = preset
        automation.toolPolicyProfile = profile
        return automation
    }

    static func file(_ id: String, _ path: String, on: AutomationTrigger.FileEvent, enabled: Bool = true) -> Automation {
        make(id, .file(path: path, on: on), enabled: enabled)
    }
}
