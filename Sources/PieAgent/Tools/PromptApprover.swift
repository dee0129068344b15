import PieSandbox

/// Asks a person: shows the held call and reads one answer through an injected `ask` (the
/// terminal in interactive pie, a script in tests). Only `y` or `yes` approves; anything else,
/// an empty line, no answer at all (end of input) or a turn cancelled meanwhile is a no, so a
/// mistyped key never runs a call.
public struct PromptApprover: Approver {
    /// Shows the question and returns the answer line, or nil when no answer can come.
    public var ask: @Sendable (String) async -> String?

    public init(ask: @escaping @Sendable (String) async -> String?) {
        self.ask = ask
    }

    public func approve(_ request: ApprovalRequest) async -> ApprovalAnswer {
        let answer = await ask(Self.question(request))
        // Ctrl+C while the question was shown cancels the turn: a late "y" runs nothing.
        if Task.isCancelled {
            return ApprovalAnswer(approved: false, source: .user, note: "the turn was cancelled while the question was shown")
        }
        let word = (answer ?? "").trimmingSpaces().lowercased()
        if word == "y" || word == "yes" {
            return ApprovalAnswer(approved: true, source: .user, note: "approved at the terminal")
        }
        let note = answer == nil ? "no answer at the terminal (end of input)" : "refused at the terminal"
        return ApprovalAnswer(approved: false, source: .user, note: note)
    }

    /// The question: the tool, its arguments and the rule that holds it; the default is no.
    public static func question(_ request: ApprovalRequest) -> String {
        "pie: the policy asks before this call (\(request.rule)): \(request.reason)\n"
            + "  \(request.tool) \(request.arguments)\n"
            + "Run it? [y/N] "
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
