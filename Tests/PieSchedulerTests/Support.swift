import Glibc
import PieAutomations
import Testing

@testable import PieScheduler

/// A scratch directory with a store file in it, removed by `remove()`.
struct ScratchStore {
    let directory: String

    init() throws {
        var template = Array("/tmp/pie-scheduler-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
        directory = try #require(made.map { String(cString: $0) })
    }

    var path: String { directory + "/automations.db" }

    func open() throws -> SchedulerStore { try SchedulerStore(path: path) }

    func remove() {
        _ = directory.withCString { path in
            // Only files pie made here: the store, its WAL and shared-memory files.
            for suffix in ["/automations.db", "/automations.db-wal", "/automations.db-shm"] { unlink(String(cString: path) + suffix) }
            return rmdir(path)
        }
    }
}

enum Fixture {
    static func instant(_ text: String) throws -> Instant { try RFC3339.parse(text) }

    /// An automation parsed from `toml` as if it were `<dir>/.pie/automations/<id>.toml`.
    static func automation(_ id: String, _ toml: String, directory: String = "/project") throws -> Automation {
        let context = ValidationContext(
            now: Instant(secondsSinceEpoch: 0), environment: [:], home: "/home/user", projectRoot: directory)
        let result = AutomationParser.parse(
            toml, path: "\(directory)/.pie/automations/\(id).toml", id: try #require(AutomationID(id)), scope: .project,
            context: context)
        return try #require(result.automation, "\(result.issues)")
    }

    static func every(_ id: String, _ interval: String, run: String = "") throws -> Automation {
        try automation(id, "prompt = \"p\"\nmodel = \"local:m\"\n[trigger]\nevery = \"\(interval)\"\n[run]\n\(run)\n")
    }

    static func cron(_ id: String, _ expression: String, run: String = "") throws -> Automation {
        try automation(
            id, "prompt = \"p\"\nmodel = \"local:m\"\n[trigger]\ncron = \"\(expression)\"\ntimezone = \"UTC\"\n[run]\n\(run)\n")
    }

    static func clock(_ automation: Automation) throws -> ClockTrigger {
        try #require(try ClockTrigger.make(automation.trigger, environment: [:]))
    }

    /// A lease owner whose process does not exist (a `kill -9`ed serve, as the store sees it).
    static let deadOwner = LeaseOwner(host: LeaseOwner.current().host, pid: 2_000_000_000, startTicks: 1)
}

extension Instant {
    func plus(_ seconds: Int64) -> Instant { Instant(secondsSinceEpoch: secondsSinceEpoch + seconds) }
}
