import ArgumentParser
import Glibc
import PieSystem

/// `pie automations serve`: execs `pie-serve`, installed next to `pie`, with the same arguments.
/// The scheduler with its webhook listener is its own executable so that `pie` does not link
/// the HTTP server, which would cost every other command start-up (docs/benchmarks.md).
struct AutomationsServe: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run due automations until stopped (SIGTERM or Ctrl+C).",
        discussion: """
            Starts pie-serve (next to pie) with these arguments: the scheduler, webhook listener and /metrics \
            (--listen, default 127.0.0.1:8787), file triggers and command probes, in the foreground. \
            Options: --listen HOST:PORT, --log-format text|json, --store sqlite:PATH|postgres://USER@HOST[:PORT]/DB, \
            --grace DURATION, --lease DURATION. \
            `pie automations serve --help` shows them in full.
            """)

    @Argument(parsing: .captureForPassthrough, help: "Options for pie-serve.") var arguments: [String] = []

    func run() throws {
        let daemon = try Self.daemonPath()
        let argv = ([daemon] + arguments).map { strdup($0) } + [nil]
        execv(daemon, argv)
        let reason = String(cString: strerror(errno))
        argv.forEach { free($0) }
        throw PieExit(code: 1, message: "cannot start \(daemon): \(reason)")
    }

    /// `pie-serve` in the directory of the running `pie` (where SwiftPM and `make install` put
    /// both), or an error saying where it was looked for.
    static func daemonPath() throws(PieExit) -> String {
        guard let daemon = ProcessPaths.companion("pie-serve") else {
            throw PieExit(code: 1, message: "cannot find pie's own executable to locate pie-serve")
        }
        guard access(daemon, X_OK) == 0 else {
            throw PieExit(
                code: 1,
                message: "pie-serve is not next to pie (looked for \(daemon)); build it with `make serve` "
                    + "(or `swift build --product pie-serve`), or install both from the same build")
        }
        return daemon
    }
}
