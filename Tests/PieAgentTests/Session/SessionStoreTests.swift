import Foundation
import Testing
import PieJSON

@testable import PieAgent

@Suite struct SessionStoreTests {
    func store(_ dir: TemporaryDirectory) -> SessionStore {
        SessionStore(directory: PieDirectory(root: dir.file("pie")), syncOnAppend: false)
    }

    @Test func pieDirComesFromPIE_DIRThenHome() {
        #expect(PieDirectory.resolve(environment: ["PIE_DIR": "/x/state/", "HOME": "/h"])?.root == "/x/state")
        #expect(PieDirectory.resolve(environment: ["HOME": "/h"])?.root == "/h/.pie")
        #expect(PieDirectory.resolve(environment: [:]) == nil)
    }

    @Test func sessionFilesLiveUnderTheCwdHashWithUUIDv7Names() throws {
        let dir = try TemporaryDirectory()
        let created = try store(dir).create(cwd: "/work/project", milliseconds: 1_764_078_374_123)
        #expect(try PieDirectory.cwdHash("/work/project") == "\(try #require(expectedHash))")
        #expect(created.session.path == dir.file("pie/sessions/\(expectedHash ?? "")/\(created.session.id).jsonl"))
        #expect(UUIDv7.milliseconds(of: created.session.id) == 1_764_078_374_123)
        #expect(created.diagnostics.isEmpty)
    }

    /// `python3 -c "import hashlib;print(hashlib.sha256(b'/work/project').hexdigest()[:12])"`
    let expectedHash: String? = "65d80d2c48b3"

    @Test func listsSessionsOfACwdNewestFirstWithNamePreviewAndCount() throws {
        let dir = try TemporaryDirectory()
        let store = store(dir)
        var older = try store.create(cwd: "/a", milliseconds: 1_000_000).session
        try store.append([Messages.user("first   question\nof older")], to: &older)
        var newer = try store.create(cwd: "/a", milliseconds: 2_000_000).session
        try store.append([Messages.user("newer q"), Messages.assistant("ok")], to: &newer)
        try store.rename(&newer, to: "Newer session")
        _ = try store.create(cwd: "/b")

        let listing = store.list(cwd: "/a")
        #expect(listing.diagnostics.isEmpty)
        #expect(listing.sessions.map(\.id) == [newer.id, older.id])
        #expect(listing.sessions.first?.name == "Newer session")
        #expect(listing.sessions.first?.entryCount == 3)
        #expect(listing.sessions.last?.preview == "first question of older")
        #expect(store.listAll().sessions.count == 3)
        #expect(store.mostRecent(cwd: "/a")?.id == newer.id)
    }

