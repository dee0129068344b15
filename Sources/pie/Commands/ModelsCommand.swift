import ArgumentParser
import PieLocal
import PieJSON
import PieRuntime
import PieSystem

#if canImport(Glibc)
#endif

/// `pie models [--json]` lists every model and where it came from; `pie models check
/// [provider:model]` is a doctor for a model endpoint. Exit codes: 0 ok, 1 failure, 2 bad usage.
struct ModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List the models pie can use, or check that one answers.",
        subcommands: [ListModels.self, CheckModel.self],
        defaultSubcommand: ListModels.self)
}

extension ModelsCommand {
    struct ListModels: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List every model with its API, context window and source.")

        @Flag(help: "Print the list as JSON.")
        var json = false

        @Option(name: .customLong("base-url"), help: "Also register the DS4 descriptor at this URL.")
        var baseURL: String?

        func run() throws {
            let registry = try ModelsCLI.loadRegistry(environment: PieEnvironment.process(), baseURL: baseURL)
            if json {
                print(JSONWriter.string(.array(registry.models.map(ModelsCLI.json)), keys: .sorted))
                return
            }
            let rows = registry.models.map { model in
                [model.qualifiedID, model.api.rawValue, String(model.contextWindow), model.reasoning ? "yes" : "", model.source.description]
            }
            print(ModelsCLI.table(header: ["MODEL", "API", "CONTEXT", "REASONING", "SOURCE"], rows: rows))
        }
    }

    struct CheckModel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Send a tiny request and report reachability, latency, streaming, tool calls and reasoning.")

        @Argument(help: "The model as provider:model (default: the model pie would use).")
        var model: String?

        @Option(help: "The provider, when the model is given without one.")
        var provider: String?

        @Option(name: .customLong("base-url"), help: "Override the model's base URL.")
        var baseURL: String?

        func run() async throws {
            let environment = PieEnvironment.process()
            let registry = try ModelsCLI.loadRegistry(environment: environment, baseURL: baseURL)
            let keys = ModelsCLI.keys(environment: environment, registry: registry)
            let descriptor: ModelDescriptor
            do {
                descriptor = try registry.resolve(provider: provider, model: model, baseURL: baseURL, keys: keys)
            } catch {
                printError("pie: \(error.description)")
                throw ExitCode(2)
            }
            let check: ModelCheck
            do {
                check = try ModelCheck()
            } catch {
                printError("pie: \(error.description)")
                throw ExitCode.failure
            }
            let report = await check.run(model: descriptor, apiKey: keys.key(for: descriptor.provider))
            print(ModelsCLI.describe(report))
            if !report.passed { throw ExitCode.failure }
        }
    }
}

/// Helpers shared by the model commands.
enum ModelsCLI {
    static func loadRegistry(environment: PieEnvironment, baseURL: String?) throws -> ModelRegistry {
        do {
            return try ModelRegistry.load(environment: environment, projectDirectory: currentDirectory(), baseURLFlag: baseURL)
        } catch {
            printError("pie: \(error.description)")
            throw ExitCode.failure
        }
    }

    static func keys(environment: PieEnvironment, registry: ModelRegistry) -> APIKeys {
        ModelKeys.load(environment: environment, registry: registry) { printError("pie: \($0)") }
    }

    /// Nil when it cannot be read or its path is not valid UTF-8 (then no project models.json is read).
    static func currentDirectory() -> String? {
        ProcessPaths.workingDirectory().flatMap { String(validating: $0, as: UTF8.self) }
    }

    static func json(_ model: ModelDescriptor) -> JSONValue {
        [
            "provider": .string(model.provider), "id": .string(model.id), "name": .string(model.name),
            "api": .string(model.api.rawValue), "baseUrl": .string(model.baseURL), "reasoning": .bool(model.reasoning),
            "input": .array(model.input.map { .string($0) }),
            "contextWindow": .number(Double(model.contextWindow)), "maxTokens": .number(Double(model.maxTokens)),
            "cost": [
                "input": .number(model.cost.input), "output": .number(model.cost.output),
                "cacheRead": .number(model.cost.cacheRead), "cacheWrite": .number(model.cost.cacheWrite),
            ],
            "source": .string(model.source.description),
        ]
    }

    static func table(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - cell.count)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    static func describe(_ report: ModelCheckReport) -> String {
        func mark(_ flag: Bool) -> String { flag ? "yes" : "no" }
        var lines = ["\(report.model) at \(report.url)"]
        if let requestURL = report.requestURL { lines.append("  tried:          POST \(requestURL)") }
        lines.append("  reachable:      \(mark(report.reachable))" + (report.status.map { " (HTTP \($0))" } ?? ""))
        if let latency = report.firstByteMilliseconds {
            let rounded = (latency * 10).rounded() / 10
            lines.append("  first byte:     \(rounded) ms")
        }
        lines.append("  streaming:      \(mark(report.streamed))")
        lines.append("  tool calling:   \(mark(report.sawToolCall))")
        lines.append("  reasoning seen: \(mark(report.sawReasoning))")
        lines.append("  usage reported: \(mark(report.sawUsage))")
        if let error = report.error { lines.append("  error: \(error.message)") }
        if let alternative = report.alternativeURL {
            lines.append("  instead try:    POST \(alternative)" + (report.alternativeBaseURL.map { " (--base-url \($0))" } ?? " (no base URL makes pie post there)"))
        }
        for hint in report.hints { lines.append("  hint: \(hint)") }
        lines.append(report.passed ? "OK" : "FAILED")
        return lines.joined(separator: "\n")
    }
}
