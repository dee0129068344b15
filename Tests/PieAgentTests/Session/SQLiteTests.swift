import CSQLite
import PieSystem
import Testing

@testable import PieAgent

/// The hand-written SQLite wrapper under the session index, against real SQLite.
@Suite struct SQLiteTests {
    func open(_ dir: TemporaryDirectory) throws -> SQLiteConnection {
        try SQLiteConnection(path: dir.file("test.sqlite"), flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
    }

    @Test func valuesRoundTripThroughBindAndColumns() throws {
        let dir = try TemporaryDirectory()
        let db = try open(dir)
        try db.execute("CREATE TABLE t (a, b, c, d, e, f)")
        let nothing: String? = nil
        try db.execute(
            "INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)", ["héllo\u{0}wörld ✓", "", nothing, Int64.max, -2.5, true])
        let row = try db.prepare("SELECT a, b, c, d, e, f, typeof(b), typeof(c) FROM t")
        #expect(try row.step())
        #expect(row.text(0) == "héllo\u{0}wörld ✓")
        #expect(row.text(1) == "")
        #expect(row.text(2) == nil && row.isNull(2))
        #expect(row.int64(3) == Int64.max)
        #expect(row.double(4) == -2.5)
        #expect(row.int(5) == 1)
        #expect(row.text(6) == "text" && row.text(7) == "null")
        #expect(try !row.step())
    }

    @Test func aStatementIsReusedWithNewArguments() throws {
        let dir = try TemporaryDirectory()
        let db = try open(dir)
        try db.execute("CREATE TABLE t (n INTEGER)")
        let insert = try db.prepare("INSERT INTO t VALUES (?)")
        for n in 1...3 {
            try insert.bind([n])
            #expect(try !insert.step())
        }
        let sum = try db.prepare("SELECT sum(n) FROM t")
        #expect(try sum.step() && sum.int(0) == 6)
    }

    @Test func syntaxErrorsCarrySQLitesMessage() throws {
        let dir = try TemporaryDirectory()
        let db = try open(dir)
        let error = try #require(throws: SQLiteError.self) { try db.prepare("SELEC 1") }
        #expect(error.code == SQLITE_ERROR)
        #expect(error.message.contains("syntax error"))
        #expect(error.description.hasPrefix("SQLite error 1: "))
    }

    @Test func constraintViolationsCarryTheExtendedCode() throws {
        let dir = try TemporaryDirectory()
        let db = try open(dir)
        try db.execute("CREATE TABLE t (id TEXT PRIMARY KEY NOT NULL)")
        try db.execute("INSERT INTO t VALUES (?)", ["x"])
        let error = try #require(throws: SQLiteError.self) { try db.execute("INSERT INTO t VALUES (?)", ["x"]) }
        #expect(error.code == SQLITE_CONSTRAINT | (6 << 8))  // SQLITE_CONSTRAINT_PRIMARYKEY, a macro Swift cannot import
        #expect(error.message == "UNIQUE constraint failed: t.id")
    }

    @Test func theWrongNumberOfArgumentsIsAnError() throws {
        let dir = try TemporaryDirectory()
        let db = try open(dir)
        #expect(throws: SQLiteError(code: SQLITE_RANGE, message: "statement takes 2 arguments, 1 were given")) {
            try db.execute("SELECT ?, ?", ["only one"])
        }
    }

    @Test func aTransactionIsRolledBackWhenItsBodyThrows() throws {
        let dir = try TemporaryDirectory()
        let db = try open(dir)
        try db.execute("CREATE TABLE t (n INTEGER UNIQUE)")
        #expect(throws: SQLiteError.self) {
            try db.transaction { () throws(SQLiteError) in
                try db.execute("INSERT INTO t VALUES (?)", [1])
                try db.execute("INSERT INTO t VALUES (?)", [1])
            }
        }
        func count() throws -> Int {
            let statement = try db.prepare("SELECT count(*) FROM t")
            return try statement.step() ? statement.int(0) : -1
        }
        #expect(try count() == 0)
        try db.transaction { () throws(SQLiteError) in try db.execute("INSERT INTO t VALUES (?)", [2]) }
        #expect(try count() == 1)
    }

    @Test func aDirectoryCannotBeOpened() throws {
        let dir = try TemporaryDirectory()
        let error = try #require(throws: SQLiteError.self) {
            try SQLiteConnection(path: dir.path, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        }
        #expect(error.code == SQLITE_CANTOPEN)
        #expect(error.message == "unable to open database file")
    }

    @Test func aFileThatIsNotSQLiteFailsAtTheFirstStatement() throws {
        let dir = try TemporaryDirectory()
        try dir.write("test.sqlite", String(repeating: "not a database, just text\n", count: 100))
        let db = try open(dir)
        let error = try #require(throws: SQLiteError.self) { try db.userVersion() }
        #expect(error.code == SQLITE_NOTADB)
        #expect(error.message == "file is not a database")
    }
}
