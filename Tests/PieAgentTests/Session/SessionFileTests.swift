import Testing
import PieJSON

@testable import PieAgent

@Suite struct SessionFileTests {
    func newSession(_ dir: TemporaryDirectory) throws -> Session {
        let header = SessionHeader(id: "0190-test", timestamp: "2026-11-25T13:00:00.000Z", cwd: "/work/project")
        return Session(file: try SessionFile.create(at: dir.file("s.jsonl"), header: header), header: header, tree: .init())
    }

    @Test func writesPiV3HeaderAndEntryLines() throws {
        let dir = try TemporaryDirectory()
        var session = try newSession(dir)
        let first = try session.append(Messages.user("hello"))
        try session.append(.modelChange(provider: "local", modelId: "qwen3"))
        let lines = dir.read("s.jsonl").split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[0] == #"{"type":"session","version":3,"id":"0190-test","timestamp":"2026-11-25T13:00:00.000Z","cwd":"/work/project"}"#)
        #expect(lines[1].hasPrefix(#"{"type":"message","id":"\#(first?.id ?? "")","parentId":null,"timestamp":""#))
        #expect(lines[2].contains(#""parentId":"\#(first?.id ?? "")""#))
        #expect(lines[2].hasSuffix(#""provider":"local","modelId":"qwen3"}"#))
        #expect(first?.id.count == 8)
    }

    @Test func reloadRebuildsTheActivePathAndContext() throws {
        let dir = try TemporaryDirectory()
        var session = try newSession(dir)
        try session.append([Messages.user("q1"), Messages.assistant("a1"), .thinkingLevelChange("high")])
        try session.append([Messages.user("q2"), Messages.assistant("a2")])
        let loaded = try Session.load(session.file)
        #expect(loaded.loadDiagnostics.isEmpty)
        #expect(loaded.entries.count == 5)
        #expect(loaded.leafId == session.leafId)
        let context = loaded.context()
        #expect(context.texts == ["q1", "a1", "q2", "a2"])
        #expect(context.thinkingLevel == "high")
        #expect(context.model == .init(provider: "local", modelId: "qwen3"))
    }

