import PiePolicy
import PieSandbox

/// A call the policy holds for approval (an `ask_commands` or `ask_paths` match), as the person
/// asked sees it.
public struct ApprovalRequest: Sendable, Equatable {
    public var callID: String
    public var tool: String
    /// The arguments as the model wrote them.
    public var arguments: String
    /// The ask rule (`ask_commands`, `ask_paths`) and why it matched.
    public var rule: String
    public var reason: String

    public init(callID: String, tool: String, arguments: String, rule: String, reason: String) {
        self.callID = callID
        self.tool = tool
        self.arguments = arguments
        self.rule = rule
        self.reason = reason
    }
}

/// The answer to an `ApprovalRequest`: whether the call may run, who answered (recorded in the
/// audit log's `approval` record) and a sentence for the log and, on a denial, the model.
public struct ApprovalAnswer: Sendable, Equatable {
    public var approved: Bool
    public var source: ApprovalSource
    public var note: String

    public init(approved: Bool, source: ApprovalSource, note: String) {
        self.approved = approved
        self.source = source
        self.note = note
    }
}

/// Who is asked when the policy says `ask`: a person at the terminal, the automation store, or
/// nobody. An approver never approves by itself: only a person's answer allows the call.
public protocol Approver: Sendable {
    func approve(_ request: ApprovalRequest) async -> ApprovalAnswer
}

/// Where nobody can be asked (`pie -p`, `pie tool`, a command probe): every ask is a deny that
/// names the rule and how to allow the call.
public struct NobodyApprover: Approver {
    /// Where the call was made, for the message (`pie -p`, `pie tool`).
    public var mode: String

    public init(mode: String) {
        self.mode = mode
    }

    public func approve(_ request: ApprovalRequest) async -> ApprovalAnswer {
        ApprovalAnswer(
            approved: false, source: .nobody,
            note: "\(mode) has nobody to ask, so the call is denied; run pie interactively to be asked, "
                + "or change the policy's \(request.rule) (`pie policy explain` shows the entry)")
    }
}
