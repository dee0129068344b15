import CSQLite
import Glibc
import PieSystem
import Testing

@testable import PieScheduler

/// Versioned migrations, WAL, and refusing a store from a newer pie.
@Suite struct StoreSchemaTests {
    @Test func newStoreIsAtTheCurrentVersionInWALMode() throws {
        let scratch = try ScratchStore()
        defer { scratch.remove() }
        _ = try scratch.open()
        let db = try SQLiteConnection(path: scratch.path, flags: SQLITE_OPEN_READWRITE)
        #expect(try db.userVersion() == SchedulerStore.schemaVersion)
        let mode = try db.prepare("PRAGMA journal_mode")
        #expect(try mode.step() && mode.text(0) == "wal")
        // Opening again migrates nothing and keeps what is there.
        _ = try scratch.open()
        #expect(try db.userVersion() == SchedulerStore.schemaVersion)
    }

    @Test func storeOfANewerVersionIsRefusedWithTheFileAndWhatToDo() throws {
        let scratch = try ScratchStore()
        defer { scratch.remove() }
        _ = try scratch.open()
        let db = try SQLiteConnection(path: scratch.path, flags: SQLITE_OPEN_READWRITE)
        try db.setUserVersion(SchedulerStore.schemaVersion + 1)
        do throws(StoreError) {
            _ = try SchedulerStore(path: scratch.path)
            Issue.record("a newer store was opened")
        } catch {
            #expect(error == .newerSchema(path: scratch.path, found: SchedulerStore.schemaVersion + 1, supported: SchedulerStore.schemaVersion))
            #expect(error.description.contains(scratch.path) && error.description.contains("newer pie"))
        }
    }

    @Test func aFileThatIsNotADatabaseNamesTheStore() throws {
        let scratch = try ScratchStore()
        defer { scratch.remove() }
        let fd = open(scratch.path, O_WRONLY | O_CREAT, 0o600)
        _ = "this is not sqlite, just text that is long enough to be a header.......".withCString { write(fd, $0, 70) }
        close(fd)
        do throws(StoreError) {
            _ = try SchedulerStore(path: scratch.path)
            Issue.record("a text file opened as a store")
        } catch {
            #expect(error.description.contains(scratch.path))
        }
    }
}

@Suite struct StorePermissionTests {
    @Test func aNewStoreIsReadableByItsUserOnly() throws {
        let scratch = try ScratchStore()
        defer { scratch.remove() }
        _ = try scratch.open()
        var status = stat()
        #expect(stat(scratch.path, &status) == 0)
        #expect(status.st_mode & 0o777 == 0o600)
    }
}
