import PieAutomations
import PieSystem

/// The automations `serve` runs, read from both scopes' directories and read again when a file
/// was added, removed or changed (sizes and modification times are compared at each wake; the
/// inotify watcher belongs to the file triggers). A bad file is reported and left out; every other
/// automation keeps running.
struct AutomationCatalog {
    struct Entry {
        var automation: Automation
        /// Nil for event triggers.
        var clock: ClockTrigger?
        var fileHash: String
    }

    let directories: [(AutomationScope, String)]
    let context: ValidationContext
    private(set) var entries: [String: Entry] = [:]
    private var stamps: [String: FileStamp] = [:]

    struct FileStamp: Equatable {
        var size: Int
        var mtime: Int64
    }

    init(directories: [(AutomationScope, String)], context: ValidationContext) {
        (self.directories, self.context) = (directories, context)
    }

    /// Whether any automation file changed since the last load.
    func hasChanged() -> Bool { currentStamps() != stamps }

    /// Loads every file; returns the problems found (bad files, zones that do not exist, an `at`
    /// that was past when its file was written).
    mutating func load() -> [AutomationIssue] {
        stamps = currentStamps()
        // An `at` may lie behind the clock after downtime (then `catch_up` decides), so files are
        // validated as of the epoch and an `at` is checked against its file's own time below.
        var inspection = context
        inspection.now = Instant(secondsSinceEpoch: Int64.min / 2)
        let set = AutomationLoader.load(directories, context: inspection)
        var issues = set.issues
        var loaded: [String: Entry] = [:]
        var zones: [String: TimeZoneRules] = [:]
        for automation in set.effective {
            if case .at(let instant, let text) = automation.trigger, let written = stamps[automation.path],
                instant.secondsSinceEpoch * 1000 <= written.mtime
            {
                issues.append(
                    AutomationIssue(
                        file: automation.path, line: automation.triggerLine, field: "trigger.at",
                        message: "'\(text)' was already past when the file was written, so it would never run",
                        fix: "give a future time, or use `pie automations run \(automation.id)` to run it now"))
                continue
            }
            do throws(TriggerTimes.Failure) {
                let clock = try ClockTrigger.make(automation.trigger, environment: context.environment, zones: &zones)
                loaded[automation.path] = Entry(automation: automation, clock: clock, fileHash: Self.hash(automation.path))
            } catch {
                issues.append(
                    AutomationIssue(
                        file: automation.path, line: automation.triggerLine, field: "trigger.\(automation.trigger.kind)",
                        message: error.description, fix: "fix the trigger; the other automations keep running"))
            }
        }
        entries = loaded
        return issues
    }

    private func currentStamps() -> [String: FileStamp] {
        var stamps: [String: FileStamp] = [:]
        for (_, directory) in directories {
            for path in AutomationLoader.files(in: directory) {
                if let stamp = FileIO.stamp(path) { stamps[path] = FileStamp(size: stamp.size, mtime: stamp.mtimeMilliseconds) }
            }
        }
        return stamps
    }

    private static func hash(_ path: String) -> String {
        do {
            return Hex.lowercase(try SHA256.hash(FileIO.readAll(path, limit: 1 << 20)))
        } catch {
            return ""
        }
    }
}
