import Foundation
import Testing
import PieJSON

@testable import PieSandbox
import PieSystem

@Suite("Audit log") struct AuditTests {
    static func sample(_ index: Int, decision: AuditDecision = .allow, tool: String = "bash") -> AuditRecord {
        AuditRecord(
            event: .decision, session: "s1", callID: "call-\(index)", tool: tool, arguments: "{\"command\":\"ls \(index)\"}",
            decision: decision, rule: decision == .allow ? "allowed" : "path.deny", reason: "because")
    }

    func writeLog(_ count: Int, in scratch: Scratch) throws -> String {
        let log = AuditLog(path: scratch.file("audit/day.jsonl"), durability: .noSync)
        for index in 1...count { try log.append(Self.sample(index)) }
        return log.path
    }

    func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    func store(_ lines: [String], _ path: String) throws {
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: false, encoding: .utf8)
    }

    @Test func intactLogVerifies() throws {
        let scratch = try Scratch()
        let path = try writeLog(5, in: scratch)
        let result = try AuditVerifier.verify(path: path)
        #expect(result.isIntact)
        #expect(result.records == 5)
        #expect(try lines(path).last?.contains("\"seq\":5") == true)
    }

    @Test func outputIsAnEscapedStringAndSecretsAreRedacted() throws {
        let scratch = try Scratch()
        let log = AuditLog(
            path: scratch.file("a.jsonl"), redactor: SecretRedactor(extraSecrets: ["sk-live-0123456789"]),
            durability: .noSync)
        var record = Self.sample(1)
        record.event = .completion
        record.output = "line1\n\"},{\"injected\":true} sk-live-0123456789 \u{1b}[31m"
        try log.append(record)
        let line = try lines(log.path)[0]
        #expect(!line.contains("sk-live"))
        #expect(line.contains(#""output":"line1\n\"},{\"injected\":true} [REDACTED] \u001b[31m""#))
        let parsed = (try? JSONParser.parseLine(line)).flatMap(AuditRecord.init(json:))
        #expect(parsed?.output == "line1\n\"},{\"injected\":true} [REDACTED] \u{1b}[31m")
    }

    @Test func concurrentWritersKeepTheChain() async throws {
        let scratch = try Scratch()
        let path = scratch.file("shared.jsonl")
        await withTaskGroup(of: Void.self) { group in
            for writer in 0..<4 {
                group.addTask {
                    let log = AuditLog(path: path, durability: .noSync)
                    for index in 0..<25 { _ = try? log.append(Self.sample(writer * 100 + index)) }
                }
            }
        }
        let result = try AuditVerifier.verify(path: path)
        #expect(result.isIntact, "\(result.problem ?? "")")
        #expect(result.records == 100)
    }

    @Test func defaultPathHonoursPieDir() {
        #expect(AuditLog.defaultPath(environment: ["PIE_DIR": "/x"], nowSeconds: 0) == "/x/audit/1970-01-01.jsonl")
        #expect(AuditLog.defaultPath(environment: ["HOME": "/home/u"], nowSeconds: 86400) == "/home/u/.pie/audit/1970-01-02.jsonl")
    }

    @Test func clockRoundTrips() {
        let text = AuditClock.format(seconds: 1_795_000_000, milliseconds: 7)
        #expect(text == "2026-11-18T11:06:40.007Z")
        #expect(AuditClock.parse(text) == 1_795_000_000)
    }

    @Test func queryFiltersByToolDecisionAndAge() throws {
        let scratch = try Scratch()
        let log = AuditLog(path: scratch.file("q.jsonl"), durability: .noSync)
        try log.append(Self.sample(1, decision: .deny, tool: "read"))
        try log.append(Self.sample(2, decision: .allow, tool: "read"))
        try log.append(Self.sample(3, decision: .deny, tool: "bash"))
        let denied = try AuditQuery(tool: "read", decision: .deny, sinceSeconds: 3600).select(path: log.path)
        #expect(denied.map(\.callID) == ["call-1"])
        let future = AuditClock.now().seconds + 7200
        #expect(try AuditQuery(sinceSeconds: 3600).select(path: log.path, nowSeconds: future).isEmpty)
        #expect(AuditQuery.duration("1h") == 3600)
        #expect(AuditQuery.duration("h") == nil)
    }
}

