import PieJSON
import PieLocal
import PieSandbox
import PieSystem
import Synchronization

/// Runs one hook for one payload and audits the run.
///
/// A command hook runs through the session's own `ShellOperations` (the bash tool's
/// `SandboxedShell`, built for the session's effective policy): it can read, write and reach
/// exactly what a command of the session could, no more. The policy's command analysis (the
/// bash allowlist) is not applied: the command is the user's, from a file the user wrote or
/// trusted, not the model's. A webhook is POSTed by pie itself over libcurl with the redacted
/// payload; the URL and header values may name environment variables (`${NAME}`).
public struct HookRunner: Sendable {
    public var shell: any ShellOperations
    public var projectRoot: String
    /// pie's environment: `HOME` for `cwd = "home"`, `${NAME}` in webhooks.
    public var environment: [String: String]
    /// Applied to payloads, messages and variables.
    public var redactor: SecretRedactor
    /// Where runs are recorded (the session's audit log); nil records nothing, for a runner outside any session.
    public var audit: (log: AuditLog, session: String)?
    /// A transport whose whole-request limit is the given milliseconds.
    public var makeTransport: @Sendable (Int) throws -> any HTTPTransport

    /// Standard error beyond this is not kept.
    static let messageLimit = 16 * 1024

    public init(
        shell: any ShellOperations, projectRoot: String, environment: [String: String], redactor: SecretRedactor,
        audit: (log: AuditLog, session: String)?,
        makeTransport: @escaping @Sendable (Int) throws -> any HTTPTransport = { timeout in
            try CurlTransport(
                configuration: .init(connectTimeoutMilliseconds: timeout, requestTimeoutMilliseconds: timeout))
        }
    ) {
        self.shell = shell
        self.projectRoot = projectRoot
        self.environment = environment
        self.redactor = redactor
        self.audit = audit
        self.makeTransport = makeTransport
    }

    public func run(_ hook: Hook, payload: HookPayload) async -> HookRunResult {
        let started = ContinuousClock.now
        var result: HookRunResult
        var sandbox: SandboxUsed?
        var host: String?
        if let command = hook.command {
            (result, sandbox) = await runCommand(command, hook: hook, payload: payload)
        } else {
            result = HookRunResult(origin: hook.origin, event: hook.event, outcome: .ok, durationMs: 0, message: "")
        }
        if let webhook = hook.webhook, result.outcome == .ok {
            let posted = await post(webhook, hook: hook, payload: payload)
            host = posted.host
            result.outcome = posted.outcome
            result.httpStatus = posted.httpStatus
            if !posted.message.isEmpty { result.message = posted.message }
        }
        let elapsed = ContinuousClock.now - started
        result.durationMs = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        result.message = redactor.redact(result.message)
        record(&result, hook: hook, payload: payload, sandbox: sandbox, host: host)
        return result
    }

    private func runCommand(_ command: String, hook: Hook, payload: HookPayload) async -> (HookRunResult, SandboxUsed?) {
        var variables = [(name: "PIE_HOOK_EVENT", value: hook.event.rawValue)]
        variables += payload.environment(redactor: redactor)
        let script = HookScript.make(
            command: command, payload: JSONWriter.string(payload.json(redactor: redactor)), variables: variables)
        let stderr = CappedBuffer(limit: Self.messageLimit)
        var result = HookRunResult(origin: hook.origin, event: hook.event, outcome: .failed, durationMs: 0, message: "")
        do {
            let outcome = try await shell.run(
                ShellRequest(command: script, cwd: directory(hook), timeoutMs: hook.timeoutMs), onOutput: stderr.append)
            let said = stderr.text
            result.exitCode = outcome.exitCode.map(Int.init)
            if outcome.timedOut {
                result.outcome = .timedOut
                result.message = "killed after timeout_ms \(hook.timeoutMs)"
            } else if outcome.exitCode == 0 {
                result.outcome = .ok
                result.message = said
            } else if outcome.exitCode == 2, hook.event.blocks {
                result.outcome = .denied
                result.message = HookPayload.summary(said)
            } else if outcome.exitCode == Int32(HookScript.setupFailed) {
                result.message = "could not write the payload file in the sandbox's temporary directory: \(said)"
            } else if let code = outcome.exitCode {
                result.message = "exited with status \(code)" + (said.isEmpty ? "" : ": \(said)")
            } else {
                result.message = "killed by signal \(outcome.signal ?? 0)" + (said.isEmpty ? "" : ": \(said)")
            }
            for warning in outcome.warnings { result.message += (result.message.isEmpty ? "" : "; ") + warning }
            return (result, outcome.sandbox)
        } catch {
            result.message = "could not start: \(error.message)"
            return (result, nil)
        }
    }

