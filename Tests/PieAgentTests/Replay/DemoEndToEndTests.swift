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
    @Test func demoEditsTheProjectPassesItsTestsAndRecoversFromADenial() async throws {
        let project = FileManager.default.temporaryDirectory.resolvingSymlinksInPath().path
            + "/pie-demo-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.copyItem(atPath: DemoTranscriptTests.repositoryRoot + "/examples/demo-project", toPath: project)
        defer { try? FileManager.default.removeItem(atPath: project) }
        try FileManager.default.createDirectory(atPath: project + "/.spill", withIntermediateDirectories: true)

        var flags = PolicyLayer()
        flags.values[.allowCommands] = .list(["python3"])
        flags.values[.osSandboxMode] = .string("off")
        for field in flags.values.keys { flags.sources[field] = "flag" }
        let policy = try PolicyBuilder.build(
            PolicyInputs(cwd: project, home: project + "/home", environment: [:], presetFlag: .hardened, flags: flags)
        ).policy
        let runner = try ToolRunner.standard(
            policy: policy, files: ConfinedFileOperations(paths: policy.paths, enforceRegularFiles: policy.enforceRegularFiles),
            shell: SandboxedShell(policy: policy, environment: ProcessInfo.processInfo.environment), cwd: project,
            spillDirectory: project + "/.spill")
        let provider = ReplayProvider(transcript: try ReplayTranscript(contentsOfFile: DemoTranscriptTests.transcriptPath))
        let configuration = AgentConfiguration(
            provider: provider, model: ModelDescriptor(id: "demo", api: .openAICompletions, provider: "replay", baseURL: ""),
            tools: runner.toolSpecs, toolExecutor: runner)

        let result = await AgentLoop(configuration: configuration).run(prompts: [.user("Add discount support to total().")])

        #expect(result.outcome == .completed, "\(result.outcome)")
        let results = result.newMessages.compactMap(\.toolResult)
        #expect(results.map(\.isError) == [false, false, false, true], "\(results.map { LoopFixtures.text($0) })")
        let app = try String(contentsOfFile: project + "/src/app.py", encoding: .utf8)
        #expect(app.contains("def total(prices, discount=0.0):"))
        #expect(provider.remaining == 0)
    }
}
