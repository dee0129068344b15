/// The automations of both scopes as loaded, with every file's problems.
public struct AutomationSet: Sendable {
    /// Every valid automation, project scope first, then by id.
    public private(set) var automations: [Automation] = []
    /// Every problem, in the order the files were read.
    public private(set) var issues: [AutomationIssue] = []
    /// Every file that was read, and whether it has an error.
    public private(set) var files: [(path: String, valid: Bool)] = []

    public init() {}

    mutating func record(_ path: String, _ result: AutomationParser.Result) {
        issues += result.issues
        files.append((path, result.automation != nil))
        if let automation = result.automation {
            automations.append(automation)
            automations.sort { ($0.scope, $0.id) < ($1.scope, $1.id) }
        }
    }

    public var hasErrors: Bool { issues.contains { $0.severity == .error } }

    /// The user automation a project automation with the same id hides, if any.
    public func isShadowed(_ automation: Automation) -> Bool {
        automation.scope == .user && automations.contains { $0.scope == .project && $0.id == automation.id }
    }

    /// The automations a scheduler runs: every project automation and every user automation no
    /// project automation shadows.
    public var effective: [Automation] { automations.filter { !isShadowed($0) } }

    /// Two effective automations on one webhook path: each after the first is refused, since a
    /// delivery must start exactly one automation.
    mutating func checkWebhookPaths() {
        var owners: [String: Automation] = [:]
        var refused: Set<String> = []
        for automation in effective {
            guard case .webhook(let webhook) = automation.trigger else { continue }
            guard let owner = owners[webhook.path] else {
                owners[webhook.path] = automation
                continue
            }
            issues.append(
                AutomationIssue(
                    file: automation.path, line: automation.triggerLine, field: "trigger.webhook.path",
                    message: "'\(webhook.path)' is already the path of \(owner.id) (\(owner.path))",
                    fix: "give each webhook automation its own path"))
            refused.insert(automation.path)
        }
        automations.removeAll { refused.contains($0.path) }
        files = files.map { refused.contains($0.path) ? ($0.path, false) : $0 }
    }
}
