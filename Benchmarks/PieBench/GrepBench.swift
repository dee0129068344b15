import Glibc
import PieAgent
import PieLocal
import PiePolicy
import PieSandbox

/// pie's grep tool over a generated 10,000-file tree, through `ToolRunner` (validation, policy,
/// confined reads) exactly as the agent calls it, beside `rg` and `grep -r` on the same tree in the
/// same run. The external tools pay a process spawn (about a millisecond) that the in-process
/// tool does not; the tree is large enough that the search dominates. The last line gives the tool's
/// median over each external tool's (issue 15: within 2× of `rg`).
enum GrepBench {
    static let fileCount = 10_000
    static let runs = 10

    static func run() async throws {
        guard let root = BenchEnvironment.temporaryDirectory("grep") else {
            print("grep: failed: no temporary directory")
            return
        }
        defer { BenchEnvironment.remove(root) }
        let tree = root + "/tree"
        let (bytes, needles) = generate(tree)
        print("grep: tree of \(fileCount) files, \(bytes / 1_000_000) MB, \(needles) files containing the pattern")

        let environment = BenchEnvironment.variables()
        let policy = try PolicyBuilder.build(
            PolicyInputs(cwd: tree, home: environment["HOME"] ?? "/", environment: environment)
        ).policy
        let runner = ToolRunner.standard(
            policy: policy, files: ConfinedFileOperations(paths: policy.paths, enforceRegularFiles: policy.enforceRegularFiles),
            shell: SandboxedShell(policy: policy, environment: environment), cwd: tree, spillDirectory: root)
        let hooks = try AgentHooks().guarded(by: policy)

        // A plain word (the byte search), then a regex whose required literal `needle_` is the
        // prefilter in front of `Regex`.
        for (pattern, json) in [("needle_token", "needle_token"), (#"needle_\w+"#, #"needle_\\w+"#)] {
            let call = ToolCall(id: "bench", name: "grep", rawArguments: "{\"pattern\": \"\(json)\", \"limit\": 1000}")
            var samples: [Double] = []
            var failed = false
            for round in 0...runs {
                let start = monotonicNanos()
                let result = await runner.run(call, hooks: hooks)
                if round > 0 { samples.append(Double(monotonicNanos() - start) / 1e6) }
                failed = failed || result.isError
            }
            let label = pattern == "needle_token" ? "" : " \(pattern)"
            let pie = report("pie grep tool\(label) (in-process ToolRunner)", samples, note: failed ? " (tool returned an error)" : "")

            var medians: [String: Double] = [:]
            let tools = pattern == "needle_token" ? [["rg", "-n", pattern, tree], ["grep", "-rn", pattern, tree]] : [["rg", "-n", pattern, tree]]
            for tool in tools {
                guard Subprocess.available(tool[0]) else {
                    print("grep: \(tool[0]): not installed")
                    continue
                }
                var samples: [Double] = []
                for round in 0...runs {
                    let start = monotonicNanos()
                    Subprocess.run(tool)
                    if round > 0 { samples.append(Double(monotonicNanos() - start) / 1e6) }
                }
                medians[tool[0]] = report(tool.dropLast().joined(separator: " ") + " (process)", samples, note: "")
            }
            let ratios = ["rg", "grep"].compactMap { name in medians[name].map { "\(format(pie / $0))× \(name)" } }
            if !ratios.isEmpty { print("grep: pie grep tool\(label) / median of: \(ratios.joined(separator: ", "))") }
        }
    }

    /// 100 directories of 100 Swift-like files of ~2 KB; every 97th file holds the pattern once.
    private static func generate(_ tree: String) -> (bytes: Int, needles: Int) {
        mkdir(tree, 0o755)
        let body = (0..<40).map { "    let value\($0) = compute(input: \($0), scale: 3) // ordinary line of source\n" }.joined()
        var bytes = 0
        var needles = 0
        for index in 0..<fileCount {
            let directory = tree + "/module\(index / 100)"
            if index % 100 == 0 { mkdir(directory, 0o755) }
            var text = "func generated\(index)() {\n" + body
            if index % 97 == 0 {
                text += "    let marker = \"needle_token\"\n"
                needles += 1
            }
            text += "}\n"
            BenchEnvironment.writeFile(directory + "/file\(index).swift", text)
            bytes += text.utf8.count
        }
        return (bytes, needles)
    }

    /// Prints one row and returns its median.
    @discardableResult
    private static func report(_ name: String, _ samples: [Double], note: String) -> Double {
        let summary = Summary(samples)
        print("grep: \(name): median \(format(summary.median)) ms, p90 \(format(summary.p90)) ms (n=\(samples.count))\(note)")
        return summary.median
    }
}