/// The decision and the sandbox of a record are enums written as the strings logs always had;
/// a value pie does not know makes the line unreadable rather than guessed.
@Suite struct AuditRecordVocabularyTests {
    @Test func decisionAndSandboxReadBackAsTheyWereWritten() throws {
        var record = AuditRecord(
            event: .completion, session: "s", callID: "c", tool: "bash", arguments: "{}", decision: .deny,
            rule: "allowed_commands", sandbox: .launcher, exitCode: 1)
        record.hash = String(repeating: "a", count: 64)
        let line = record.encodedLine
        #expect(line.contains(#""decision":"deny""#) && line.contains(#""sandbox":"launcher""#))
        let parsed = try #require(AuditRecord(json: try JSONParser.parseLine(line)))
        #expect(parsed.decision == .deny && parsed.sandbox == .launcher)

        for (field, value) in [("decision", "deny"), ("sandbox", "launcher")] {
            let unknown = line.replacingOccurrences(of: #""\#(field)":"\#(value)""#, with: #""\#(field)":"maybe""#)
            #expect(AuditRecord(json: try JSONParser.parseLine(unknown)) == nil)
        }
    }

    @Test func anAskAndItsApprovalReadBackAndAnUnknownApproverIsUnreadable() throws {
        var ask = AuditRecord(
            event: .decision, session: "s", callID: "c", tool: "bash", arguments: "{}", decision: .ask,
            rule: "ask_commands", reason: "'git push' matches")
        ask.hash = String(repeating: "a", count: 64)
        #expect(ask.encodedLine.contains(#""event":"decision""#) && ask.encodedLine.contains(#""decision":"ask""#))
        #expect(!ask.encodedLine.contains("approver"))
        #expect(try #require(AuditRecord(json: try JSONParser.parseLine(ask.encodedLine))).decision == .ask)

        for source in [ApprovalSource.user, .command, .timeout, .nobody] {
            var approval = AuditRecord(
                event: .approval, session: "s", callID: "c", tool: "bash", arguments: "{}",
                decision: source == .user || source == .command ? .allow : .deny, rule: "ask_commands",
                reason: "answered", approver: source)
            approval.hash = String(repeating: "b", count: 64)
            let line = approval.encodedLine
            #expect(line.contains(#""event":"approval""#) && line.contains(#""approver":"\#(source.rawValue)""#))
            let parsed = try #require(AuditRecord(json: try JSONParser.parseLine(line)))
            #expect(parsed == approval)
            let unknown = line.replacingOccurrences(of: #""approver":"\#(source.rawValue)""#, with: #""approver":"model""#)
            #expect(AuditRecord(json: try JSONParser.parseLine(unknown)) == nil)
        }
    }

    @Test func aLogWithAnAskAnApprovalAndACompletionVerifies() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pie-ask-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/audit.jsonl"
        let log = AuditLog(path: path, durability: .noSync)
        try log.append(AuditRecord(
            event: .decision, session: "s", callID: "c", tool: "bash", arguments: "{}", decision: .ask, rule: "ask_commands"))
        try log.append(AuditRecord(
            event: .approval, session: "s", callID: "c", tool: "bash", arguments: "{}", decision: .allow,
            rule: "ask_commands", reason: "approved with pie automations approve", approver: .command))
        try log.append(AuditRecord(
            event: .completion, session: "s", callID: "c", tool: "bash", arguments: "{}", decision: .allow,
            rule: "ask_commands", exitCode: 0))
        let verification = try AuditVerifier.verify(path: path)
        #expect(verification.isIntact && verification.records == 3)
        let shown = try AuditQuery(decision: .ask).select(path: path)
        #expect(shown.count == 1)
        let summary = try AuditQuery().select(path: path)[1].summary
        #expect(summary.contains("approval  bash  ALLOW  ask_commands  by=command"))
        #expect(summary.hasSuffix("— approved with pie automations approve"))
    }
}
