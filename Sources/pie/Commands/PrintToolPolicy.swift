import PiePolicy

/// `pie --print-tool-policy`: the effective policy and each value's origin, as stable JSON.
enum PrintToolPolicy {
    static func run(options: PolicyOptions, cwd: String, environment: [String: String]) throws(PolicyError) {
        let effective = try options.effectivePolicy(cwd: cwd, environment: environment)
        let engine = try PolicyEngine(policy: effective.policy)
        print(PolicyReport.json(effective, bashRules: engine.bashRules).rendered(pretty: true))
        for warning in effective.warnings { printError("pie: warning: \(warning)") }
    }
}
