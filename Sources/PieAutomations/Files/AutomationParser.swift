import PiePolicy
import TOMLKit

/// Reads one automation file. Every key must be known and every value valid: a typo in an
/// unattended run's settings is an error naming the file, the line and the field, never a
/// silently ignored key.
public enum AutomationParser {
    /// The automation, when the file has no errors, and every problem found (warnings too).
    public struct Result: Sendable {
        public var automation: Automation?
        public var issues: [AutomationIssue]
    }

    static let topLevelKeys = [
        "prompt", "model", "fallback_models", "tool_policy_preset", "tool_policy_profile", "enabled", "trigger", "run",
    ]
    static let runKeys = [
        "overlap", "catch_up", "max_turns", "timeout", "max_cost", "max_tokens", "retries", "backoff", "session",
        "approval_timeout",
    ]

    public static func parse(
        _ text: String, path: String, id: AutomationID, scope: AutomationScope, context: ValidationContext
    ) -> Result {
        let lines = KeyLines(text)
        // toml++ reads the text as a C string: everything after a NUL would be silently dropped
        // (a `[run]` limit, `enabled = false`). TOML forbids NUL everywhere, comments included.
        if let row = KeyLines.rows(text).firstIndex(where: { $0.unicodeScalars.contains("\u{0}") }) {
            let issue = AutomationIssue(
                file: path, line: row + 1, field: lines.nearestKey(atLine: row + 1), message: "contains a NUL byte, which TOML forbids",
                fix: "remove it (an editor or a binary tool wrote it); nothing after it could be read")
            return Result(automation: nil, issues: [issue])
        }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            let issue = SyntaxAdvice.issue(file: path, line: error.source.begin.line, description: error.description, lines: lines)
            return Result(automation: nil, issues: [issue])
        } catch {
            let issue = AutomationIssue(
                file: path, line: nil, field: nil, message: "cannot parse TOML: \(error)", fix: "correct the syntax")
            return Result(automation: nil, issues: [issue])
        }
        var reader = FieldReader(file: path, lines: lines)
        reader.misplaced = misplacedKeys(table, lines: lines)
        reader.rejectUnknownKeys(table, known: topLevelKeys, in: nil)

        let prompt = reader.requiredString(table, "prompt", in: nil, meaning: "the instructions for each run")
        let model = modelReference(&reader, table)
        var fallbacks: [ModelReference] = []
        for text in reader.stringArray(table, "fallback_models", in: nil) ?? [] {
            guard let reference = ModelReference(text) else {
                reader.error("fallback_models", "'\(text)' is not provider:model", fix: "write each as \"provider:model\"")
                continue
            }
            fallbacks.append(reference)
        }
        let preset = reader.choice(table, "tool_policy_preset", in: nil, as: PolicyPreset.self)
        if preset == .permissive {
            reader.warning(
                "tool_policy_preset", "permissive runs shell commands without the OS sandbox, so an unattended run could change files outside the project, automation files included",
                fix: "use \"balanced\" or stricter unless every run is trusted")
        }
        let profile = reader.string(table, "tool_policy_profile", in: nil).flatMap {
            policyProfile($0, scope: scope, context: context, reader: &reader)
        }
        let enabled = reader.bool(table, "enabled", in: nil)
        let trigger = TriggerParser.parse(table, scope: scope, context: context, reader: &reader)
        let run = runSettings(table, reader: &reader)
        if case .command(let command, _, _)? = trigger, !reader.hasErrors {
            ProbeCheck.check(command, preset: preset ?? Automation.defaultPreset, profile: profile, context: context, reader: &reader)
        }

