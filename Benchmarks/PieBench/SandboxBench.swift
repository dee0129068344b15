import PieBenchmarks
import PieSandbox

/// What containment costs per command and confinement per file read, each beside its baseline in
/// the same run: the target is the sandboxed `true` within 1.5× of bare `bwrap … true`, and a
/// confined 1 MB read within 2× of a plain one.
enum SandboxBench {
    static func run() async throws {
        guard let project = BenchEnvironment.temporaryDirectory("sandbox") else {
            print("sandbox: failed: no temporary directory")
            return
        }
        defer { BenchEnvironment.remove(project) }
        let spawns = await SandboxBenchmark.shellSpawn(
            iterations: 100, project: project, environment: BenchEnvironment.variables())
        for measurement in spawns { report(measurement) }
        let bare = spawns.first { $0.name.hasPrefix("bare:") }
        let isolated = spawns.first { $0.name.hasPrefix("isolation only:") }
        let cold = spawns.first { $0.name.hasPrefix("cold:") }
        let sandboxed = spawns.first { $0.name.hasPrefix("sandboxed:") }
        if let bare, let isolated, let cold, let sandboxed, bare.medianMs > 0, isolated.medianMs > 0 {
            print("sandbox: sandboxed (warm)/bare median ratio \(format(sandboxed.medianMs / bare.medianMs)) (target <= 1.5)")
            print("sandbox: cold/bare median ratio \(format(cold.medianMs / bare.medianMs))")
            print("sandbox: isolation-only/bare median ratio \(format(isolated.medianMs / bare.medianMs))")
        } else {
            print("sandbox: bwrap unavailable; only the host figure was measured")
        }

        let reads = SandboxBenchmark.fileRead(iterations: 200, directory: project)
        for measurement in reads { report(measurement) }
        if reads.count == 2, reads[0].medianMs > 0 {
            print("sandbox: confined/plain 1 MB read median ratio \(format(reads[1].medianMs / reads[0].medianMs)) (target <= 2)")
        }

        if let empty = BenchEnvironment.temporaryDirectory("sweep-empty"), let tree = BenchEnvironment.temporaryDirectory("sweep") {
            defer {
                BenchEnvironment.remove(tree)
                BenchEnvironment.remove(empty)
            }
            let sweeps = await SweepBenchmark.run(
                iterations: 50, files: 10_000, empty: empty, project: tree, environment: BenchEnvironment.variables())
            for measurement in sweeps { report(measurement) }
        }
    }

    private static func report(_ measurement: SandboxBenchmark.Measurement) {
        print(
            "sandbox: \(measurement.name): median \(format(measurement.medianMs, 3)) ms, p90 \(format(measurement.p90Ms, 3)) ms, mean \(format(measurement.meanMs, 3)) ms (n=\(measurement.iterations))"
        )
    }
}
