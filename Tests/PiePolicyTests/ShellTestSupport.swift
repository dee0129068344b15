@testable import PiePolicy

/// Shared fixtures for the shell analysis suites: the builtin profiles, a project directory
/// that is the only write root, and a helper that evaluates a command line.
enum ShellFixtures {
    static let projectRoot = "/work/project"

    static func rules(_ name: String) -> BashRules {
        do {
            return try BashRules.builtin(named: name)
        } catch {
            return BashRules(name: "unloadable-\(name)", allowedCommands: ["unloadable"])
        }
    }

    static let strict = rules("strict")
    static let balanced = rules("balanced")
    static let permissive = rules("permissive")

    /// Writable: the project root and everything below it, except its `.git` folder.
    static func context(extraAllowed: [String] = [], cwd: String = projectRoot) -> ShellContext {
        ShellContext(cwd: cwd, extraAllowedCommands: extraAllowed) { path in
            (path == projectRoot || path.hasPrefix(projectRoot + "/")) && !path.hasPrefix(projectRoot + "/.git")
        }
    }

    /// Judges `command` as the policy engine does: commands added on top of the profile are
    /// judged by the rules it names for them (`BashRules.judgingAddedCommands`).
    static func evaluate(_ command: String, _ rules: BashRules, extraAllowed: [String] = []) -> Decision {
        let judging: BashRules
        do {
            judging = try rules.judgingAddedCommands(extraAllowed)
        } catch {
            return Decision(allowed: false, rule: "unloadable", reason: "\(error)", trace: [])
        }
        return ShellAnalyzer.evaluate(command, rules: judging, context: context(extraAllowed: extraAllowed))
    }
}
