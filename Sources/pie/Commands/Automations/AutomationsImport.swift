import ArgumentParser
import Glibc
import PieAutomations
import PieLocal
import PiePolicy
import PieJSON

/// `pie automations import --events-dir DIR`: rust-pi's event files as automation files.
struct AutomationsImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Convert rust-pi event files (immediate, at, periodic) into automation files.",
        discussion: """
            Each DIR/*.json event becomes <id>.toml in the project's (default) or your automations. \
            Existing files are never replaced. Exit codes: 0 every event imported, 1 any refused, 2 bad usage.
            """)

    @Option(name: .customLong("events-dir"), help: "rust-pi's --events-dir.") var eventsDirectory: String
    @Option(
        name: .customLong("with-model"),
        help: "The model every imported automation uses (provider:model); rust-pi took it from its command line.")
    var model: String
    @Option(help: "project or user.") var to: AutomationScope = .project
    @Flag(name: .customLong("dry-run"), help: "Show what would be written; write nothing.") var dryRun = false
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        guard let model = ModelReference(model) else {
            throw PieExit.usage("--with-model: '\(model)' is not provider:model, e.g. ds4:deepseek-v4-flash")
        }
        let places = try AutomationPlaces.current()
        let directory = PathNormalizer.join(places.context.projectRoot ?? "/", eventsDirectory)
        guard FileKind.of(directory) == .directory else { throw PieExit.usage("--events-dir: \(directory) is not a directory") }
        let target = try places.directory(to)
        var imported: [JSONValue] = []
        var refused: [JSONValue] = []
        var skipped: [JSONValue] = []
        for file in EventFiles.list(directory) {
            switch EventFiles.read(file) {
            case .stateFile:
                skipped.append(.object(JSONObject([("file", .string(file)), ("reason", .string("rust-pi's runner state, not an event"))])))
                if !json { print("skipped \(file): rust-pi's runner state, not an event") }
                continue
            case .refused(let refusal):
                refused.append(.object(JSONObject([("file", .string(file)), ("reason", .string(refusal.description))])))
                if !json { print("refused \(file): \(refusal)") }
                continue
            case .event(let event):
                let result = EventImporter.convert(event, file: file, model: model, scope: to, context: places.context)
                    .flatMap { converted -> Result<EventImporter.Imported, ImportRefusal> in
                        let path = Self.path(of: converted, in: target)
                        if dryRun { return access(path, F_OK) == 0 ? .failure(.init("\(path) exists already")) : .success(converted) }
                        do throws(AutomationFileEditor.EditError) {
                            try AutomationFileEditor.create(path, with: converted.text)
                            return .success(converted)
                        } catch {
                            return .failure(.init(error.description))
                        }
                    }
                switch result {
                case .success(let converted):
                    let path = Self.path(of: converted, in: target)
                    imported.append(
                        .object(JSONObject([
                            ("file", .string(file)), ("id", .string(converted.id.rawValue)), ("path", .string(path)),
                            ("text", .string(converted.text)),
                        ])))
                    if !json { print("\(dryRun ? "would import" : "imported") \(file) as \(path)") }
                case .failure(let refusal):
                    refused.append(.object(JSONObject([("file", .string(file)), ("reason", .string(refusal.description))])))
                    if !json { print("refused \(file): \(refusal)") }
                }
            }
        }
        if json {
            print(
                JSONValue.object(JSONObject([
                    ("dry_run", .bool(dryRun)), ("imported", .array(imported)), ("refused", .array(refused)),
                    ("skipped", .array(skipped)),
                ])).rendered(pretty: true))
        }
        if !refused.isEmpty { throw PieExit(code: 1) }
    }

    /// Only for a converted event, whose id is a checked file name.
    private static func path(of converted: EventImporter.Imported, in directory: String) -> String {
        directory + "/" + converted.id.rawValue + ".toml"
    }
}

/// Reading rust-pi's event files.
enum EventFiles {
    enum Read {
        case event(RustPiEvent)
        case stateFile
        case refused(ImportRefusal)
    }

    /// Every `*.json` directly in `directory`, sorted.
    static func list(_ directory: String) -> [String] {
        guard let handle = opendir(directory) else { return [] }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name.hasSuffix(".json"), !name.hasPrefix(".") { names.append(name) }
        }
        return names.sorted().map { directory + "/" + $0 }
    }

    static func read(_ path: String) -> Read {
        let text: String
        do throws(PolicyError) {
            guard let read = try PolicyFiles.read(path) else { return .refused(.init("it disappeared while importing")) }
            text = read
        } catch {
            return .refused(.init(error.message))
        }
        let value: JSONValue
        do throws(JSONParseError) {
            value = try JSONParser.parse(text)
        } catch {
            return .refused(.init("not valid JSON: \(error)"))
        }
        guard value.objectValue != nil else { return .refused(.init("not a JSON object")) }
        if value["schema_version"] != nil, value["schedule"] == nil { return .stateFile }
        guard let id = value["id"]?.stringValue, let channel = value["channel"]?.stringValue,
            let prompt = value["prompt"]?.stringValue, let schedule = value["schedule"], let type = schedule["type"]?.stringValue
        else {
            return .refused(.init("not a rust-pi event: it needs id, channel, prompt and schedule.type"))
        }
        let parsed: RustPiEvent.Schedule
        switch type {
        case "immediate": parsed = .immediate
        case "at":
            guard let milliseconds = schedule["at_unix_ms"]?.doubleValue, milliseconds >= 0, milliseconds < 1e15 else {
                return .refused(.init("an at event needs schedule.at_unix_ms, milliseconds since 1970"))
            }
            parsed = .at(unixMilliseconds: Int64(milliseconds))
        case "periodic":
            guard let cron = schedule["cron"]?.stringValue, let timezone = schedule["timezone"]?.stringValue else {
                return .refused(.init("a periodic event needs schedule.cron and schedule.timezone"))
            }
            parsed = .periodic(cron: cron, timezone: timezone)
        default:
            return .refused(.init("schedule.type '\(type)' is not immediate, at or periodic"))
        }
        if let enabled = value["enabled"], enabled.boolValue == nil {
            return .refused(.init("enabled must be true or false"))
        }
        let created = value["created_unix_ms"]?.doubleValue.flatMap { $0 >= 0 && $0 < 1e15 ? Int64($0) : nil }
        return .event(
            RustPiEvent(
                id: id, channel: channel, prompt: prompt, schedule: parsed, enabled: value["enabled"]?.boolValue ?? true,
                createdUnixMilliseconds: created))
    }
}
