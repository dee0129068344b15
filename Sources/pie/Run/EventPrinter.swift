import ArgumentParser
import Glibc
import PieAgent
import PieLocal
import Synchronization

/// Shows a run as it happens. Text mode streams the answer to stdout and a compact account of
/// thinking, tool calls, retries and fallbacks to stderr; json mode writes every event as one
/// line of JSON to stdout (schema in docs/agent-loop.md).
final class EventPrinter: Sendable {
    /// `--mode`; ArgumentParser checks the value and lists the valid ones.
    enum Mode: String, CaseIterable, ExpressibleByArgument {
        case text, json
    }

    let mode: Mode
    let style: Style
    private let spinner: Spinner
    private let atLineStart = Mutex(true)
    /// Thinking streams to stderr without newlines; the next note starts a fresh line.
    private let thinkingOpen = Mutex(false)

    init(mode: Mode, style: Style) {
        self.mode = mode
        self.style = style
        spinner = Spinner(enabled: mode == .text && style.enabled)
    }

    func handle(_ event: AgentEvent) {
        if mode == .json {
            writeOut(event.jsonLine + "\n")
            return
        }
        switch event {
        case .messageStart(.assistant):
            spinner.start(label: "waiting for the model")
            return
        case .agentEnd:
            spinner.stop()
            return
        default:
            spinner.stop()
        }
        switch event {
        case .messageUpdate(_, let streamEvent):
            switch streamEvent {
            case .textDelta(let text): writeOut(text)
            case .thinkingDelta(let text):
                thinkingOpen.withLock { $0 = true }
                writeErr(style.dim(text))
            case .notice(let text): note(style.yellow("note: \(text)"))
            case .retrying(let attempt, let delay, let reason):
                note(style.yellow("retry \(attempt) in \(delay) ms: \(reason.message)"))
            case .fallback(let from, let to, let reason):
                note(style.yellow("falling back from \(from) to \(to): \(reason.message)"))
            default: break
            }
        case .messageEnd(.assistant(let reply)):
            finishLine()
            if let error = reply.errorMessage, reply.stopReason == .error { note(style.red("error: \(error)")) }
        case .toolExecutionStart(let call):
            finishLine()
            note(style.cyan("→ \(call.name)") + " " + style.dim(Self.preview(call.argumentText, limit: 160)))
        case .toolExecutionEnd(let call, let result):
            let text = result.content.compactMap { block -> String? in
                if case .text(let text) = block { return text }
                return nil
            }.joined(separator: "\n")
            let mark = result.isError ? style.red("✗ \(call.name)") : style.green("✓ \(call.name)")
            note(mark + " " + style.dim(Self.preview(text, limit: 200)))
        case .compactionEnd(_, let summary?):
            note(style.yellow("compacted context (\(summary.tokensBefore) tokens before)"))
        default:
            break
        }
    }

    /// Ends a partially written answer line so stderr notes start on their own line.
    func finishLine() {
        if thinkingOpen.withLock({ open in defer { open = false }; return open }) { writeErr("\n") }
        let needsNewline = atLineStart.withLock { atStart in
            defer { atStart = true }
            return !atStart
        }
        if needsNewline { writeRaw(STDOUT_FILENO, "\n") }
    }

    private func note(_ text: String) {
        finishLine()
        let closeThinking = thinkingOpen.withLock { open in
            defer { open = false }
            return open
        }
        writeErr((closeThinking ? "\n" : "") + text + "\n")
    }

    private func writeOut(_ text: String) {
        guard !text.isEmpty else { return }
        if thinkingOpen.withLock({ open in defer { open = false }; return open }) { writeErr("\n") }
        atLineStart.withLock { $0 = text.hasSuffix("\n") }
        writeRaw(STDOUT_FILENO, text)
    }

    private func writeErr(_ text: String) {
        writeRaw(STDERR_FILENO, text)
    }

    private func writeRaw(_ descriptor: Int32, _ text: String) {
        writeAll(descriptor, text)
    }

    /// One line, cut to `limit` characters.
    static func preview(_ text: String, limit: Int) -> String {
        let line = text.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? ""
        return line.count > limit ? String(line.prefix(limit)) + "…" : line
    }
}
