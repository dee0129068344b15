import PieAgent
import PieJSON
import PieSystem
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Entry points for PieBench: build a large realistic session, then time resuming it.
public enum SessionBenchmark {
    /// What one resume measured.
    public struct ResumeResult: Sendable {
        public var entries: Int
        public var bytes: Int
        /// Entries on the active root → leaf path.
        public var pathLength: Int
        /// Items the replayed context holds.
        public var contextItems: Int
        /// Wall time to read, parse, build the tree and replay the context.
        public var milliseconds: Double
        /// CPU time of the same work on this thread; steadier than wall time on a busy machine.
        public var cpuMilliseconds: Double
    }

    /// The whole benchmark in one call: writes a session of `entryCount` entries into a fresh
    /// temporary directory, resumes it `runs` times, deletes it, and returns every measurement
    /// (the first run includes a cold page cache only if the kernel dropped it in between).
    public static func runResume(entryCount: Int = 10_000, runs: Int = 5) throws(SessionError) -> [ResumeResult] {
        var template = Array("/tmp/pie-session-bench-XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.flatMap { mkdtemp($0) }.map { String(cString: $0) }
        }
        guard let directory = created else {
            throw .io(operation: "create temporary directory", path: "/tmp", errno: errno)
        }
        defer {
            for name in FileIO.list(directory) ?? [] { try? FileIO.remove(directory + "/" + name) }
            rmdir(directory)
        }
        let path = try writeSession(entryCount: entryCount, in: directory)
        var results: [ResumeResult] = []
        for _ in 0..<max(runs, 1) { results.append(try measureResume(path: path)) }
        return results
    }

    /// Writes a session of `entryCount` entries (user → assistant with a tool call → tool result,
    /// repeated; ~0.5 KiB per entry) into `directory` and returns its path.
    public static func writeSession(entryCount: Int = 10_000, in directory: String) throws(SessionError) -> String {
        let path = directory + "/bench-" + UUIDv7.generate() + ".jsonl"
        let header = SessionHeader(id: UUIDv7.generate(), timestamp: Timestamp.iso(milliseconds: 0), cwd: directory)
        var tree = SessionTree()
        var generator = SystemRandomNumberGenerator()
        var entries: [SessionEntry] = []
        entries.reserveCapacity(entryCount)
        let filler = String(repeating: "lorem ipsum dolor sit amet ", count: 12)
        for index in 0..<entryCount {
            let content: SessionEntryContent
            switch index % 3 {
            case 0:
                content = .message(
                    .object(
                        JSONObject([
                            "role": "user", "content": .string("request \(index): \(filler)"),
                            "timestamp": .number(Double(index)),
                        ])))
            case 1:
                content = .message(
                    .object(
                        JSONObject([
                            "role": "assistant",
                            "content": .array([
                                .object(JSONObject(["type": "text", "text": .string("answer \(index) \(filler)")])),
                                .object(
                                    JSONObject([
                                        "type": "toolCall", "id": .string("call_\(index)"), "name": "read",
                                        "arguments": .object(JSONObject(["path": "Sources/main.swift"])),
                                    ])),
                            ]),
                            "provider": "local", "model": "qwen3-coder", "stopReason": "toolUse",
                            "usage": .object(JSONObject(["input": 1200, "output": 80, "totalTokens": 1280])),
                        ])))
            default:
                content = .message(
                    .object(
                        JSONObject([
                            "role": "toolResult", "toolCallId": .string("call_\(index - 1)"), "toolName": "read",
                            "content": .array([.object(JSONObject(["type": "text", "text": .string(filler)]))]),
                            "isError": false,
                        ])))
            }
            let entry = SessionEntry(
                id: tree.newEntryId(using: &generator), parentId: tree.leafId,
                timestamp: Timestamp.iso(milliseconds: Int64(index)), content: content)
            tree.append(entry)
            entries.append(entry)
        }
        _ = try SessionFile.create(at: path, header: header, entries: entries, syncOnAppend: false)
        return path
    }

    /// Loads the session at `path` and replays its context, timing the whole resume.
    public static func measureResume(path: String) throws(SessionError) -> ResumeResult {
        let start = Timestamp.monotonicNanoseconds()
        let cpuStart = Timestamp.threadCPUNanoseconds()
        let session = try Session.load(SessionFile(path: path))
        let context = session.context()
        let cpu = Double(Timestamp.threadCPUNanoseconds() - cpuStart) / 1_000_000
        let elapsed = Double(Timestamp.monotonicNanoseconds() - start) / 1_000_000
        return ResumeResult(
            entries: session.entries.count, bytes: FileIO.stamp(path)?.size ?? 0,
            pathLength: session.tree.activePath().entries.count, contextItems: context.items.count,
            milliseconds: elapsed, cpuMilliseconds: cpu)
    }
}
