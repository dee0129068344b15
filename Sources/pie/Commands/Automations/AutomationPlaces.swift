import ArgumentParser
import Glibc
import PieAgent
import PieAutomations
import PiePolicy

/// Where this invocation's automation files are (`<cwd>/.pie/automations` and
/// `$PIE_DIR/automations`, i.e. `~/.pie/automations`) and what they are validated against.
struct AutomationPlaces {
    let project: String
    let user: String?
    let context: ValidationContext

    static func current(purpose: ValidationContext.Purpose = .inspect) throws(PieExit) -> AutomationPlaces {
        let environment = ProcessContext.environment()
        let cwd = try ProcessContext.currentDirectory()
        let context = ValidationContext(
            now: Instant(secondsSinceEpoch: Int64(time(nil))), environment: environment, home: environment["HOME"],
            projectRoot: cwd, purpose: purpose)
        return AutomationPlaces(
            project: PathNormalizer.join(cwd, ".pie/automations"),
            user: PieDirectory.resolve(environment: environment)?.automationsDirectory, context: context)
    }

    var directories: [(AutomationScope, String)] {
        [(.project, project)] + (user.map { [(.user, $0)] } ?? [])
    }

    func directory(_ scope: AutomationScope) throws(PieExit) -> String {
        switch scope {
        case .project: return project
        case .user:
            guard let user else { throw PieExit.usage("cannot find pie's state directory for user automations: set HOME or PIE_DIR") }
            return user
        }
    }

    func loadAll() -> AutomationSet { AutomationLoader.load(directories, context: context) }

    /// The file of automation `text`: in `scope` when given, else the project's when it exists
    /// (a project automation shadows a user one with the same id), else the user's.
    func file(id text: String, scope: AutomationScope?) throws(PieExit) -> (AutomationID, AutomationScope, String) {
        guard let id = AutomationID(text) else {
            throw PieExit.usage("'\(text)' is not an automation id: an id uses \(AutomationID.rule)")
        }
        if let scope { _ = try directory(scope) }
        let candidates = directories.filter { scope == nil || $0.0 == scope }
            .map { ($0.0, $0.1 + "/" + id.rawValue + ".toml") }
        if let (found, path) = candidates.first(where: { access($0.1, F_OK) == 0 }) { return (id, found, path) }
        let looked = candidates.map(\.1).joined(separator: " and ")
        throw PieExit(code: 1, message: "no automation '\(id)': looked for \(looked)")
    }

    /// The valid automation `text`, or exit 1 with its file's errors.
    func automation(id text: String, scope: AutomationScope?) throws(PieExit) -> (Automation, shadowed: Bool) {
        let (_, foundScope, path) = try file(id: text, scope: scope)
        let result = AutomationLoader.loadFile(path, scope: foundScope, context: context)
        for issue in result.issues where issue.severity == .warning { printError("pie: \(issue)") }
        guard let automation = result.automation else {
            let errors = result.issues.filter { $0.severity == .error }.map { "  \($0)" }
            throw PieExit(code: 1, message: "\(path) is invalid:\n" + errors.joined(separator: "\n"))
        }
        let shadowed = foundScope == .user && access(project + "/" + text + ".toml", F_OK) == 0
        return (automation, shadowed)
    }
}

extension AutomationScope: ExpressibleByArgument {}
