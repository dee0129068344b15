import ArgumentParser
import Glibc
import PieAgent
import PieHooks
import PieJSON
import PiePolicy
import PieRuntime
import PieSandbox

/// `pie hooks list|test|trust`: the lifecycle hooks of `hooks.toml` (docs/hooks.md).
struct HooksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hooks",
        abstract: "List, test and trust lifecycle hooks (~/.pie/hooks.toml, <project>/.pie/hooks.toml).",
        subcommands: [List.self, Test.self, Trust.self])

    /// The project to read: `--cwd` or the working directory, judged by the policy as a session would.
    struct Place: ParsableArguments {
        @Option(help: "The project directory (default: the current directory).")
        var cwd: String?

        @OptionGroup var policy: PolicyOptions

        func files(environment: [String: String]) throws(PieExit) -> (project: String, files: HookFiles) {
            let here = try ProcessContext.currentDirectory()
            let project = cwd.map { PathNormalizer.join(here, $0) } ?? here
            let selection: PolicySelection
            do throws(PolicyError) { selection = try policy.selection() } catch { throw PieExit.usage(error.message) }
            do throws(AgentBuildError) {
                return try ProcessContext.agentBuilder(environment: environment).hookFiles(
                    policy: selection, cwd: project, onWarning: { printError("pie: warning: \($0)") })
            } catch {
                throw PieExit(error)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "Show both hooks files, whether the project's is trusted, and each hook; exits 1 when a file has errors.")

        @Flag(help: "Print JSON.")
        var json = false

        @OptionGroup var place: Place

        func run() throws {
            let (_, files) = try place.files(environment: ProcessContext.environment())
            let states = [files.user] + (files.project.map { [$0] } ?? [])
            if json {
                print(JSONWriter.string(.object(JSONObject([("files", .array(states.map(HookListing.json)))])), pretty: true))
            } else {
                print(states.map(HookListing.text).joined(separator: "\n"), terminator: "")
            }
            if states.contains(where: { if case .failure = $0.parsed { true } else { false } }) { throw PieExit(code: 1) }
        }
    }

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "test",
            abstract: "Run the hooks of EVENT now with a sample payload (in the sandbox, audited) and print how each ended.",
            discussion: """
                Events: \(HookEvent.names).
                Exit codes: 0 every hook ran (a pre_tool denial included), 1 a hook failed, 2 bad usage.
                """)

        @Argument(help: "The event whose hooks run.")
        var event: String

        @Option(help: "A JSON object whose members replace or add to the sample payload.")
        var payload: String?

        @Option(help: "The tool name of the sample call, for tool events and pre_tool.")
        var tool = "bash"

        @OptionGroup var place: Place

        func run() async throws {
            guard let hookEvent = HookEvent(rawValue: event) else {
                let hint = Spelling.closest(to: event, among: HookEvent.allCases.map(\.rawValue)).map { " (did you mean '\($0)'?)" } ?? ""
                throw PieExit.usage("'\(event)' is not a hook event\(hint); events: \(HookEvent.names)")
            }
            let overrides = try payload.map(Self.object) ?? JSONObject()
            let environment = ProcessContext.environment()
            let here = try ProcessContext.currentDirectory()
            let project = place.cwd.map { PathNormalizer.join(here, $0) } ?? here
            let selection: PolicySelection
            do throws(PolicyError) { selection = try place.policy.selection() } catch { throw PieExit.usage(error.message) }
            let session = HookSessionInfo(sessionID: "hooks-test-\(getpid())", cwd: project, modelProvider: "test", modelID: "test")
            let lifecycle: LifecycleHooks?
            do throws(AgentBuildError) {
                lifecycle = try ProcessContext.agentBuilder(environment: environment).lifecycleHooks(
                    policy: selection, cwd: project, auditSession: session.sessionID, session: session,
                    onWarning: { printError("pie: warning: \($0)") })
            } catch {
                throw PieExit(error)
            }
            guard let lifecycle else {
                printError("pie: no hook takes effect here, so nothing ran")
                return
            }
            let sample = HookSample.payload(hookEvent, base: lifecycle.payload(hookEvent), tool: tool, overrides: overrides)
            let results = await lifecycle.runNow(sample)
            if results.isEmpty { printError("pie: no hook runs for \(event)\(hookEvent.concernsTool ? " on \(sample.toolName ?? tool)" : "")") }
            for result in results { print(result.summary) }
            if results.contains(where: { $0.outcome == .failed || $0.outcome == .timedOut || $0.auditError != nil }) {
                throw PieExit(code: 1)
            }
        }

        static func object(_ text: String) throws(PieExit) -> JSONObject {
            let value: JSONValue
            do { value = try JSONParser.parse(Array(text.utf8)) } catch {
                throw PieExit.usage("--payload is not valid JSON (\(error)); give an object such as '{\"tool_name\":\"write\"}'")
            }
            guard let object = value.objectValue else {
                throw PieExit.usage("--payload must be a JSON object such as '{\"tool_name\":\"write\"}'")
            }
            return object
        }
    }

    struct Trust: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "trust",
            abstract: "Print the project's .pie/hooks.toml and trust exactly these bytes; a changed file needs trusting again.")

        @OptionGroup var place: Place

        func run() throws {
            let environment = ProcessContext.environment()
            let (project, files) = try place.files(environment: environment)
            guard let file = files.project else {
                throw PieExit(
                    code: 1, message: "\(files.user.path) is your own hooks file (this project is your home directory); it needs no trust")
            }
            guard let contents = file.contents else {
                throw PieExit(
                    code: 1,
                    message: "\(HookFiles.projectPath(project: project)) does not exist; there is nothing to trust "
                        + "(~/.pie/hooks.toml needs no trust)")
            }
            print(HookListing.text(file), terminator: "")
            if case .failure(let error) = file.parsed {
                throw PieExit(code: 1, message: "not trusted: the file has errors, so none of its hooks could run:\n\(error)")
            }
            guard let directory = PieDirectory.resolve(environment: environment) else {
                throw PieExit(code: 2, message: "cannot find pie's state directory: set HOME or PIE_DIR")
            }
            do throws(ProjectTrustError) {
                try ProjectTrust(stateDirectory: directory.root).trust(file: file.path, contents: contents)
            } catch {
                throw PieExit(code: 1, message: "could not record the trust: \(error)")
            }
            print("trusted \(file.path); its hooks run from now on, until the file changes")
        }
    }
}
