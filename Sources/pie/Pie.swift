import ArgumentParser
import Glibc
import PieAgent
import PieHooks
import PiePolicy
import PieRuntime

/// `pie`: the command-line coding agent. With no subcommand it runs the agent; the policy and
/// inspection commands below need no model.
///
/// Every command sets `commandName`: without it ArgumentParser derives the name with
/// `String(describing:)`, which scans all of the binary's protocol conformances for each command
/// at every start, whatever the command line.
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
            SandboxCommand.self, ToolCommand.self, SessionsCommand.self, AutomationsCommand.self, MCPCommand.self, HooksCommand.self,
        ])

    @OptionGroup(title: "Model") var model: ModelOptions
    @OptionGroup(title: "Prompt") var prompt: RunOptions
    @OptionGroup(title: "Session") var sessions: SessionOptions
    @OptionGroup(title: "Tool policy") var policy: PolicyOptions

    @Flag(name: .customLong("print-tool-policy"), help: "Print the effective tool policy as JSON and exit.")
    var printToolPolicy = false

    func run() async throws {
        let environment = ProcessContext.environment()
        let cwd = try ProcessContext.currentDirectory()
        if printToolPolicy || environment["PIE_PRINT_TOOL_POLICY"].map(isTrue) == true {
            try PrintToolPolicy.run(options: policy, cwd: cwd, environment: environment)
            return
        }
        if sessions.listSessions || sessions.listAllSessions {
            try SessionListing.list(store: SessionListing.store(), cwd: sessions.listAllSessions ? nil : cwd)
            return
        }
        if let prefix = sessions.deleteSession {
            try SessionListing.delete(store: SessionListing.store(), prefix: prefix)
            return
        }
        let printer = EventPrinter(mode: prompt.mode, style: Style(environment: environment, descriptor: STDERR_FILENO))
        let text = try OneShot.prompt(self.prompt)
        let images = try OneShot.images(self.prompt)
        let flags = AgentFlags(policy: policy, model: model, run: prompt, sessions: sessions, cwd: cwd, environment: environment)
        let approver: any Approver =
            text == nil ? TerminalQuestion.approver(style: printer.style) : NobodyApprover(mode: "pie -p")
        let mcp = try await MCPStartup.start(cwd: cwd, environment: environment)
        do {
            guard let text else {
                // Only a session with someone at the terminal to confirm it offers the schedule tool.
                let jobs = try InteractiveJobs(environment: environment, style: printer.style, projectRoot: cwd)
                let tools: [any AgentTool] = mcp.tools + [jobs.tool]
                let refresh = MCPStartup.refresher(mcp)
                let agent = try flags.build(
                    onEvent: printer.handle, approver: approver, extraTools: tools, refreshTools: refresh)
                var session = InteractiveSession(
                    agent: agent, printer: printer, environment: environment,
                    makeAgent: { sessions, model throws(PieExit) in
                        var flags = flags
                        (flags.sessions, flags.model) = (sessions, model)
                        return try flags.build(
                            onEvent: printer.handle, approver: approver, extraTools: tools, refreshTools: refresh)
                    }, modelOptions: model, jobs: jobs, mcp: mcp, pendingImages: images)
                try await session.run()
                await agent.lifecycle?.drain()
                await mcp.close()
                return
            }
            let agent = try flags.build(
                onEvent: printer.handle, approver: approver, extraTools: mcp.tools, refreshTools: MCPStartup.refresher(mcp))
            try await OneShot.run(prompt: text, images: images, agent: agent, printer: printer)
            await mcp.close()
        } catch {
            await mcp.close()
            throw error
        }
    }

    /// Parses and runs, mapping every failure to pie's exit codes: help and version 0,
    /// `PieExit` its own code, usage errors 2 — never a stack trace.
    static func main() async {
        // Before anything reads `CommandLine.arguments`, which has already replaced invalid bytes.
        if let refusal = ArgumentEncoding.check(
            arguments: ArgumentEncoding.processArguments(), environment: ArgumentEncoding.processEnvironment())
        {
            printError("pie: \(refusal.message ?? ArgumentEncoding.message)")
            Glibc.exit(refusal.code)
        }
        // `pie --version` answers before ArgumentParser builds the command tree: that reflection
        // over every subcommand's options is the part of start-up pie itself controls.
        if CommandLine.arguments.dropFirst().elementsEqual(["--version"]) {
            print(version)
            return
        }
        do {
            let environment = ProcessContext.environment()
            if PrintToolPolicy.isRequestedAlone(arguments: Array(CommandLine.arguments.dropFirst()), environment: environment) {
                try PrintToolPolicy.runWithoutFlags(cwd: try ProcessContext.currentDirectory(), environment: environment)
                return
            }
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
