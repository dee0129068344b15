import PieAutomations
import PieSystem

/// Runs parked on a tool call the policy holds for approval. The run's own process asks (and
/// parks the run), then polls for the answer; `pie automations approve|deny` answers from any
/// other process. The first answer is final: a person's answer that lands before the timeout's
/// wins, and one after it is refused.
extension SchedulerStore {
    /// Records the held call and parks its run (`running` → `needs_approval`); returns the call's
    /// key in the store: its id, or, when the run already asked about a call with that id (local
    /// models reuse ids across turns), the id with `-2`, `-3`, … appended, so every question gets
    /// its own answer.
    public func park(_ approval: PendingApproval) throws(StoreError) -> String {
        try write { db throws(StoreQueryError) -> String in
            var key = approval.callID
            var suffix = 1
            while try Self.approval(run: approval.run, call: key, db: db) != nil {
                suffix += 1
                key = "\(approval.callID)-\(suffix)"
            }
            try db.execute(
                """
                INSERT INTO approvals (run_id, call_id, tool, arguments, rule, reason, asked_at, deadline)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    approval.run.rawValue, key, approval.tool, approval.arguments, approval.rule,
                    approval.reason, approval.askedAt.secondsSinceEpoch, approval.deadline.secondsSinceEpoch,
                ])
            try db.execute(
                "UPDATE runs SET state = 'needs_approval' WHERE id = ? AND state = 'running'", [approval.run.rawValue])
            return key
        }
    }

    /// A person's answer (`pie automations approve|deny`), if the call is still waiting.
    public func answer(run: RunID, call: String, approve: Bool, now: Instant) throws(ApprovalError) {
        let outcome: Result<Void, ApprovalError>
        do {
            outcome = try write { db throws(StoreQueryError) -> Result<Void, ApprovalError> in
                guard let found = try Self.approval(run: run, call: call, db: db) else {
                    return .failure(.noSuchCall(run: run, call: call))
                }
                if let given = found.answer {
                    return .failure(.alreadyAnswered(run: run, call: call, answer: given.answer, source: given.source))
                }
                if let record = try Self.run(run, db: db), record.state != .needsApproval {
                    return .failure(.notWaiting(run: run, state: record.state))
                }
                try db.execute(
                    """
                    UPDATE approvals SET answer = ?, answered_by = 'command', answered_at = ?
                    WHERE run_id = ? AND call_id = ? AND answer IS NULL
                    """,
                    [approve ? "approve" : "deny", now.secondsSinceEpoch, run.rawValue, call])
                return .success(())
            }
        } catch {
            throw .store(error)
        }
        try outcome.get()
    }

    /// The answer to a parked call, recording the timeout's deny when `now` is past its deadline
    /// and nobody answered; nil while it still waits.
    public func settle(run: RunID, call: String, now: Instant) throws(StoreError) -> ApprovalVerdict? {
        try write { db throws(StoreQueryError) -> ApprovalVerdict? in
            guard let found = try Self.approval(run: run, call: call, db: db) else { return nil }
            if let answer = found.answer { return answer }
            guard now >= found.deadline else { return nil }
            try db.execute(
                """
                UPDATE approvals SET answer = 'deny', answered_by = 'timeout', answered_at = ?
                WHERE run_id = ? AND call_id = ? AND answer IS NULL
                """,
                [now.secondsSinceEpoch, run.rawValue, call])
            return ApprovalVerdict(answer: .deny, source: .timeout, at: now)
        }
    }

    /// Takes a parked run back to `running` once its call is answered (or the run is stopping).
    public func resume(run: RunID) throws(StoreError) {
        _ = try write { db throws(StoreQueryError) in
            try db.execute("UPDATE runs SET state = 'running' WHERE id = ? AND state = 'needs_approval'", [run.rawValue])
        }
    }

    /// The held calls of one run, or of every run when nil, oldest first.
    public func approvals(run: RunID?, pendingOnly: Bool) throws(StoreError) -> [PendingApproval] {
        try read { db throws(StoreQueryError) -> [PendingApproval] in
            var conditions: [String] = []
            var arguments: [any StoreBindable] = []
            if let run {
                conditions.append("run_id = ?")
                arguments.append(run.rawValue)
            }
            if pendingOnly { conditions.append("answer IS NULL") }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            return try db.query("SELECT \(Self.approvalColumns) FROM approvals \(filter) ORDER BY asked_at, run_id", arguments)
                .map(Self.approval(row:))
        }
    }

    static let approvalColumns =
        "run_id, call_id, tool, arguments, rule, reason, asked_at, deadline, answer, answered_by, answered_at"

    static func approval(run: RunID, call: String, db: any StoreSession) throws(StoreQueryError) -> PendingApproval? {
        try db.first("SELECT \(approvalColumns) FROM approvals WHERE run_id = ? AND call_id = ?", [run.rawValue, call])
            .map(approval(row:))
    }

    static func approval(row: StoreRow) -> PendingApproval {
        var answer: ApprovalVerdict?
        if let text = row.text(8), let given = ApprovalVerdict.Answer(rawValue: text) {
            // A source this pie does not know reads as the timeout's: never as a person's approval.
            let source = row.text(9).flatMap(ApprovalVerdict.Source.init(rawValue:)) ?? .timeout
            answer = ApprovalVerdict(
                answer: source == .timeout ? .deny : given, source: source, at: Instant(secondsSinceEpoch: row.int64(10)))
        }
        return PendingApproval(
            run: RunID(row.int64(0)), callID: row.text(1) ?? "", tool: row.text(2) ?? "", arguments: row.text(3) ?? "",
            rule: row.text(4) ?? "", reason: row.text(5) ?? "", askedAt: Instant(secondsSinceEpoch: row.int64(6)),
            deadline: Instant(secondsSinceEpoch: row.int64(7)), answer: answer)
    }
}
