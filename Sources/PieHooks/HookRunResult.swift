import PieSandbox

/// How one hook run ended, as pie reports and audits it.
public struct HookRunResult: Sendable, Equatable {
    public var origin: HookOrigin
    public var event: HookEvent
    public var outcome: AuditHookRun.Outcome
    public var exitCode: Int?
    public var httpStatus: Int?
    public var durationMs: Int
    /// What went wrong (a failure), or the hook's standard error (capped).
    public var message: String
    /// The audit record could not be written (the run itself is described above).
    public var auditError: String?

    /// The reason given to the model when a `pre_tool` hook denies a call.
    public var denialReason: String? {
        guard outcome == .denied else { return nil }
        let said = message.trimmingWhitespace
        return said.isEmpty ? "denied by the pre_tool hook at \(origin) (it exited 2 and wrote nothing on stderr)" : said
    }

    /// One line for the terminal or a log.
    public var summary: String {
        var line = "\(event.rawValue) hook \(origin): \(outcome.rawValue)"
        if let exitCode { line += " (exit \(exitCode))" }
        if let httpStatus { line += " (HTTP \(httpStatus))" }
        line += " in \(durationMs) ms"
        let said = message.trimmingWhitespace
        if !said.isEmpty { line += ": " + said }
        return line
    }
}

extension String {
    var trimmingWhitespace: String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
