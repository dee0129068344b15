import ArgumentParser
import PieAutomations
import PiePolicy
import PieJSON

/// `pie automations list`: every automation of both scopes, and every file that does not load.
struct AutomationsList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the project's and your automations.",
        discussion: "Invalid files are reported on stderr (and under \"issues\" with --json); exit 0 when listing worked.")

    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let places = try AutomationPlaces.current()
        let set = places.loadAll()
        if json {
            let automations = set.automations.map { $0.json(shadowed: set.isShadowed($0)) }
            print(
                JSONValue.object(JSONObject([
                    ("automations", .array(automations)),
                    ("invalid_files", .array(set.files.filter { !$0.valid }.map { .string($0.path) })),
                    ("issues", .array(set.issues.map(\.json))),
                ])).rendered(pretty: true))
            return
        }
        for issue in set.issues { printError("pie: \(issue)") }
        if set.automations.isEmpty {
            print("no automations in \(places.directories.map(\.1).joined(separator: " or "))")
        }
        let width = set.automations.map(\.id.rawValue.count).max() ?? 0
        for automation in set.automations {
            var state = automation.enabled ? "enabled " : "disabled"
            if set.isShadowed(automation) { state = "shadowed" }
            let id = automation.id.rawValue.padding(to: width)
            print("\(id)  \(automation.scope.rawValue.padding(to: 7))  \(state)  \(automation.trigger.summary)  \(automation.path)")
        }
        for file in set.files where !file.valid { print("invalid  \(file.path)") }
    }
}

/// `pie automations show ID`.
struct AutomationsShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show one automation with every setting, defaults filled in.")

    @Argument(help: "The automation's id (its file name without .toml).") var id: String
    @Option(help: "project or user (default: the project's when both exist).") var scope: AutomationScope?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let (automation, shadowed) = try AutomationPlaces.current().automation(id: id, scope: scope)
        if json {
            print(automation.json(shadowed: shadowed).rendered(pretty: true))
            return
        }
        let run = automation.run
        var lines = [
            "id: \(automation.id) (\(automation.scope.rawValue)\(shadowed ? ", shadowed by the project's" : ""))",
            "file: \(automation.path)",
            "enabled: \(automation.enabled)",
            "trigger: \(automation.trigger.summary)",
            "model: \(automation.model)"
                + (automation.fallbackModels.isEmpty ? "" : ", then \(automation.fallbackModels.map(\.description).joined(separator: ", "))"),
            "tool policy: \(automation.toolPolicyPreset.rawValue)" + (automation.toolPolicyProfile.map { " + \($0)" } ?? ""),
            "run: overlap \(run.overlap.rawValue), catch_up \(run.catchUp.rawValue), max_turns \(run.maxTurns), "
                + "timeout \(run.timeout), retries \(run.retries) (backoff \(run.backoff)), session \(run.session.rawValue), "
                + "approval_timeout \(run.approvalTimeout)",
        ]
        if let cost = run.maxCost { lines.append("max_cost: \(cost)") }
        if let tokens = run.maxTokens { lines.append("max_tokens: \(tokens)") }
        lines.append("prompt:")
        lines += automation.prompt.split(separator: "\n", omittingEmptySubsequences: false).map { "  \($0)" }
        print(lines.joined(separator: "\n"))
    }
}