        let issues = reader.issues.enumerated()
            .sorted { ($0.element.line ?? 0, $0.offset) < ($1.element.line ?? 0, $1.offset) }.map(\.element)
        guard !reader.hasErrors, let prompt, let model, let trigger else {
            return Result(automation: nil, issues: issues)
        }
        var automation = Automation(id: id, scope: scope, path: path, prompt: prompt, model: model, trigger: trigger)
        automation.fallbackModels = fallbacks
        automation.toolPolicyPreset = preset ?? Automation.defaultPreset
        automation.toolPolicyProfile = profile
        automation.enabled = enabled ?? true
        automation.run = run
        automation.triggerLine = reader.lines.line("trigger.\(trigger.kind)")
        return Result(automation: automation, issues: issues)
    }

    /// Top-level keys written after a `[trigger]` or `[run]` header, which TOML reads as keys of
    /// that table: each is reported once, where it is, instead of as missing and as unknown.
    private static func misplacedKeys(_ table: TOMLTable, lines: KeyLines) -> [String: String] {
        var misplaced: [String: String] = [:]
        for section in ["trigger", "run"] {
            guard lines.headerLine(section) != nil, let inner = table[section]?.table else { continue }
            for key in topLevelKeys where table[key] == nil && inner[key] != nil {
                misplaced[section + "." + key] = key
            }
        }
        return misplaced
    }

    private static func modelReference(_ reader: inout FieldReader, _ table: TOMLTable) -> ModelReference? {
        guard let text = reader.requiredString(table, "model", in: nil, meaning: "the model as provider:model") else {
            return nil
        }
        guard let reference = ModelReference(text) else {
            reader.error("model", "'\(text)' is not provider:model", fix: "write it as --model takes it, e.g. \"ds4:deepseek-v4-flash\"")
            return nil
        }
        return reference
    }

    /// The profile's absolute path, when the file exists and is a valid profile.
    private static func policyProfile(
        _ text: String, scope: AutomationScope, context: ValidationContext, reader: inout FieldReader
    ) -> String? {
        guard let path = FilePaths.resolve(text, scope: scope, context: context) else {
            reader.error(
                "tool_policy_profile", "'\(text)' cannot be resolved",
                fix: "use an absolute path, a path starting with ~/, or (in a project automation) one relative to the project")
            return nil
        }
        do throws(PolicyError) {
            guard let profile = try PolicyFiles.read(path) else {
                reader.error("tool_policy_profile", "'\(path)' does not exist", fix: "create the profile or correct the path")
                return nil
            }
            _ = try ProfileParser.parse(profile, path: path, source: "automation")
        } catch {
            reader.error("tool_policy_profile", "the profile is invalid: \(error.message)", fix: "correct the profile")
            return nil
        }
        return path
    }

    private static func runSettings(_ root: TOMLTable, reader: inout FieldReader) -> RunSettings {
        var run = RunSettings()
        guard let table = reader.table(root, "run", in: nil, shape: "[run] with overlap, catch_up, max_turns, …") else {
            return run
        }
        let section = "run"
        reader.rejectUnknownKeys(table, known: runKeys, in: section)
        if let value = reader.choice(table, "overlap", in: section, as: RunSettings.Overlap.self) { run.overlap = value }
        if let value = reader.choice(table, "catch_up", in: section, as: RunSettings.CatchUp.self) { run.catchUp = value }
        if let value = reader.integer(table, "max_turns", in: section, range: RunSettings.maxTurnsRange) {
            run.maxTurns = value
        }
        if let value = reader.duration(table, "timeout", in: section) { run.timeout = value }
        run.maxCost = reader.positiveNumber(table, "max_cost", in: section)
        run.maxTokens = reader.integer(table, "max_tokens", in: section, range: 1...100_000_000)
        if let value = reader.integer(table, "retries", in: section, range: RunSettings.retriesRange) { run.retries = value }
        if let value = reader.duration(table, "backoff", in: section) { run.backoff = value }
        if let value = reader.choice(table, "session", in: section, as: RunSettings.Session.self) { run.session = value }
        if let value = reader.duration(table, "approval_timeout", in: section) { run.approvalTimeout = value }
        return run
    }
}
