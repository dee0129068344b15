import ArgumentParser
import PieAgent
import PieLocal
import PiePolicy
import Glibc
import PieSandbox

/// `pie audit verify PATH` and `pie audit show PATH [--tool T] [--decision deny] [--since 1h]`.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check and read pie's tool audit logs.",
        subcommands: [Verify.self, Show.self, Replay.self])

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Verify a log's hash chain; exits 1 and names the first bad line on any tampering.")

        @Argument(help: "The audit log (JSONL) to verify.")
        var path: String

        func run() throws {
            let result: AuditVerification
            do {
                result = try AuditVerifier.verify(path: path)
            } catch {
                printError(error.message)
                throw ExitCode(2)
            }
            if let line = result.firstBadLine {
                printError("\(path): \(result.problem ?? "line \(line) is invalid")")
                let intact = result.records == 1 ? "1 record before it is" : "\(result.records) records before it are"
                printError("\(intact) intact")
                throw ExitCode(1)
            }
            print("\(path): intact, \(result.records) records, head \(result.headHash)")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Print audit records for humans, oldest first.")

        @Argument(help: "The audit log (JSONL) to read.")
        var path: String

        @Option(help: "Only records of this tool (bash, read, write, …).")
        var tool: String?

        @Option(help: "Only records with this decision (allow, ask or deny).")
        var decision: String?

        @Option(help: "Only records newer than this age: 90s, 15m, 1h, 2d, 1w.")
        var since: String?

        func validate() throws {
            if let decision, AuditDecision(rawValue: decision) == nil {
                throw ValidationError("--decision must be allow, ask or deny, not '\(decision)'")
            }
            if let since, AuditQuery.duration(since) == nil {
                throw ValidationError("--since must look like 90s, 15m, 1h, 2d or 1w, not '\(since)'")
            }
        }

        func run() throws {
            let query = AuditQuery(
                tool: tool, decision: decision.flatMap(AuditDecision.init(rawValue:)), sinceSeconds: since.flatMap(AuditQuery.duration))
            do {
                for record in try query.select(path: path) { print(record.summary) }
            } catch {
                printError(error.message)
                throw ExitCode(2)
            }
        }
    }

    struct Replay: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "replay",
            abstract: "Re-judge every tool call of a recorded session under another policy.",
            discussion: "Exit codes: 0 nothing would be denied, 1 some call would be denied, 2 bad usage.")

        @Argument(help: "The session file (JSONL).")
        var session: String

        @Option(help: "The project directory the calls are judged in (default: the session's cwd).")
        var cwd: String?

        @OptionGroup var policy: PolicyOptions

        func run() throws {
            let here = try ProcessContext.currentDirectory()
            let path = PathNormalizer.join(here, session)
            let load: SessionLoad
            do {
                load = try SessionFile(path: path).load()
            } catch {
                throw PieExit.usage(error.description)
            }
            let project = cwd.map { PathNormalizer.join(here, $0) } ?? load.header.cwd
            let effective = try policy.effectivePolicy(cwd: project, environment: ProcessContext.environment())
            let recorded = MessageCodec.toolCalls(in: load.entries, path: path)
            for diagnostic in load.diagnostics + recorded.diagnostics { printError("pie: warning: \(diagnostic)") }
            let report = AuditReplay(engine: try PolicyEngine(policy: effective.policy)).run(recorded.calls)
            for line in report.lines { print(line) }
            if !report.denied.isEmpty { throw PieExit(code: 1) }
        }
    }
}