/// `pie automations validate [PATH]`.
struct AutomationsValidate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate", abstract: "Check automation files without running anything.",
        discussion: """
            PATH is a file or a directory; without it both the project's and your automations are checked. \
            Exit codes: 0 all valid (warnings allowed), 1 any invalid, 2 bad usage.
            """)

    @Argument(help: "A .toml file or a directory of them.") var path: String?
    @Flag(help: "Print JSON.") var json = false
    @Flag(help: "Validate as `serve` would: a webhook's secret variable must be set.") var serve = false

    func run() throws {
        let places = try AutomationPlaces.current(purpose: serve ? .serve : .inspect)
        let set = try load(places)
        if json {
            print(
                JSONValue.object(JSONObject([
                    ("valid", .bool(!set.hasErrors)),
                    ("files", .array(set.files.map { JSONValue.object(JSONObject([("path", .string($0.path)), ("valid", .bool($0.valid))])) })),
                    ("issues", .array(set.issues.map(\.json))),
                ])).rendered(pretty: true))
        } else {
            for issue in set.issues { print(issue.description) }
            let invalid = set.files.filter { !$0.valid }.count
            print("\(set.files.count) file\(set.files.count == 1 ? "" : "s") checked, \(invalid) invalid")
        }
        if set.hasErrors { throw PieExit(code: 1) }
    }

    private func load(_ places: AutomationPlaces) throws(PieExit) -> AutomationSet {
        guard let path else { return places.loadAll() }
        let absolute = PathNormalizer.join(places.context.projectRoot ?? "/", path)
        let scope: AutomationScope = places.user.map { absolute.hasPrefix($0 + "/") } == true ? .user : .project
        switch FileKind.of(absolute) {
        case .directory: return AutomationLoader.load([(scope, absolute)], context: places.context)
        case .file: return AutomationLoader.loadSingle(absolute, scope: scope, context: places.context)
        case .missing: throw PieExit.usage("\(path): no such file or directory")
        }
    }
}

/// `pie automations enable ID` and `disable ID`.
struct AutomationsEnable: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enable", abstract: "Enable an automation (rewrites its enabled line; nothing else in the file changes).")

    @Argument(help: "The automation's id.") var id: String
    @Option(help: "project or user (default: the project's when both exist).") var scope: AutomationScope?
    @Flag(help: "Print JSON.") var json = false

    func run() throws { try EnabledSwitch.set(true, id: id, scope: scope, json: json) }
}

struct AutomationsDisable: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disable", abstract: "Disable an automation (rewrites its enabled line; nothing else in the file changes).")

    @Argument(help: "The automation's id.") var id: String
    @Option(help: "project or user (default: the project's when both exist).") var scope: AutomationScope?
    @Flag(help: "Print JSON.") var json = false

    func run() throws { try EnabledSwitch.set(false, id: id, scope: scope, json: json) }
}

enum EnabledSwitch {
    /// Works on invalid files too: disabling a broken automation must always be possible.
    static func set(_ enabled: Bool, id text: String, scope: AutomationScope?, json: Bool) throws(PieExit) {
        let (id, found, path) = try AutomationPlaces.current().file(id: text, scope: scope)
        let changed: Bool
        do throws(AutomationFileEditor.EditError) {
            changed = try AutomationFileEditor.setEnabled(enabled, path: path)
        } catch {
            throw PieExit(code: 1, message: error.description)
        }
        let word = enabled ? "enabled" : "disabled"
        if json {
            print(
                JSONValue.object(JSONObject([
                    ("id", .string(id.rawValue)), ("scope", .string(found.rawValue)), ("path", .string(path)),
                    ("enabled", .bool(enabled)), ("changed", .bool(changed)),
                ])).rendered(pretty: true))
        } else {
            print(changed ? "\(word) \(id) (\(path))" : "\(id) was already \(word) (\(path))")
        }
    }
}

/// `pie automations remove ID`: the file is moved aside, never deleted.
struct AutomationsRemove: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "Remove an automation: its file is renamed to <id>.toml.removed.",
        discussion: "Rename the file back to <id>.toml to restore it; delete the .removed file to discard it for good.")

    @Argument(help: "The automation's id.") var id: String
    @Option(help: "project or user (default: the project's when both exist).") var scope: AutomationScope?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let (id, found, path) = try AutomationPlaces.current().file(id: id, scope: scope)
        let moved: String
        do throws(AutomationFileEditor.EditError) {
            moved = try AutomationFileEditor.remove(path)
        } catch {
            throw PieExit(code: 1, message: error.description)
        }
        if json {
            print(
                JSONValue.object(JSONObject([
                    ("id", .string(id.rawValue)), ("scope", .string(found.rawValue)), ("path", .string(path)),
                    ("moved_to", .string(moved)),
                ])).rendered(pretty: true))
        } else {
            print("removed \(id): moved \(path) to \(moved) (rename it back to restore)")
        }
    }
}

extension String {
    /// Left-aligned in a column of `width` characters.
    func padding(to width: Int) -> String {
        self + String(repeating: " ", count: max(0, width - count))
    }
}
