import Glibc
import PieLocal
import PieRuntime
import PieSandbox
import PieSystem

/// The few facts about this process the CLI needs, read once at the edge and passed down.
enum ProcessContext {
    /// The sandbox state of this process (warm sandboxes, bubblewrap probe, placeholder registry,
    /// seccomp programs): created here, on first use, and handed to every shell and report pie makes.
    static let sandboxServices = SandboxServices()

    static func environment() -> [String: String] {
        PieEnvironment.process().variables
    }

    /// The one place the process's services are chosen for every agent pie assembles.
    static func agentBuilder(environment: [String: String]) -> AgentBuilder {
        AgentBuilder(
            environment: environment,
            services: .standard(sandbox: sandboxServices, hookWarnings: { printError("pie: warning: \($0)") }))
    }

    /// The working directory, refused when its path is not valid UTF-8: a repaired spelling
    /// (U+FFFD) would make pie judge and open a project other than the one it runs in.
    static func currentDirectory() throws(PieExit) -> String {
        guard let bytes = ProcessPaths.workingDirectory() else { return "/" }
        guard let path = String(validating: bytes, as: UTF8.self) else {
            let offset = ArgumentEncoding.invalidOffset(bytes) ?? 0
            throw PieExit.usage(
                "the working directory's path is not valid UTF-8 (an invalid byte at offset \(offset)); "
                    + "run pie from a directory whose path is UTF-8, or rename it")
        }
        return path
    }
}

/// Ends a command with a specific exit code after its message was printed.
struct PieExit: Error {
    var code: Int32
    var message: String?

    static func usage(_ message: String) -> PieExit { PieExit(code: 2, message: message) }
}

/// Writes one line to standard error unbuffered, so it is never lost on exit (the C `stderr`
/// global is not concurrency-safe in Swift 6).
func printError(_ text: String) {
    writeAll(STDERR_FILENO, text.hasSuffix("\n") ? text : text + "\n")
}

/// Writes all of `text` to `descriptor`, retrying short writes and EINTR; a failed write (a closed
/// terminal) is dropped, as there is nowhere left to report it.
func writeAll(_ descriptor: Int32, _ text: String) {
    _ = FileIO.writeAll(descriptor, Array(text.utf8))
}
