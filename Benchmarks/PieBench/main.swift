/// `PieBench`: the measurements behind docs/benchmarks.md, run by `make bench` (scripts/bench.sh).
/// Each argument names one benchmark; no argument runs them all. Every result line starts with
/// the benchmark's name and a colon, so `PieBench | grep '^sse:'` picks one area.
let benchmarks: [(String, () async throws -> Void)] = [
    ("policy", PolicyBenchmark.run),
    ("sandbox", SandboxBench.run),
    ("grep", GrepBench.run),
    ("sse", SSEBench.run),
    ("agent", AgentBench.run),
    ("session", SessionBench.run),
    ("coldstart", ColdStartBench.run),
    ("rss", IdleMemoryBench.run),
    ("cancel", CancellationBench.run),
    ("automations", AutomationsBench.run),
    ("webhook", WebhookBench.run),
    ("store", StoreBench.run),
    ("claims", ClaimBench.run),
    ("mcp", MCPBench.run),
]

// The lease holder the `claims` benchmark starts and kills (not a benchmark).
if CommandLine.arguments.dropFirst().first == "--hold-lease" {
    try ClaimBench.holdLease(Array(CommandLine.arguments.dropFirst(2)))
}

let selected = CommandLine.arguments.dropFirst()
for name in selected where !benchmarks.contains(where: { $0.0 == name }) {
    print("\(name): unknown benchmark; known: \(benchmarks.map(\.0).joined(separator: ", "))")
}
for (name, run) in benchmarks where selected.isEmpty || selected.contains(name) {
    do {
        try await run()
    } catch {
        print("\(name): failed: \(error)")
    }
}
