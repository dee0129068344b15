import PiePolicy
import PieJSON
import PieRuntime

/// `pie --print-tool-policy`: the effective policy and each value's origin, as stable JSON.
enum PrintToolPolicy {
    static func run(options: PolicyOptions, cwd: String, environment: [String: String]) throws(PolicyError) {
        try show(options.effectivePolicy(cwd: cwd, environment: environment))
    }

    /// Whether the command line is `pie --print-tool-policy` alone, or `pie` alone with
    /// `PIE_PRINT_TOOL_POLICY` set: then no flag can change the policy, and `Pie.main` answers
    /// with `runWithoutFlags` before ArgumentParser reflects over every option of the root command
    /// (most of this command's start-up time).
    static func isRequestedAlone(arguments: [String], environment: [String: String]) -> Bool {
        arguments == ["--print-tool-policy"] || (arguments.isEmpty && environment["PIE_PRINT_TOOL_POLICY"].map(isTrue) == true)
    }

    /// What `run` prints when no policy flag is given.
    static func runWithoutFlags(cwd: String, environment: [String: String]) throws(PolicyError) {
        try show(PolicySelection().effectivePolicy(cwd: cwd, environment: environment))
    }

    private static func show(_ effective: EffectivePolicy) throws(PolicyError) {
        let engine = try PolicyEngine(policy: effective.policy)
        print(PolicyReport.json(effective, bashRules: engine.bashRules).rendered(pretty: true))
        for warning in effective.warnings { printError("pie: warning: \(warning)") }
    }
}
