import Foundation
import Glibc
import PieTestSupport
import Testing

/// The serve process runs Swift concurrency on SwiftNIO's event loops, not libdispatch, whose
/// pool keeps a once-a-second monitor timer (docs/architecture.md, "An idle serve"): none of its
/// threads exist after serve started, scheduled work and a run included.
@Suite("pie automations serve: executors")
struct ServeExecutorsEndToEndTests {
    @Test("after start-up and a run, serve has NIO's event-loop threads and no libdispatch pool thread")
    func noDispatchThreads() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let server = try ScriptedServer([Script(steps: [.send(Array(ChatStream.text("All checks pass.").utf8))])])
        defer { server.stop() }
        try project.registerModels([("scripted", "local", server.baseURL)])
        try project.automation("hourly", trigger: "every = \"1h\"")
        try project.setClock(testEpoch)

        let serve = try ServeProcess(project)
        #expect(await serve.waitFor("serve_started"))
        try project.setClock(testEpoch + 3600)
        #expect(await serve.waitFor("run_finished"), "\(serve.log)")

        let names = threadNames(of: serve.process.pid)
        // libdispatch names its workers and manager after their root queues
        // (com.apple.root.default-qos, …-qos.overcommit), cut to the kernel's 15 bytes.
        #expect(!names.contains { $0.contains("qos") }, "\(names)")
        #expect(names.contains { $0.hasPrefix("NIO-") }, "\(names)")
        #expect(await serve.terminate() == 0)
    }

    private func threadNames(of pid: pid_t) -> [String] {
        let directory = "/proc/\(pid)/task"
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return tasks.compactMap { task in
            (try? String(contentsOfFile: "\(directory)/\(task)/comm", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }
}
