import Foundation
import Testing

@Suite("--session PATH")
struct SessionFlagTests {
    /// A one-response transcript: the replay provider answers "hello" and stops.
    static let transcript = #"[{"type": "text", "text": "hello"}, {"type": "stop", "reason": "stop"}]"# + "\n"

    @Test("a missing session file is created, and the next run appends to it")
    func createsThenAppends() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        try project.write("one.jsonl", Self.transcript)
        try project.write("two.jsonl", Self.transcript)
        let session = "sessions/mine.jsonl"
        for transcript in ["one.jsonl", "two.jsonl"] {
            let result = try await runPie(
                ["--provider", "replay", "--replay", transcript, "--session", session, "-p", "hi"], cwd: project.path)
            #expect(result.status == 0)
            #expect(result.stdout.contains("hello"))
        }
        let lines = try String(contentsOfFile: project.path + "/" + session, encoding: .utf8)
            .split(separator: "\n").map { try parseJSON(String($0)) }
        #expect(lines.first?["type"] as? String == "session")
        let roles = lines.compactMap { ($0["message"] as? [String: Any])?["role"] as? String }
        #expect(roles == ["user", "assistant", "user", "assistant"])
    }
}
