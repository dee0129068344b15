import Glibc
@testable import PieAutomations
import Testing
@testable import PieTriggers

/// The re-scan that follows a queue overflow. Provoking a real overflow would need more queued
/// events than fs.inotify.max_queued_events (a system-wide setting tests must not lower) while
/// the watcher is stalled, so the table is driven directly: real watches on a real inotify
/// descriptor, real files, and the overflow event the kernel would queue.
@Suite("file triggers: re-scan after lost events")
struct RescanTests {
    static let overflow = InotifyEvent(watch: -1, mask: InotifyMask.overflow, name: "")

    @Test("what a re-scan can prove: appearing, vanishing, another stamp; nothing from an unknown stamp")
    func change() {
        let a = FileState.Stamp(device: 1, inode: 10, size: 3, modifiedNanoseconds: 100)
        var b = a
        b.inode = 11
        var c = a
        c.modifiedNanoseconds = 200
        #expect(FileState.change(from: .absent, to: .present(a)) == .created)
        #expect(FileState.change(from: .absent, to: .present(nil)) == .created)
        #expect(FileState.change(from: .present(a), to: .absent) == .deleted)
        #expect(FileState.change(from: .present(a), to: .present(b)) == .modified)
        #expect(FileState.change(from: .present(a), to: .present(c)) == .modified)
        #expect(FileState.change(from: .present(a), to: .present(a)) == nil)
        #expect(FileState.change(from: .present(nil), to: .present(a)) == nil)
        #expect(FileState.change(from: .absent, to: .absent) == nil)
    }

    @Test("an overflow re-checks every watched file, fires each change once and reports it")
    func overflow() throws {
        let scratch = try Scratch()
        defer { scratch.removeAll() }
        let inotify = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        try #require(inotify >= 0)
        defer { close(inotify) }
        try scratch.write("existing", "old")
        try scratch.write("doomed")
        try scratch.write("same")
        let sink = RecordingSink()
        var table = WatchTable(inotify: inotify, clock: ManualClock(), sink: sink)
        func target(_ id: String, _ name: String, _ on: AutomationTrigger.FileEvent) -> FileTarget {
            FileTarget(automation: AutomationID(id)!, path: scratch.at(name), on: on, home: nil)!
        }
        table.replace([
            target("appears", "new", .created), target("changes", "existing", .modified),
            target("vanishes", "doomed", .deleted), target("untouched", "same", .modified),
            target("wrong-kind", "existing", .deleted),
        ])
        #expect(sink.events.isEmpty, "a baseline fires nothing")

        // Changes whose events the kernel dropped.
        try scratch.write("new")
        try scratch.write("existing", "a longer new text")
        try scratch.remove("doomed")
        table.handle([Self.overflow])

        let fired = Set(sink.events.map { "\($0.automation.rawValue) \($0.kind)" })
        #expect(fired == [
            "appears \(TriggerEvent.Kind.file(change: .created, path: scratch.at("new")))",
            "changes \(TriggerEvent.Kind.file(change: .modified, path: scratch.at("existing")))",
            "vanishes \(TriggerEvent.Kind.file(change: .deleted, path: scratch.at("doomed")))",
        ])
        #expect(sink.notices.map(\.kind) == [.rescanned])
        #expect(sink.notices.first?.description.contains("overflowed") == true)

        // A second overflow with nothing changed fires nothing more.
        table.handle([Self.overflow])
        #expect(sink.events.count == 3)
        table.removeAll()
    }

    @Test("events are parsed from the kernel's layout, names without their NUL padding")
    func parse() {
        func event(_ watch: Int32, _ mask: UInt32, _ name: String, padTo length: Int) -> [UInt8] {
            var bytes: [UInt8] = []
            for word in [UInt32(bitPattern: watch), mask, 0, UInt32(length)] { withUnsafeBytes(of: word) { bytes += $0 } }
            return bytes + Array(name.utf8) + [UInt8](repeating: 0, count: length - name.utf8.count)
        }
        let bytes = event(3, InotifyMask.create, "build.done", padTo: 16) + event(4, InotifyMask.overflow, "", padTo: 0)
            + event(5, InotifyMask.delete, "partial", padTo: 16).dropLast(4)
        #expect(InotifyEvent.parse(bytes[...]) == [
            InotifyEvent(watch: 3, mask: InotifyMask.create, name: "build.done"),
            InotifyEvent(watch: 4, mask: InotifyMask.overflow, name: ""),
        ])
    }

    @Test("paths: ~ expands with HOME, dots and repeated slashes are removed, / and relative paths are refused")
    func targets() {
        let id = AutomationID("a")!
        #expect(FileTarget(automation: id, path: "~/build.done", on: .created, home: "/home/u")?.path == "/home/u/build.done")
        #expect(FileTarget(automation: id, path: "/a//b/./c/../d", on: .created, home: nil)?.path == "/a/b/d")
        #expect(FileTarget(automation: id, path: "/x", on: .created, home: nil)?.parent == "/")
        #expect(FileTarget(automation: id, path: "~/x", on: .created, home: nil) == nil)
        #expect(FileTarget(automation: id, path: "/", on: .created, home: nil) == nil)
        #expect(FileTarget(automation: id, path: "rel/x", on: .created, home: "/h") == nil)
        #expect(WatchTable.nearestDirectory("/proc/nonexistent/deeper") == "/proc")
    }
}
