import Testing
import PieJSON

@testable import PieAgent

@Suite struct SessionTreeTests {
    func newSession(_ dir: TemporaryDirectory) throws -> Session {
        let header = SessionHeader(id: "tree", timestamp: "2026-11-25T13:00:00.000Z", cwd: "/p")
        return Session(file: try SessionFile.create(at: dir.file("t.jsonl"), header: header), header: header, tree: .init())
    }

    @Test func undoDropsTheLastTurnAndSurvivesReload() throws {
        let dir = try TemporaryDirectory()
        var session = try newSession(dir)
        try session.append([Messages.user("q1"), Messages.assistant("a1"), Messages.user("q2"), Messages.assistant("a2")])
        #expect(try session.undo())
        #expect(session.context().texts == ["q1", "a1"])
        try session.append(Messages.user("q2 again"))
        let reloaded = try Session.load(session.file)
        #expect(reloaded.context().texts == ["q1", "a1", "q2 again"])
        #expect(reloaded.entries.count == 6)
    }

    @Test func undoWithoutUserMessageWritesNothing() throws {
        let dir = try TemporaryDirectory()
        var session = try newSession(dir)
        try session.append(.modelChange(provider: "p", modelId: "m"))
        #expect(try session.undo() == false)
        #expect(session.entries.count == 1)
    }

    @Test func undoOfTheFirstPromptEmptiesTheContext() throws {
        let dir = try TemporaryDirectory()
        var session = try newSession(dir)
        try session.append([Messages.user("q1"), Messages.assistant("a1")])
        try session.undo()
        #expect(session.leafId == nil)
        #expect(session.context().items.isEmpty)
    }

    @Test func piStyleBranchingByParentIdFollowsTheLastEntry() throws {
        let dir = try TemporaryDirectory()
        var session = try newSession(dir)
        let entries = try session.append([Messages.user("q1"), Messages.assistant("a1"), Messages.user("q2")]).entries
        try session.moveLeaf(to: entries[1].id)
        try session.append(Messages.user("q2b"))
        #expect(session.tree.children(of: entries[1].id).map(\.text) == ["q2", "q2b"])
        #expect(try Session.load(session.file).context().texts == ["q1", "a1", "q2b"])
    }

    @Test func moveLeafToAnUnknownEntryIsAnError() throws {
        let dir = try TemporaryDirectory()
        var session = try newSession(dir)
        #expect(throws: SessionError.entryNotFound(id: "nope", path: dir.file("t.jsonl"))) {
            try session.moveLeaf(to: "nope")
        }
    }

    @Test func abortedAssistantStaysInTheFileButIsDroppedOnReplay() throws {
        let dir = try TemporaryDirectory()
        var session = try newSession(dir)
        try session.append([Messages.user("q1"), Messages.assistant("half an ans", stopReason: "aborted")])
        let reloaded = try Session.load(session.file)
        #expect(reloaded.entries.last?.isAbortedAssistant == true)
        #expect(reloaded.context().texts == ["q1"])
        #expect(reloaded.context(droppingStopReasons: []).texts == ["q1", "half an ans"])
    }

    @Test func compactionReplaysSummaryThenKeptThenLaterEntries() throws {
        let dir = try TemporaryDirectory()
        var session = try newSession(dir)
        let early = try session.append([
            Messages.user("q1"), Messages.assistant("a1"), Messages.user("q2"), Messages.assistant("a2"),
        ]).entries
        try session.append(.compaction(summary: "summary of q1", firstKeptEntryId: early[2].id, tokensBefore: 1234))
        try session.append(Messages.user("q3"))
        let context = try Session.load(session.file).context()
        #expect(context.texts == ["summary of q1", "q2", "a2", "q3"])
        guard case .compactionSummary(let entry) = context.items.first else {
            Issue.record("expected a compaction summary first")
            return
        }
        #expect(entry["tokensBefore"]?.intValue == 1234)
    }

    @Test func labelsAndNamesFoldLatestWins() throws {
        let dir = try TemporaryDirectory()
        var session = try newSession(dir)
        let q = try session.append(Messages.user("q1"))
        let target = try #require(q?.id)
        try session.append([.label(targetId: target, label: "start"), .sessionInfo(name: "first name")])
        try session.append([.sessionInfo(name: "better name"), .label(targetId: target, label: nil)])
        let reloaded = try Session.load(session.file)
        #expect(reloaded.name == "better name")
        #expect(reloaded.tree.labels[target] == nil)
        #expect(reloaded.context().texts == ["q1"])
    }

    @Test func branchSummaryAndCustomMessageReplayButCustomStateDoesNot() throws {
        let dir = try TemporaryDirectory()
        var session = try newSession(dir)
        try session.append([
            Messages.user("q1"), .branchSummary(fromId: "root", summary: "tried X"),
            .custom(customType: "ext", data: .object(JSONObject(["k": 1]))),
            .customMessage(customType: "note", content: "remember Y", display: true),
        ])
        #expect(session.context().texts == ["q1", "tried X", "remember Y"])
    }

    @Test func missingParentEndsThePathWithADiagnostic() throws {
        let dir = try TemporaryDirectory()
        try dir.write(
            "t.jsonl",
            #"{"type":"session","version":3,"id":"x","timestamp":"t","cwd":"/"}"# + "\n"
                + #"{"type":"message","id":"b","parentId":"gone","timestamp":"t","message":{"role":"user","content":"orphan"}}"#
                + "\n")
        let session = try Session.load(SessionFile(path: dir.file("t.jsonl")))
        let context = session.context()
        #expect(context.texts == ["orphan"])
        #expect(context.diagnostics.map(\.kind) == [.missingParent])
    }
}