    /// The hook's working directory: the project, or `HOME` when it is absolute.
    private func directory(_ hook: Hook) -> String {
        if hook.directory == .home, let home = environment["HOME"], home.hasPrefix("/") { return home }
        return projectRoot
    }

    private func post(_ webhook: String, hook: Hook, payload: HookPayload) async -> (
        outcome: AuditHookRun.Outcome, httpStatus: Int?, message: String, host: String?
    ) {
        let url: String
        var headers = [(name: "Content-Type", value: "application/json")]
        do throws(HookExpansionError) {
            url = try HookExpansion.expand(webhook, environment: environment)
            for header in hook.headers {
                headers.append((header.name, try HookExpansion.expand(header.value, environment: environment)))
            }
        } catch {
            return (.failed, nil, "\(error)", nil)
        }
        let host = WebhookHost.of(url)
        let body = JSONWriter.bytes(payload.json(redactor: redactor))
        let status = Mutex<Int?>(nil)
        do {
            let transport = try makeTransport(hook.timeoutMs)
            try await transport.send(
                HTTPRequest(method: "POST", url: url, headers: headers, body: body),
                onHead: { head in status.withLock { $0 = head.status } }, onBody: { _ in true })
        } catch {
            // Errors may spell out the URL, whose path often is the secret (Slack's): only the host is shown.
            let text = "\(error)".replacing(url, with: host)
            if case .timeout? = error as? ProviderError {
                return (.timedOut, nil, "POST to \(host) did not finish within timeout_ms \(hook.timeoutMs)", host)
            }
            return (.failed, nil, "POST to \(host) failed: \(text)", host)
        }
        let answered = status.withLock { $0 }
        guard let answered, (200..<300).contains(answered) else {
            return (.failed, answered, "POST to \(host) was answered HTTP \(answered.map(String.init) ?? "without a status")", host)
        }
        return (.ok, answered, "", host)
    }

    /// `host` is nil for a webhook whose URL could not be expanded: the record then names none.
    private func record(
        _ result: inout HookRunResult, hook: Hook, payload: HookPayload, sandbox: SandboxUsed?, host: String?
    ) {
        guard let audit else { return }
        // A denial's or failure's message is the reason; what a hook that succeeded wrote is its output.
        let said = result.message
        let record = AuditRecord(
            event: .hook, session: audit.session, callID: payload["tool_call_id"]?.stringValue ?? "",
            tool: payload.toolName ?? "", arguments: "", decision: result.outcome == .denied ? .deny : .allow,
            rule: "hook.\(hook.event.rawValue)", reason: result.outcome == .ok || said.isEmpty ? nil : said,
            sandbox: sandbox, exitCode: result.exitCode, timedOut: result.outcome == .timedOut ? true : nil,
            durationMs: result.durationMs, output: result.outcome == .ok && !said.isEmpty ? said : nil,
            hook: AuditHookRun(
                event: hook.event.rawValue, source: hook.origin.file, index: hook.origin.index, command: hook.command,
                webhookHost: host, outcome: result.outcome, httpStatus: result.httpStatus))
        do throws(AuditError) {
            try audit.log.append(record)
        } catch {
            result.auditError = error.message
        }
    }
}

/// The first bytes a hook wrote, kept while it runs (called from the shell's reader thread).
final class CappedBuffer: Sendable {
    private let state = Mutex<[UInt8]>([])
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    func append(_ bytes: [UInt8]) {
        state.withLock { kept in
            if kept.count < limit { kept += bytes.prefix(limit - kept.count) }
        }
    }

    var text: String { state.withLock { String(decoding: $0, as: UTF8.self) } }
}
