import ArgumentParser
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
            abstract: "Report bubblewrap, seccomp, openat2 and process-cap support, and what auto mode will use.")

        func run() async throws {
            // The CLI is where the process environment is read; the library only sees what it is given.
            let report = await SandboxDoctor.run(environment: ProcessContext.environment())
            for line in report.lines { print(line) }
            if !report.forceWorks { throw ExitCode(1) }
        }
    }
}
