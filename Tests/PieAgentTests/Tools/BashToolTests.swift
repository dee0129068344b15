import Foundation
import PieJSON
import PiePolicy
import Synchronization
import Testing

@testable import PieAgent

@Suite("bash tool")
struct BashToolTests {
    let fixture = ToolFixture()
    let tool = BashTool()

    private func bash(_ json: String, context: ToolContext? = nil) async -> ToolResult {
        await fixture.run(tool, json, context: context)
    }

    @Test func interleavesStdoutAndStderr() async {
        let result = await bash(#"{"command":"echo a; sleep 0.05; echo b >&2; sleep 0.05; echo c"}"#)
        #expect(!result.isError)
        #expect(result.text == "a\nb\nc\n")
    }

    @Test func runsInTheWorkingDirectory() async {
        let result = await bash(#"{"command":"pwd"}"#)
        #expect(result.text == fixture.root + "\n")
    }

    @Test func nonZeroExitIsAnErrorEndingWithTheCode() async {
        let result = await bash(#"{"command":"echo hi; exit 3"}"#)
        #expect(result.isError)
        #expect(result.text == "hi\n\n\nCommand exited with code 3")
        let silent = await bash(#"{"command":"exit 2"}"#)
        #expect(silent.text == "(no output)\n\nCommand exited with code 2")
    }

    @Test func noOutput() async {
        #expect(await bash(#"{"command":"true"}"#).text == "(no output)")
    }

    @Test func lineTruncationSpillsFullOutput() async throws {
        let result = await bash(#"{"command":"seq 1 3000"}"#)
        let text = result.text
        #expect(text.hasPrefix("1002\n"))
        guard case .string(let path)? = result.detailsJSON?["fullOutputPath"] else {
            Issue.record("no spill path in \(String(describing: result.details))")
            return
        }
        #expect(text.hasSuffix("\n\n[Showing lines 1002-3001 of 3001. Full output: \(path)]"))
        #expect(path.hasPrefix(fixture.spill + "/pi-bash-") && path.hasSuffix(".log"))
        let spilled = try String(contentsOfFile: path, encoding: .utf8)
        #expect(spilled == (1...3000).map(String.init).joined(separator: "\n") + "\n")
    }

    @Test func byteTruncationSpillsFullOutput() async throws {
        let result = await bash(#"{"command":"for i in $(seq 1 1000); do printf '%099d\\n' $i; done"}"#)
        guard case .string(let path)? = result.detailsJSON?["fullOutputPath"] else {
            Issue.record("no spill path")
            return
        }
        #expect(result.text.hasSuffix("(50.0KB limit). Full output: \(path)]"))
        #expect(result.text.contains("[Showing lines 489-1001 of 1001"))
        let spilled = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(spilled.count == 100_000)
    }

    @Test func policyOutputCapWins() async {
        fixture.policy.maxToolOutputBytes = 100
        let result = await bash(#"{"command":"seq 1 100"}"#)
        #expect(result.text.contains("(100B limit). Full output: "))
    }

    @Test func timeoutMessage() async {
        let result = await bash(#"{"command":"echo start; sleep 5","timeout":0.5}"#)
        #expect(result.isError)
        #expect(result.text == "start\n\n\nCommand timed out after 0.5 seconds")
    }

    @Test func policyTimeoutCapsTheRequestedOne() {
        #expect(BashTool.timeoutMs(requestedSeconds: 600, policyMs: 30_000) == 30_000)
        #expect(BashTool.timeoutMs(requestedSeconds: 2, policyMs: 30_000) == 2000)
        #expect(BashTool.timeoutMs(requestedSeconds: nil, policyMs: 30_000) == 30_000)
    }

    @Test func timeoutMustBePositive() async {
        let result = await bash(#"{"command":"true","timeout":0}"#)
        #expect(result.text == "Invalid arguments for bash: field 'timeout' must be greater than 0 (got 0)")
    }

    @Test func dryRunDoesNotExecute() async {
        fixture.policy.bashDryRun = true
        let result = await bash(#"{"command":"touch created"}"#)
        #expect(!result.isError)
        #expect(result.text.hasPrefix("Dry run:"))
        #expect(fixture.read("created") == nil)
    }

    /// The command blocks on a FIFO that the test opens only after seeing the first update, so
    /// streaming is proven by order of events, not by timing.
    @Test func streamsUpdates() async throws {
        let gate = fixture.root + "/gate"
        #expect(mkfifo(gate, 0o600) == 0)
        let updates = Mutex<[String]>([])
        let context = fixture.context { update in
            let first = updates.withLock { seen -> Bool in
                seen.append(update.text)
                return seen.count == 1
            }
            if first, update.text == "one\n" {
                let fd = open(gate, O_WRONLY)
                close(fd)
            }
        }
        _ = await bash(#"{"command":"echo one; cat gate > /dev/null; echo two"}"#, context: context)
        let seen = updates.withLock { $0 }
        #expect(seen.first == "one\n")
        #expect(seen.last == "one\ntwo\n")
    }

    /// The cancel is sent once the first output arrived, while the command blocks on a FIFO
    /// nobody writes.
    @Test func cancellationAborts() async throws {
        let gate = fixture.root + "/never"
        #expect(mkfifo(gate, 0o600) == 0)
        let started = AsyncStream<Void>.makeStream()
        let context = fixture.context { _ in started.continuation.yield() }
        let task = Task { await bash(#"{"command":"echo started; cat never"}"#, context: context) }
        var iterator = started.stream.makeAsyncIterator()
        await iterator.next()
        task.cancel()
        let result = await task.value
        #expect(result.isError)
        #expect(result.text == "started\n\n\nCommand aborted")
    }
}

@Suite("bash output collection")
struct BashOutputTests {
    @Test func spillKeepsEverythingAcrossLateAndLargeChunks() throws {
        let fixture = ToolFixture()
        let output = BashOutput(maxBytes: 10, spillDirectory: fixture.spill)
        _ = output.append(Array("12345\n".utf8))
        _ = output.append(Array(String(repeating: "x", count: 40).utf8))
        _ = output.append(Array("\nend\n".utf8))
        let snapshot = output.snapshot()
        let path = try #require(snapshot.spillPath)
        let spilled = try String(contentsOfFile: path, encoding: .utf8)
        #expect(spilled == "12345\n" + String(repeating: "x", count: 40) + "\nend\n")
        #expect(snapshot.totalLines == 4)
    }

    @Test func lineTruncationUnderTheByteCapStillSpillsLaterChunks() throws {
        let fixture = ToolFixture()
        let output = BashOutput(maxBytes: 1 << 20, spillDirectory: fixture.spill)
        _ = output.append(Array(String(repeating: "a\n", count: 2500).utf8))
        _ = output.snapshot()
        _ = output.append(Array("tail\n".utf8))
        let path = try #require(output.snapshot().spillPath)
        #expect(try String(contentsOfFile: path, encoding: .utf8).hasSuffix("a\ntail\n"))
    }
}