    @Test func unknownFieldsAndTypesRoundTripByteForByte() throws {
        let dir = try TemporaryDirectory()
        let odd = #"{"type":"future_thing","id":"aaaa0001","parentId":null,"timestamp":"t","extra":{"k":[1,2.50,"\u00e9"]}}"#
        try dir.write("s.jsonl", #"{"type":"session","version":3,"id":"x","timestamp":"t","cwd":"/"}"# + "\n" + odd + "\n")
        let loaded = try SessionFile(path: dir.file("s.jsonl")).load()
        #expect(loaded.entries.first?.line == odd)
        #expect(loaded.entries.first?.type.rawValue == "future_thing")
    }

    @Test func tornLastLineIsReportedThenCutOffByTheNextAppend() throws {
        let dir = try TemporaryDirectory()
        var session = try newSession(dir)
        try session.append([Messages.user("q1"), Messages.assistant("a1")])
        let healthy = dir.read("s.jsonl")
        try dir.write("s.jsonl", healthy + #"{"type":"message","id":"dead","par"#)

        var reloaded = try Session.load(session.file)
        #expect(reloaded.loadDiagnostics.map(\.kind) == [.tornTail])
        #expect(reloaded.loadDiagnostics.first?.line == 4)
        #expect(reloaded.entries.count == 2)

        let repair = try reloaded.append([Messages.user("q2")])
        #expect(repair.diagnostics.map(\.kind) == [.tornTail])
        let again = try Session.load(session.file)
        #expect(again.loadDiagnostics.isEmpty)
        #expect(again.context().texts == ["q1", "a1", "q2"])
        #expect(!dir.read("s.jsonl").contains("dead"))
    }

    @Test func validLastLineWithoutNewlineIsKeptAndTerminated() throws {
        let dir = try TemporaryDirectory()
        var session = try newSession(dir)
        try session.append(Messages.user("q1"))
        let text = dir.read("s.jsonl")
        try dir.write("s.jsonl", String(text.dropLast()))
        var reloaded = try Session.load(session.file)
        #expect(reloaded.loadDiagnostics.map(\.kind) == [.missingFinalNewline])
        try reloaded.append(Messages.assistant("a1"))
        let again = try Session.load(session.file)
        #expect(again.loadDiagnostics.isEmpty)
        #expect(again.context().texts == ["q1", "a1"])
    }

    @Test func corruptMiddleLineIsReportedWithItsLineNumber() throws {
        let dir = try TemporaryDirectory()
        var session = try newSession(dir)
        try session.append([Messages.user("q1"), Messages.assistant("a1")])
        var lines = dir.read("s.jsonl").split(separator: "\n").map(String.init)
        lines.insert("{not json", at: 2)
        try dir.write("s.jsonl", lines.joined(separator: "\n") + "\n")
        let loaded = try Session.load(session.file)
        #expect(loaded.loadDiagnostics.map(\.kind) == [.corruptLine])
        #expect(loaded.loadDiagnostics.first?.line == 3)
        #expect(loaded.loadDiagnostics.first?.description.hasPrefix(dir.file("s.jsonl") + ":3: ") == true)
        #expect(loaded.context().texts == ["q1", "a1"])
    }

    @Test func fileWithoutHeaderIsRejectedWithTheReason() throws {
        let dir = try TemporaryDirectory()
        try dir.write("s.jsonl", "hello\n")
        #expect(throws: SessionError.self) { try SessionFile(path: dir.file("s.jsonl")).load() }
        try dir.write("e.jsonl", "")
        #expect(throws: SessionError.invalidHeader(path: dir.file("e.jsonl"), reason: "the file is empty")) {
            try SessionFile(path: dir.file("e.jsonl")).load()
        }
    }

    @Test func createRefusesToOverwrite() throws {
        let dir = try TemporaryDirectory()
        _ = try newSession(dir)
        #expect(throws: SessionError.alreadyExists(path: dir.file("s.jsonl"))) { try newSession(dir) }
    }

    @Test func duplicateIdKeepsTheFirstAndReportsTheSecond() throws {
        let dir = try TemporaryDirectory()
        try dir.write(
            "s.jsonl",
            #"{"type":"session","version":3,"id":"x","timestamp":"t","cwd":"/"}"# + "\n"
                + #"{"type":"custom","id":"a","parentId":null,"timestamp":"t","customType":"one"}"# + "\n"
                + #"{"type":"custom","id":"a","parentId":null,"timestamp":"t","customType":"two"}"# + "\n")
        let loaded = try SessionFile(path: dir.file("s.jsonl")).load()
        #expect(loaded.entries.map { $0["customType"]?.stringValue } == ["one"])
        #expect(loaded.diagnostics.map(\.kind) == [.duplicateId])
    }
}

@Suite struct SessionMigrationTests {
    @Test func piV1EntriesGetStableIdsAndALinearChain() throws {
        let dir = try TemporaryDirectory()
        try dir.write(
            "v1.jsonl",
            #"{"type":"session","id":"old","timestamp":"2024-12-03T14:00:00.000Z","cwd":"/p"}"# + "\n"
                + #"{"type":"message","timestamp":"t","message":{"role":"user","content":"q1"}}"# + "\n"
                + #"{"type":"message","timestamp":"t","message":{"role":"assistant","content":[{"type":"text","text":"a1"}],"stopReason":"stop"}}"# + "\n"
                + #"{"type":"compaction","timestamp":"t","summary":"sum","firstKeptEntryIndex":2,"tokensBefore":9}"# + "\n"
                + #"{"type":"message","timestamp":"t","message":{"role":"hookMessage","content":"hook"}}"# + "\n")
        var session = try Session.load(SessionFile(path: dir.file("v1.jsonl"), syncOnAppend: false))
        #expect(session.loadDiagnostics.isEmpty)
        #expect(session.entries.map(\.id) == ["00000001", "00000002", "00000003", "00000004"])
        #expect(session.entries.map(\.parentId) == [nil, "00000001", "00000002", "00000003"])
        #expect(session.entries[2].firstKeptEntryId == "00000002")
        #expect(session.entries[3].role == "custom")
        #expect(session.context().texts == ["sum", "a1", "hook"])

        try session.append(Messages.user("new"))
        let reloaded = try Session.load(session.file)
        #expect(reloaded.context().texts == ["sum", "a1", "hook", "new"])
        #expect(dir.read("v1.jsonl").contains(#""role":"hookMessage""#))
    }

    /// Loading scans past string contents, so a legacy line with an invalid escape fails only when
    /// it is upgraded: reported as a corrupt line, not as an entry without id or type.
    @Test func aLegacyLineThatDoesNotParseIsReportedAsCorrupt() throws {
        let dir = try TemporaryDirectory()
        try dir.write(
            "v1.jsonl",
            #"{"type":"session","id":"old","timestamp":"2024-12-03T14:00:00.000Z","cwd":"/p"}"# + "\n"
                + #"{"type":"message","timestamp":"t","message":{"role":"user","content":"q1"}}"# + "\n"
                + #"{"type":"message","timestamp":"t","message":{"role":"user","content":"bad \q escape"}}"# + "\n")
        let session = try Session.load(SessionFile(path: dir.file("v1.jsonl"), syncOnAppend: false))
        #expect(session.loadDiagnostics.map(\.kind) == [.corruptLine])
        #expect(session.loadDiagnostics.first?.line == 3)
        #expect(session.context().texts == ["q1"])
    }
}
