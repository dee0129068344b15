/// Judges a whole command line against a bash profile: every simple command in it, including
/// those inside substitutions, compound commands, wrappers, `sh -c` scripts and `eval`.
public enum ShellAnalyzer {
    /// Parses `command` and judges every simple command in it. Never crashes, never throws:
    /// any input yields a Decision, and input that cannot be parsed is denied.
    public static func evaluate(_ command: String, rules: BashRules, context: ShellContext) -> Decision {
        var judge = ShellJudge(rules: rules, context: context)
        do throws(ShellDenial) {
            let script = try judge.parse(command, depth: 0, origin: "the command line")
            try judge.judge(script, depth: 0)
            if let ask = judge.asks.first {
                return Decision(verdict: .ask, rule: ask.rule, reason: ask.reason, trace: judge.trace)
            }
            judge.record("allowed", .allow, "every command passed the '\(rules.name)' bash profile")
            return Decision(
                allowed: true, rule: "allowed",
                reason: "every command in the line is allowed by the '\(rules.name)' bash profile",
                trace: judge.trace)
        } catch {
            return Decision(allowed: false, rule: error.rule, reason: error.reason, trace: judge.trace)
        }
    }
}
