import PieLocal
import PieJSON
import PiePolicy

/// `pie audit replay SESSION.jsonl [policy flags]`: re-evaluates every tool call of a recorded
/// session under another policy, to answer "what would this policy have stopped?" before
/// adopting it. The session reader decodes the calls; this only maps and evaluates them.
public struct AuditReplay: Sendable {
    /// The policy to judge with, e.g. `{ engine.evaluate($0, cwd: projectRoot) }`. A closure
    /// rather than the engine type so the CLI chooses the working directory and profile.
    public var evaluate: @Sendable (ToolRequest) -> Decision

    public init(evaluate: @escaping @Sendable (ToolRequest) -> Decision) {
        self.evaluate = evaluate
    }

    /// Judges with `engine`, relative paths starting at `cwd` (the project root when `nil`).
    public init(engine: PolicyEngine, cwd: String? = nil) {
        self.init { engine.evaluate($0, cwd: cwd) }
    }

    public func run(_ calls: [ToolCall]) -> AuditReplayReport {
        AuditReplayReport(
            entries: calls.map { call in
                guard let request = Self.request(for: call) else {
                    return AuditReplayEntry(call: call, request: nil, decision: nil)
                }
                return AuditReplayEntry(call: call, request: request, decision: evaluate(request))
            })
    }

    /// What the policy judges for a call: `bash` → its command; file tools → their `path`
    /// (`.` when `ls`, `grep` or `find` omit it). `nil` for tools the policy does not cover.
    /// Reads the call's structured arguments as the session decoded them (a malformed text
    /// was read leniently when the call was made).
    public static func request(for call: ToolCall) -> ToolRequest? {
        let arguments = call.arguments
        if call.name == "bash" {
            return .bash(command: arguments["command"]?.stringValue ?? "", cwd: arguments["cwd"]?.stringValue)
        }
        guard let tool = FileTool(rawValue: call.name) else { return nil }
        let fallback: String
        switch tool {
        case .ls, .grep, .find: fallback = "."
        case .read, .write, .edit: fallback = ""
        }
        return .file(tool: tool, path: arguments["path"]?.stringValue ?? fallback)
    }
}

/// The verdict on one recorded call.
public struct AuditReplayEntry: Sendable {
    public var call: ToolCall
    /// `nil` when the tool is not one the policy judges.
    public var request: ToolRequest?
    public var decision: Decision?

    public var isDenied: Bool { decision.map { !$0.allowed } ?? false }
}

/// Every recorded call with its verdict under the replayed policy.
public struct AuditReplayReport: Sendable {
    public var entries: [AuditReplayEntry]

    public var denied: [AuditReplayEntry] { entries.filter(\.isDenied) }

    /// Human-readable lines: one per denied call (`id name: rule — reason`), then a count.
    public var lines: [String] {
        let denials = denied.map { entry in
            "\(entry.decision?.verdict == .ask ? "ASK" : "DENY") \(entry.call.id) \(entry.call.name) \(entry.call.argumentText): \(entry.decision?.rule ?? "") — \(entry.decision?.reason ?? "")"
        }
        let unjudged = entries.filter { $0.request == nil }.count
        var summary = "\(entries.count) tool call(s) replayed, \(denied.count) would be denied"
        if unjudged > 0 { summary += ", \(unjudged) not covered by the policy" }
        return denials + [summary + "."]
    }
}
