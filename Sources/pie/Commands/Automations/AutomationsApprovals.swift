import ArgumentParser
import PieAutomations
import PieJSON
import PieScheduler

/// `pie automations approve RUN CALL` and `deny RUN CALL`: a person's answer to a call a run
/// parked on. The run, still in its own process, reads the answer and goes on.
struct AutomationsApprove: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve", abstract: "Let a parked run's held tool call run.",
        discussion: "`pie automations approvals` lists the calls runs are waiting on. An answer is final.")

    @Argument(help: "The run's number.") var runNumber: String
    @Argument(help: "The tool call's id (from `pie automations approvals` or serve's needs_approval line).") var call: String
    @OptionGroup var store: StoreOption

    func run() throws {
        try AutomationsApprovals.answer(runNumber: runNumber, call: call, approve: true, store: store)
    }
}

struct AutomationsDeny: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deny", abstract: "Refuse a parked run's held tool call; the model is told it was denied.",
        discussion: "`pie automations approvals` lists the calls runs are waiting on. An answer is final.")

    @Argument(help: "The run's number.") var runNumber: String
    @Argument(help: "The tool call's id (from `pie automations approvals` or serve's needs_approval line).") var call: String
    @OptionGroup var store: StoreOption

    func run() throws {
        try AutomationsApprovals.answer(runNumber: runNumber, call: call, approve: false, store: store)
    }
}

/// `pie automations approvals [RUN]`: held calls, waiting ones first.
struct AutomationsApprovals: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approvals", abstract: "List the tool calls runs parked on, and their answers.")

    @Argument(help: "Only the calls of this run.") var runNumber: String?
    @Flag(help: "Only calls still waiting for an answer.") var pending = false
    @OptionGroup var store: StoreOption
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let run = try runNumber.map(Self.runID)
        let found: [PendingApproval]
        let opened = try store.open()
        do throws(StoreError) { found = try opened.approvals(run: run, pendingOnly: pending) } catch {
            throw PieExit(code: 1, message: error.description)
        }
        if json {
            print(JSONValue.object(JSONObject([("approvals", .array(found.map(Self.json)))])).rendered(pretty: true))
            return
        }
        if found.isEmpty {
            print(pending ? "no tool calls are waiting for approval" : "no tool calls were held for approval")
            return
        }
        for approval in found {
            let state = approval.answer.map { "\($0.answer.rawValue) (\($0.source.rawValue))" } ?? "waiting until \(RFC3339.format(approval.deadline, in: .utc))"
            print("run \(approval.run)  call \(approval.callID)  \(approval.tool)  \(approval.rule)  \(state)")
            print("  \(approval.arguments)")
            print("  \(approval.reason)")
        }
    }

    static func runID(_ text: String) throws(PieExit) -> RunID {
        guard let id = RunID(parsing: text) else {
            throw PieExit.usage("'\(text)' is not a run number; `pie automations runs` lists them")
        }
        return id
    }

    static func answer(runNumber: String, call: String, approve: Bool, store option: StoreOption) throws {
        let run = try runID(runNumber)
        let store = try option.open()
        do throws(ApprovalError) {
            try store.answer(run: run, call: call, approve: approve, now: SystemClock().now())
        } catch {
            throw PieExit(code: 1, message: error.description)
        }
        print("\(approve ? "approved" : "denied") call \(call) of run \(run); the run goes on when it reads the answer")
    }

    static func json(_ approval: PendingApproval) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("run", .integer(Int(approval.run.rawValue))), ("call", .string(approval.callID)),
            ("tool", .string(approval.tool)), ("arguments", .string(approval.arguments)), ("rule", .string(approval.rule)),
            ("reason", .string(approval.reason)), ("asked_at", .string(RFC3339.format(approval.askedAt, in: .utc))),
            ("deadline", .string(RFC3339.format(approval.deadline, in: .utc))),
        ]
        if let answer = approval.answer {
            members.append(("answer", .string(answer.answer.rawValue)))
            members.append(("answered_by", .string(answer.source.rawValue)))
        } else {
            members.append(("answer", .null))
        }
        return .object(JSONObject(members))
    }
}
