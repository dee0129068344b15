/// `PieBench`: the measurements behind docs/benchmarks.md, run by `make bench` (scripts/bench.sh).
/// Each argument names one benchmark; no argument runs them all.
let benchmarks: [(String, () throws -> Void)] = [
    ("policy", PolicyBenchmark.run),
]

let selected = CommandLine.arguments.dropFirst()
for (name, run) in benchmarks where selected.isEmpty || selected.contains(name) {
    do {
        try run()
    } catch {
        print("\(name): failed: \(error)")
    }
}
