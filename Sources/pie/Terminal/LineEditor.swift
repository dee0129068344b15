import CEditLine
import Glibc

/// Line editing and history for the interactive prompt, through libedit's readline interface
/// (a maintained library rather than a hand-written editor). History lives in `~/.pie/history`.
struct LineEditor {
    let historyPath: String?

    init(historyPath: String?) {
        self.historyPath = historyPath
        // Ctrl+C belongs to `InterruptSignal`. With libedit's own signal handling on, every
        // `readline` saves the SIGINT disposition and restores it on return; libdispatch installs
        // its handler asynchronously, so the first `readline` could save the interim SIG_IGN and
        // restore it, after which Ctrl+C no longer cancelled a running turn.
        pie_editline_leave_signals()
        using_history()
        if let historyPath { _ = read_history(historyPath) }
    }

    /// Puts the terminal back in normal (cooked) mode, for leaving while `read` is waiting:
    /// libedit no longer sees the signal, so it cannot do this itself.
    static func restoreTerminal() {
        rl_deprep_terminal()
    }

    /// One logical input: a line ending in `\` continues on the next line. Nil at end of input.
    func read(prompt: String, continuation: String) -> String? {
        var lines: [String] = []
        var current = prompt
        while true {
            guard let pointer = readline(current) else { return lines.isEmpty ? nil : lines.joined(separator: "\n") }
            let line = String(cString: pointer)
            free(pointer)
            if line.hasSuffix("\\") {
                lines.append(String(line.dropLast()))
                current = continuation
                continue
            }
            lines.append(line)
            let text = lines.joined(separator: "\n")
            if !text.trimmedWhitespace().isEmpty {
                add_history(text)
                if let historyPath { _ = write_history(historyPath) }
            }
            return text
        }
    }
}
