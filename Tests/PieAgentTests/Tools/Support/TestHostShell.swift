import Foundation
import PieSandbox

/// TEST SUPPORT ONLY: runs `/bin/bash -c` on the host with stdout and stderr on one pipe, so the
/// bash tool can be tested end to end before the sandboxed shell (branch `sandbox`) is merged.
struct TestHostShell: ShellOperations {
    func run(
        _ request: ShellRequest, onOutput: @escaping @Sendable ([UInt8]) -> Void
    ) async throws(ShellError) -> ShellOutcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", request.command]
        process.currentDirectoryURL = URL(fileURLWithPath: request.cwd)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw ShellError(.spawnFailed, message: "cannot start bash: \(error)")
        }
        let flags = Flags()
        let reader = Task.detached {
            while true {
                let data = pipe.fileHandleForReading.availableData
                if data.isEmpty { break }
                onOutput(Array(data))
            }
        }
        let timer = Task.detached {
            try await Task.sleep(for: .milliseconds(request.timeoutMs))
            flags.set(timedOut: true)
            kill(process.processIdentifier, SIGKILL)
        }
        await withTaskCancellationHandler {
            await reader.value
            process.waitUntilExit()
        } onCancel: {
            flags.set(cancelled: true)
            kill(process.processIdentifier, SIGKILL)
        }
        timer.cancel()
        let signalled = process.terminationReason == .uncaughtSignal
        return ShellOutcome(
            exitCode: signalled ? nil : process.terminationStatus, signal: signalled ? process.terminationStatus : nil,
            timedOut: flags.timedOut, cancelled: flags.cancelled, sandbox: .host, warnings: [])
    }
}

private final class Flags: @unchecked Sendable {
    private let lock = NSLock()
    private var _timedOut = false
    private var _cancelled = false

    var timedOut: Bool { lock.withLock { _timedOut } }
    var cancelled: Bool { lock.withLock { _cancelled } }

    func set(timedOut: Bool) { lock.withLock { _timedOut = timedOut } }
    func set(cancelled: Bool) { lock.withLock { _cancelled = cancelled } }
}
