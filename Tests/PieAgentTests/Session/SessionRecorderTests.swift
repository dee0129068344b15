import Foundation
import PieJSON
import PieLocal
import Testing

@testable import PieAgent

/// Nothing is dropped silently: a message that cannot be saved, or a saved line that cannot be
/// read back, is reported, and the session file stays a tree whose every parent exists.
@Suite struct SessionRecorderTests {
    func store(_ dir: TemporaryDirectory) -> SessionStore {
        SessionStore(directory: PieDirectory(root: dir.file("pie")), syncOnAppend: false)
    }

    /// A tool result whose details nest deeper than the session parser reads (512 levels).
    static func unencodable() -> AgentMessage {
        var details = JSONValue.string("bottom")
        for _ in 0..<600 { details = .array([details]) }
        return .toolResult(ToolResultMessage(
            toolCallID: "call_1", toolName: "read", content: [.text("deep")], isError: false, details: details))
    }

    @Test func aMessageThatCannotBeEncodedIsReportedAndLeavesAConsistentTree() throws {
        let dir = try TemporaryDirectory()
        let store = store(dir)
        let recorder = SessionRecorder(store: store, session: try store.create(cwd: dir.path).session)

        recorder.record(.user([.text("first")]))
        recorder.record(Self.unencodable())
        recorder.record(.assistant(AssistantMessage(content: [.text("second")], stopReason: .stop, model: "local:m")))

        let diagnostics = recorder.takeDiagnostics()
        #expect(diagnostics.map(\.kind) == [.unencodableEntry])
        #expect(diagnostics.first?.description.contains("tool result message was not saved") == true)
        #expect(recorder.takeDiagnostics().isEmpty)

        let reloaded = try store.open(path: recorder.session.path)
        let ids = Set(reloaded.entries.map(\.id))
        #expect(reloaded.entries.count == 2)
        #expect(reloaded.entries.allSatisfy { entry in entry.parentId.map(ids.contains) ?? true })
        #expect(reloaded.entries.last?.parentId == reloaded.entries.first?.id)
        #expect(reloaded.context().texts == ["first", "second"])
        #expect(reloaded.context().diagnostics.isEmpty)
    }

    /// The loop's context indices stay aligned with the entries after an unsaved message: index 2
    /// is "second", and index 1 (the unsaved message) keeps from the next saved one.
    @Test(arguments: [1, 2])
    func aCompactionAfterAnUnsavedMessageKeepsTheRightEntries(firstKeptIndex: Int) throws {
        let dir = try TemporaryDirectory()
        let store = store(dir)
        let recorder = SessionRecorder(store: store, session: try store.create(cwd: dir.path).session)
        recorder.record(.user([.text("first")]))
        recorder.record(Self.unencodable())
        recorder.record(.assistant(AssistantMessage(content: [.text("second")], stopReason: .stop, model: "local:m")))
        let second = try #require(recorder.session.entries.last)

        recorder.recordManualCompaction(CompactionSummary(
            summary: "the user said first", firstKeptIndex: firstKeptIndex, tokensBefore: 10))

        let compaction = try #require(recorder.session.entries.last)
        #expect(compaction.type == .compaction)
        #expect(compaction.firstKeptEntryId == second.id)
        #expect(recorder.session.context().texts == ["the user said first", "second"])
    }

    @Test func anUnreadableSavedMessageIsReportedNotReplayedEmpty() throws {
        let dir = try TemporaryDirectory()
        let store = store(dir)
        var session = try store.create(cwd: dir.path).session
        let (first, _) = try store.append([Messages.user("first")], to: &session)
        let firstID = try #require(first.first?.id)
        // `\q` is no JSON escape: loading scans past the string, parsing the entry fails.
        let line = #"{"type":"message","id":"bad00001","parentId":"\#(firstID)","timestamp":"2026-01-01T00:00:00.000Z","#
            + #""message":{"role":"user","content":"a broken \q escape"}}"#
        let handle = try #require(FileHandle(forWritingAtPath: session.path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((line + "\n").utf8))
        try handle.close()

        var reopened = try store.open(path: session.path)
        _ = try store.append([Messages.assistant("second")], to: &reopened)
        let bad = try #require(reopened.entries.first { $0.id == "bad00001" })
        #expect(bad.object == nil)
        #expect(throws: JSONParseError.self) { try bad.parsedObject() }

        let restored = MessageCodec.restore(from: reopened.context(), path: reopened.path)
        #expect(restored.messages.count == 2)
        #expect(restored.diagnostics.map(\.kind) == [.corruptLine])
        #expect(restored.diagnostics.first?.detail.contains("entry bad00001") == true)

        let recorded = MessageCodec.toolCalls(in: reopened.entries, path: reopened.path)
        #expect(recorded.diagnostics.count == 1)
    }
}
