import ArgumentParser
import Glibc
import PiePolicy

/// `pie`: the command-line coding agent. With no subcommand it runs the agent; the policy and
/// inspection commands below need no model.
@main
struct Pie: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "pie",
        abstract: "A coding agent for local models, with every tool call checked by policy and sandboxed.",
        discussion: "Exit codes: 0 done, 1 failed or denied, 2 bad usage.",
        version: version,
        subcommands: [
            PolicyCommand.self, ModelsCommand.self, LoginCommand.self, LogoutCommand.self, AuditCommand.self,
            SandboxCommand.self,
        ])

    @OptionGroup var policy: PolicyOptions

    @Flag(name: .customLong("print-tool-policy"), help: "Print the effective tool policy as JSON and exit.")
    var printToolPolicy = false

    func run() async throws {
        let environment = ProcessContext.environment()
        if printToolPolicy || environment["PIE_PRINT_TOOL_POLICY"].map(isTrue) == true {
            try PrintToolPolicy.run(options: policy, cwd: ProcessContext.currentDirectory(), environment: environment)
            return
        }
        throw PieExit.usage("no model to run yet: use --print-tool-policy or a subcommand (see pie --help)")
    }

    /// Parses and runs, mapping every failure to pie's exit codes: help and version 0,
    /// `PieExit` its own code, usage errors 2 — never a stack trace.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let exit as PieExit {
            if let message = exit.message { printError("pie: \(message)") }
            Glibc.exit(exit.code)
        } catch let error as PolicyError {
            printError("pie: \(error.message)")
            Glibc.exit(2)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Glibc.exit(0)
            }
            if let exitCode = error as? ExitCode { Glibc.exit(exitCode.rawValue) }
            printError(fullMessage(for: error))
            Glibc.exit(2)
        }
    }
}

func isTrue(_ text: String) -> Bool {
    ["1", "true", "yes", "on"].contains(text.lowercased())
}
