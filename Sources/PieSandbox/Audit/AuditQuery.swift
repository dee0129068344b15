import PieJSON

/// Filters for `pie audit show`: by tool, by decision, and by age.
public struct AuditQuery: Sendable, Equatable {
    public var tool: String?
    public var decision: AuditDecision?
    /// Only records newer than this many seconds before `now`.
    public var sinceSeconds: Int?

    public init(tool: String? = nil, decision: AuditDecision? = nil, sinceSeconds: Int? = nil) {
        self.tool = tool
        self.decision = decision
        self.sinceSeconds = sinceSeconds
    }

    /// Parses `90s`, `15m`, `1h`, `2d`, `1w` into seconds; nil when malformed.
    public static func duration(_ text: String) -> Int? {
        guard let unit = text.last, let amount = Int(text.dropLast()), amount >= 0 else { return nil }
        let scale: Int? =
            switch unit {
            case "s": 1
            case "m": 60
            case "h": 3600
            case "d": 86400
            case "w": 604_800
            default: nil
            }
        return scale.map { amount * $0 }
    }

    public func matches(_ record: AuditRecord, nowSeconds: Int) -> Bool {
        if let tool, record.tool != tool { return false }
        if let decision, record.decision != decision { return false }
        if let sinceSeconds {
            guard let time = AuditClock.parse(record.time), time >= nowSeconds - sinceSeconds else { return false }
        }
        return true
    }

    /// Records of the log at `path` that match, in file order; unparsable lines are skipped
    /// (`AuditVerifier` is the tool that reports them).
    public func select(path: String, nowSeconds: Int = AuditClock.now().seconds) throws(AuditError) -> [AuditRecord] {
        let contents = try AuditFile.read(path)
        return contents.split(separator: UInt8(ascii: "\n")).compactMap { line in
            (try? JSONParser.parseLine(String(decoding: line, as: UTF8.self))).flatMap(AuditRecord.init(json:))
        }.filter { matches($0, nowSeconds: nowSeconds) }
    }
}

extension AuditRecord {
    /// One human-readable line for `pie audit show`.
    public var summary: String {
        var parts = [time, event.rawValue, tool, decision.rawValue.uppercased(), rule]
        if let approver { parts.append("by=\(approver.rawValue)") }
        if let sandbox { parts.append("sandbox=\(sandbox.rawValue)") }
        if let exitCode { parts.append("exit=\(exitCode)") }
        if timedOut == true { parts.append("timed-out") }
        if let durationMs { parts.append("\(durationMs)ms") }
        // A hook run is named by its file and position and what it ran, as `pie hooks list` shows it.
        let subject =
            hook.map { "\($0.outcome.rawValue) \($0.source) hook \($0.index): \($0.command ?? $0.webhookHost ?? "")" }
            ?? requestedPath ?? arguments
        parts.append(subject.count > 120 ? String(subject.prefix(117)) + "..." : subject)
        let failed = hook.map { $0.outcome != .ok } ?? false
        if let reason, decision != .allow || event == .approval || failed { parts.append("— \(reason)") }
        return parts.joined(separator: "  ")
    }
}
