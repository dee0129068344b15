import ArgumentParser
import PiePolicy
import PieSandbox

/// `pie sandbox doctor`: what this machine supports and which containment `auto` picks.
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Inspect the OS sandbox pie runs shell commands in.",
        subcommands: [Doctor.self])

    struct Doctor: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "doctor",
            abstract: "Report bubblewrap, seccomp, openat2 and process-cap support, what auto mode will use, and the sandbox the policy puts in force here.")

        @OptionGroup var policy: PolicyOptions

        func run() async throws {
            // The CLI is where the process environment is read; the library only sees what it is given.
            let environment = ProcessContext.environment()
            let report = await SandboxDoctor.run(environment: environment)
            for line in report.lines { print(line) }
            // What this directory's policy (the preset and flags given here) puts in force.
            let effective = try policy.effectivePolicy(cwd: ProcessContext.currentDirectory(), environment: environment)
            print("policy: preset \(effective.policy.preset.rawValue) (\(effective.presetSource))")
            print(await SandboxInForce.describe(effective.policy, environment: environment).line)
            if !report.forceWorks { throw ExitCode(1) }
        }
    }
}
