import Foundation
import PieAgent
import PieLocal
import PiePolicy
import PieSandbox
import Testing

/// What `make demo` does, in process: the shipped transcript drives the loop, the real coding
/// tools run on a copy of examples/demo-project under the hardened preset (with `python3`
/// allowed, as the demo passes `--allow-command python3`; OS sandbox off so the test needs no
/// bubblewrap).
@Suite("Demo end to end: replay + real tools + hardened policy")
struct DemoEndToEndTests {
    /// A copy of examples/demo-project and the standard tool runner over it (hardened preset).
    struct Project {
        let root: String
        let runner: ToolRunner
        /// The policy gate over the preset, as an agent runs its tools behind it.
        let hooks: AgentHooks

        init() throws {
            root = FileManager.default.temporaryDirectory.resolvingSymlinksInPath().path
                + "/pie-demo-" + UUID().uuidString.prefix(8).lowercased()
            try FileManager.default.copyItem(atPath: DemoTranscriptTests.repositoryRoot + "/examples/demo-project", toPath: root)
            try FileManager.default.createDirectory(atPath: root + "/.spill", withIntermediateDirectories: true)
            var flags = PolicyLayer()
            flags.values[.allowCommands] = .list(["python3"])
            flags.values[.osSandboxMode] = .string("off")
            for field in flags.values.keys { flags.sources[field] = "flag" }
            let policy = try PolicyBuilder.build(
                PolicyInputs(cwd: root, home: root + "/home", environment: [:], presetFlag: .hardened, flags: flags)
            ).policy
            runner = ToolRunner.standard(
                policy: policy, files: ConfinedFileOperations(paths: policy.paths, enforceRegularFiles: policy.enforceRegularFiles),
                shell: SandboxedShell(policy: policy, environment: ProcessInfo.processInfo.environment), cwd: root,
                spillDirectory: root + "/.spill")
            hooks = try AgentHooks().guarded(by: policy)
        }

        func remove() { try? FileManager.default.removeItem(atPath: root) }

        func configuration(_ provider: ReplayProvider) -> AgentConfiguration {
            AgentConfiguration(
                provider: provider, model: ModelDescriptor(id: "demo", api: .openAICompletions, provider: "replay", baseURL: ""),
                tools: runner, hooks: hooks)
        }
    }

    @Test func demoEditsTheProjectPassesItsTestsAndRecoversFromADenial() async throws {
        let project = try Project()
        defer { project.remove() }
        let provider = ReplayProvider(transcript: try ReplayTranscript(contentsOfFile: DemoTranscriptTests.transcriptPath))

        let result = await AgentLoop(configuration: project.configuration(provider))
            .run(prompts: [.user("Add discount support to total().")])

        #expect(result.outcome == .completed, "\(result.outcome)")
        let results = result.newMessages.compactMap(\.toolResult)
        #expect(results.map(\.isError) == [false, false, false, true], "\(results.map { LoopFixtures.text($0) })")
        let app = try String(contentsOfFile: project.root + "/src/app.py", encoding: .utf8)
        #expect(app.contains("def total(prices, discount=0.0):"))
        #expect(provider.remaining == 0)
    }

    @Test func malformedReplayedArgumentsReachTheToolAsAValidationError() async throws {
        let project = try Project()
        defer { project.remove() }
        let transcript = """
            [{"type":"tool_call","id":"c1","name":"read","arguments":"{\\"path\\": \\"src/app.py\\""}]
            [{"type":"expect","tool_results":1},{"type":"text","text":"Sorry, retrying."}]
            """
        let provider = ReplayProvider(transcript: try ReplayTranscript(parsing: transcript, source: "malformed"))

        let result = await AgentLoop(configuration: project.configuration(provider)).run(prompts: [.user("read")])

        #expect(result.outcome == .completed)
        let results = result.newMessages.compactMap(\.toolResult)
        #expect(results.map(\.isError) == [true])
        #expect(!LoopFixtures.text(results[0]).contains("def total"))
    }
}
