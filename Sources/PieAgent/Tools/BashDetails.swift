import PieJSON
import PieSandbox

/// What `bash` knows about a command beside its output: how the output was cut, where the full
/// output went, and how the command ended. The audit log reads `outcome` as the typed value the
/// shell returned.
public struct BashDetails: Sendable, Equatable {
    /// The policy allowed the command but `bash_dry_run` kept it from running.
    public var dryRun: Bool
    /// Set only when the output was cut.
    public var truncation: TruncationResult?
    /// The spill file holding the full output of a cut command.
    public var fullOutputPath: String?
    /// Nil while the command runs (partial results) and for a dry run.
    public var outcome: ShellOutcome?

    public init(
        dryRun: Bool = false, truncation: TruncationResult? = nil, fullOutputPath: String? = nil,
        outcome: ShellOutcome? = nil
    ) {
        self.dryRun = dryRun
        self.truncation = truncation
        self.fullOutputPath = fullOutputPath
        self.outcome = outcome
    }

    /// pi's fields first (`truncation`, `fullOutputPath`), then pie's (`exitCode`, null when a
    /// signal ended the command; `sandbox`; `timedOut` and `warnings` only when there are any).
    var json: JSONObject {
        if dryRun { return JSONObject([("dryRun", .bool(true))]) }
        var object = JSONObject()
        if let truncation { object["truncation"] = truncation.json }
        if let fullOutputPath { object["fullOutputPath"] = .string(fullOutputPath) }
        if let outcome {
            object["exitCode"] = outcome.exitCode.map { .integer(Int($0)) } ?? .null
            object["sandbox"] = .string(outcome.sandbox.rawValue)
            if outcome.timedOut { object["timedOut"] = .bool(true) }
            if !outcome.warnings.isEmpty { object["warnings"] = .array(outcome.warnings.map(JSONValue.string)) }
        }
        return object
    }
}