    @Test func findByUniquePrefixAndReportAmbiguity() throws {
        let dir = try TemporaryDirectory()
        let store = store(dir)
        let one = try store.create(cwd: "/a", milliseconds: 1_764_078_374_123).session
        let two = try store.create(cwd: "/b", milliseconds: 1_764_078_374_123).session
        let common = String(zip(one.id, two.id).prefix { $0 == $1 }.map(\.0))
        #expect(try store.find(idPrefix: String(one.id.prefix(common.count + 1))).id == one.id)
        #expect(throws: SessionError.ambiguousPrefix(idPrefix: common, candidates: [one.id, two.id].sorted())) {
            try store.find(idPrefix: common)
        }
        #expect(throws: SessionError.sessionNotFound(idPrefix: "zzz")) { try store.find(idPrefix: "zzz") }
    }

    @Test func deleteRemovesTheFileAndTheIndexRow() throws {
        let dir = try TemporaryDirectory()
        let store = store(dir)
        var session = try store.create(cwd: "/a").session
        try store.append([Messages.user("unique-word-xyzzy")], to: &session)
        let summary = try store.find(idPrefix: session.id)
        #expect(try store.delete(summary).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: session.path))
        #expect(store.listAll().sessions.isEmpty)
        #expect(store.search("xyzzy").hits.isEmpty)
    }

    @Test func forkCopiesThePathWithParentSessionAndLabels() throws {
        let dir = try TemporaryDirectory()
        let store = store(dir)
        var source = try store.create(cwd: "/a").session
        let written = try store.append(
            [Messages.user("q1"), Messages.assistant("a1"), Messages.user("q2"), Messages.assistant("a2")], to: &source
        ).entries
        try store.setLabel("checkpoint", on: written[1].id, in: &source)

        let fork = try store.fork(source, at: written[1].id).session
        #expect(fork.header.parentSession == source.path)
        #expect(fork.id != source.id)
        let reloaded = try store.open(path: fork.path)
        #expect(reloaded.context().texts == ["q1", "a1"])
        #expect(reloaded.tree.labels[written[1].id] == "checkpoint")
        #expect(reloaded.entries.prefix(2).map(\.line) == written.prefix(2).map(\.line))
        #expect(store.list(cwd: "/a").sessions.count == 2)
    }

    @Test func undoAndMoveLeafThroughTheStoreKeepTheIndexCount() throws {
        let dir = try TemporaryDirectory()
        let store = store(dir)
        var session = try store.create(cwd: "/a").session
        let written = try store.append([Messages.user("q1"), Messages.assistant("a1"), Messages.user("q2")], to: &session).entries
        #expect(try store.undo(&session).undone)
        #expect(session.context().texts == ["q1", "a1"])
        try store.moveLeaf(&session, to: written[0].id)
        #expect(session.context().texts == ["q1"])
        #expect(throws: SessionError.entryNotFound(id: "missing", path: session.path)) {
            try store.moveLeaf(&session, to: "missing")
        }
        #expect(store.list(cwd: "/a").sessions.first?.entryCount == 5)
    }

    @Test func searchFindsTextAcrossProjectsBestFirst() throws {
        let dir = try TemporaryDirectory()
        let store = store(dir)
        var a = try store.create(cwd: "/a").session
        try store.append([Messages.user("how do I configure the llama server port"), Messages.assistant("use --port")], to: &a)
        var b = try store.create(cwd: "/b").session
        try store.append([Messages.user("llama llama llama")], to: &b)

        let result = store.search("llama")
        #expect(result.diagnostics.isEmpty)
        #expect(result.hits.map(\.sessionId) == [b.id, a.id])
        #expect(result.hits.last?.snippet.contains("[llama]") == true)
        #expect(result.hits.last?.cwd == "/a")
        #expect(store.search("llama port").hits.map(\.sessionId) == [a.id])
        #expect(store.search("\"unbalanced OR (").hits.isEmpty)
    }

    @Test func indexRebuildsFromTheJSONLFiles() throws {
        let dir = try TemporaryDirectory()
        var session = try store(dir).create(cwd: "/a").session
        try store(dir).append([Messages.user("rebuild me please")], to: &session)
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: dir.file("pie/index.sqlite" + suffix)) }

        let fresh = store(dir)
        #expect(fresh.list(cwd: "/a").sessions.map(\.preview) == ["rebuild me please"])
        #expect(fresh.search("rebuild").hits.map(\.sessionId) == [session.id])
        let report = fresh.reindex()
        #expect(report.scanned == 1 && report.reindexed == 1 && report.diagnostics.isEmpty)
    }

    @Test func appendsByAnotherWriterAreNoticedThroughFileSizeAndMtime() throws {
        let dir = try TemporaryDirectory()
        let store = store(dir)
        let session = try store.create(cwd: "/a").session
        #expect(store.list(cwd: "/a").sessions.first?.entryCount == 0)
        var outsider = try Session.load(SessionFile(path: session.path, syncOnAppend: false))
        try outsider.append([Messages.user("written without the index")])
        #expect(store.list(cwd: "/a").sessions.first?.entryCount == 1)
        #expect(store.search("without").hits.count == 1)
    }

    @Test func incrementalIndexingFallsBackToAFullReadWhenTheFileMovedOnWithoutIt() throws {
        let dir = try TemporaryDirectory()
        let store = store(dir)
        var session = try store.create(cwd: "/a").session
        var outsider = try Session.load(SessionFile(path: session.path, syncOnAppend: false))
        try outsider.append([Messages.user("foreign words")])
        try store.append([Messages.user("own words")], to: &session)
        let row = try #require(try store.index?.sessions(cwd: "/a").first)
        #expect(row.entryCount == 2)
        #expect(row.preview == "foreign words")
        #expect(try store.index?.search("foreign").map(\.sessionId) == [session.id])
    }

    @Test func aBrokenIndexNeverBreaksSessionWrites() throws {
        let dir = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir.file("pie/index.sqlite"), withIntermediateDirectories: true)
        let store = store(dir)
        #expect(store.index == nil)
        #expect(store.indexDiagnostics.map(\.kind) == [.indexFailure])
        var session = try store.create(cwd: "/a").session
        try store.append([Messages.user("still saved")], to: &session)
        let listing = store.list(cwd: "/a")
        #expect(listing.sessions.map(\.preview) == ["still saved"])
        #expect(listing.diagnostics.map(\.kind) == [.indexFailure])
        #expect(store.search("saved").diagnostics.map(\.kind) == [.indexFailure])
    }
}

@Suite struct SessionHeaderTests {
    func header(_ json: String) throws -> SessionHeader? {
        SessionHeader(object: try #require(JSONParser.parseLine(json).objectValue))
    }

    @Test func readsPiAndC4pt0rPieHeaders() throws {
        let pi = try #require(
            try header(#"{"type":"session","version":3,"id":"a","timestamp":"t","cwd":"/p","parentSession":"/x.jsonl","extra":1}"#))
        #expect(pi.version == 3 && pi.cwd == "/p" && pi.parentSession == "/x.jsonl")
        #expect(pi.line.hasSuffix(#""extra":1}"#))
        let rust = try #require(try header(#"{"id":"b","createdAt":"t2","cwd":"/q","parentSessionPath":"/y"}"#))
        #expect(rust.timestamp == "t2" && rust.parentSession == "/y" && rust.version == 1)
        #expect(try header(#"{"type":"message","id":"c"}"#) == nil)
    }

    @Test func unreadableFilesAreReportedNotListed() throws {
        let dir = try TemporaryDirectory()
        let store = SessionStore(directory: PieDirectory(root: dir.file("pie")), syncOnAppend: false)
        _ = try store.create(cwd: "/a")
        try dir.write("pie/sessions/\(try PieDirectory.cwdHash("/a"))/junk.jsonl", "not a session\n")
        let listing = store.list(cwd: "/a")
        #expect(listing.sessions.count == 1)
        #expect(listing.diagnostics.map(\.kind) == [.unreadableFile])
    }
}
