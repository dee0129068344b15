import CSQLite
import PieSystem
import Foundation
import Testing

@testable import PieAgent

/// Opening `index.sqlite` in the states it can be found in, and sharing one index across threads.
@Suite struct SessionIndexTests {
    func summary(_ n: Int, cwd: String = "/a") -> SessionSummary {
        SessionSummary(
            id: "id-\(n)", path: "/sessions/\(n).jsonl", cwd: cwd, name: nil, parentSession: nil, created: Int64(n),
            updated: Int64(n), entryCount: 0, preview: "preview \(n)")
    }

    func connection(_ path: String) throws -> SQLiteConnection {
        try SQLiteConnection(path: path, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
    }

    func tables(_ path: String) throws -> [String] {
        let statement = try connection(path).prepare(
            """
            SELECT name FROM sqlite_master
            WHERE type IN ('table', 'index') AND sql IS NOT NULL AND name NOT GLOB 'session_text_*' ORDER BY name
            """)
        var names: [String] = []
        while try statement.step() { names.append(statement.text(0) ?? "") }
        return names
    }

    @Test func aNewIndexIsInWALModeAtTheCurrentSchemaVersion() throws {
        let dir = try TemporaryDirectory()
        let index = try SessionIndex(path: dir.file("pie/index.sqlite"))
        try index.index(summary(1), entries: [], fileSize: 10, fileMtime: 20)
        let db = try connection(index.path)
        #expect(try db.userVersion() == SessionIndexSchema.version)
        let mode = try db.prepare("PRAGMA journal_mode")
        #expect(try mode.step() && mode.text(0) == "wal")
        #expect(try tables(index.path) == ["session_text", "sessions", "sessions_on_cwd", "sessions_on_updated"])
        #expect(try SessionIndex(path: index.path).sessions() == [summary(1)])
    }

    @Test func aFileThatIsNotSQLiteGivesAnIndexErrorAndSessionsStillWork() throws {
        let dir = try TemporaryDirectory()
        try dir.write("pie/index.sqlite", String(repeating: "definitely not SQLite\n", count: 200))
        let error = try #require(throws: SessionIndexError.self) { try SessionIndex(path: dir.file("pie/index.sqlite")) }
        #expect(error.operation == "open")
        #expect(error.message == "SQLite error 26: file is not a database")

        let store = SessionStore(directory: PieDirectory(root: dir.file("pie")), syncOnAppend: false)
        #expect(store.index == nil)
        #expect(store.indexDiagnostics.first?.detail.contains("file is not a database") == true)
        var session = try store.create(cwd: "/a").session
        try store.append([Messages.user("kept in the file")], to: &session)
        #expect(store.list(cwd: "/a").sessions.map(\.preview) == ["kept in the file"])
    }

    @Test func aTruncatedDatabaseFileGivesAnIndexError() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("pie/index.sqlite")
        try SessionIndex(path: path).index(summary(1), entries: [], fileSize: 1, fileMtime: 1)
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let bytes = try #require(FileManager.default.contents(atPath: path))
        try Data(bytes.prefix(100)).write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: SessionIndexError.self) { try SessionIndex(path: path) }
        #expect(error.message == "SQLite error 11: database disk image is malformed")
        #expect(error.description.contains(path))
    }

    /// The tables as the GRDB-based pie created them (from `.schema` of such a file).
    static let grdbSchema = """
        CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
        CREATE TABLE "sessions" ("id" TEXT PRIMARY KEY NOT NULL, "path" TEXT NOT NULL UNIQUE, "cwd" TEXT NOT NULL,
            "name" TEXT, "parent_session" TEXT, "created" INTEGER NOT NULL, "updated" INTEGER NOT NULL,
            "entries" INTEGER NOT NULL, "preview" TEXT NOT NULL, "file_size" INTEGER NOT NULL,
            "file_mtime" INTEGER NOT NULL);
        CREATE INDEX "sessions_on_cwd" ON "sessions"("cwd");
        CREATE INDEX "sessions_on_updated" ON "sessions"("updated");
        CREATE VIRTUAL TABLE "session_text" USING fts5(session_id UNINDEXED, entry_id UNINDEXED, role UNINDEXED,
            text, tokenize='''unicode61''');
        INSERT INTO grdb_migrations VALUES ('v1');
        PRAGMA journal_mode = WAL;
        """

    @Test func anIndexWrittenByTheGRDBVersionIsAdoptedWithItsRows() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("index.sqlite")
        do {
            let old = try connection(path)
            try old.execute(Self.grdbSchema)
            try old.execute(
                "INSERT INTO sessions VALUES ('id-1', '/sessions/1.jsonl', '/a', NULL, NULL, 1, 1, 0, 'preview 1', 5, 6)")
            try old.execute("INSERT INTO session_text VALUES ('id-1', 'e1', 'user', 'remembered words')")
        }
        let index = try SessionIndex(path: path)
        #expect(try index.sessions() == [summary(1)])
        #expect(try index.search("remembered").map(\.sessionId) == ["id-1"])
        #expect(try tables(path) == ["session_text", "sessions", "sessions_on_cwd", "sessions_on_updated"])
        #expect(try connection(path).userVersion() == SessionIndexSchema.version)
    }

    @Test func anUnknownSchemaIsDroppedAndRebuiltFromTheFiles() throws {
        let dir = try TemporaryDirectory()
        let root = dir.file("pie")
        let store = SessionStore(directory: PieDirectory(root: root), syncOnAppend: false)
        var session = try store.create(cwd: "/a").session
        try store.append([Messages.user("survives a schema change")], to: &session)
        do {
            let future = try connection(root + "/index.sqlite")
            try future.execute("DROP TABLE session_text; DROP TABLE sessions; CREATE TABLE sessions (other)")
            try future.setUserVersion(99)
        }
        let reopened = SessionStore(directory: PieDirectory(root: root), syncOnAppend: false)
        #expect(reopened.indexDiagnostics.isEmpty)
        #expect(reopened.list(cwd: "/a").sessions.map(\.preview) == ["survives a schema change"])
        #expect(reopened.search("schema").hits.map(\.sessionId) == [session.id])
        #expect(try connection(root + "/index.sqlite").userVersion() == SessionIndexSchema.version)
    }

    @Test func oneIndexIsSharedAcrossConcurrentTasks() async throws {
        let dir = try TemporaryDirectory()
        let index = try SessionIndex(path: dir.file("index.sqlite"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for n in 1...16 {
                group.addTask {
                    try index.index(summary(n), entries: [], fileSize: n, fileMtime: Int64(n))
                    _ = try index.sessions()
                }
            }
            try await group.waitForAll()
        }
        #expect(try index.sessions().map(\.id) == (1...16).reversed().map { "id-\($0)" })
    }

    @Test func twoIndexesOnOneFileSeeEachOthersWrites() throws {
        let dir = try TemporaryDirectory()
        let first = try SessionIndex(path: dir.file("index.sqlite"))
        let second = try SessionIndex(path: dir.file("index.sqlite"))
        try first.index(summary(1), entries: [], fileSize: 1, fileMtime: 1)
        try second.index(summary(2, cwd: "/b"), entries: [], fileSize: 2, fileMtime: 2)
        #expect(try first.sessions().map(\.id) == ["id-2", "id-1"])
        #expect(try second.sessions(cwd: "/a").map(\.id) == ["id-1"])
        try first.remove(id: "id-2", path: "/sessions/2.jsonl")
        #expect(try second.sessions(idPrefix: "id-").map(\.id) == ["id-1"])
    }
}
