import Glibc

/// Cold start to the first request byte (target < 30 ms): from spawning the release `pie` for a
/// one-shot prompt against a loopback "model server" to the first byte of its HTTP request
/// arriving there. This is start-up, option parsing, policy, model setup and libcurl's connect —
/// everything before the model can start working.
enum ColdStartBench {
    static let runs = 30

    static func run() async throws {
        let pie = BenchEnvironment.executableDirectory() + "/pie"
        guard access(pie, X_OK) == 0 else {
            print("coldstart: failed: \(pie) is not built")
            return
        }
        guard let listener = LoopbackListener() else {
            print("coldstart: failed: cannot listen on 127.0.0.1")
            return
        }
        let argv = [pie, "-p", "hi", "--provider", "llamacpp", "--model", "m", "--base-url", listener.baseURL, "--no-session"]
        var samples: [Double] = []
        var misses = 0
        for round in 0...runs {
            let start = monotonicNanos()
            guard let pid = Subprocess.spawn(argv) else {
                print("coldstart: failed: cannot spawn \(pie)")
                return
            }
            var arrived: UInt64?
            if let connection = listener.accept(timeoutMs: 5_000) {
                if LoopbackListener.readable(connection, timeoutMs: 5_000) { arrived = monotonicNanos() }
                close(connection)
            }
            kill(pid, SIGKILL)
            Subprocess.wait(pid)
            guard let arrived else {
                misses += 1
                continue
            }
            if round > 0 { samples.append(Double(arrived - start) / 1e6) }
        }
        let summary = Summary(samples)
        let note = misses > 0 ? " (\(misses) runs sent no request)" : ""
        print(
            "coldstart: spawn pie -p -> first request byte on loopback: median \(format(summary.median)) ms, p90 \(format(summary.p90)) ms (n=\(samples.count))\(note)"
        )
    }
}
