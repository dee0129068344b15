import CEditLine
import Glibc

/// Line editing and history for the interactive prompt, through libedit's readline interface
/// (a maintained library rather than a hand-written editor). History lives in `~/.pie/history`.
///
/// libedit is opened here (`CEditLine`) rather than linked, so only the interactive prompt pays
/// for loading it and the libraries it needs.
struct LineEditor {
    /// The soname of Debian's libedit2, whose headers (libedit-dev) pie is built against.
    static let library = "libedit.so.2"

    let historyPath: String?

    /// Fails, with the package to install, when libedit cannot be loaded.
    init(historyPath: String?) throws(PieExit) {
        var reason = [CChar](repeating: 0, count: 512)
        let loaded = reason.withUnsafeMutableBufferPointer { buffer in
            pie_editline_load(Self.library, buffer.baseAddress, buffer.count)
        }
        guard loaded == 1 else {
            let text = String(decoding: reason.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw PieExit(
                code: 1,
                message: "\(Self.library) could not be loaded (\(text)); pie needs it for the interactive prompt: "
                    + "install it with `apt-get install libedit2`, or run one prompt with -p")
        }
        self.historyPath = historyPath
        // Ctrl+C belongs to `InterruptSignal`. With libedit's own signal handling on, every
        // `readline` saves the SIGINT disposition and restores it on return, so a `readline` that
        // overlapped a change of handler could restore a stale one, after which Ctrl+C no longer
        // cancelled a running turn.
        pie_editline_leave_signals()
        pie_editline_using_history()
        if let historyPath { _ = pie_editline_read_history(historyPath) }
    }

    /// Puts the terminal back in normal (cooked) mode, for leaving while `read` is waiting:
    /// libedit no longer sees the signal, so it cannot do this itself. Only called once a
    /// `LineEditor` exists, so libedit is loaded.
    static func restoreTerminal() {
        pie_editline_deprep_terminal()
    }

    /// One logical input: a line ending in `\` continues on the next line. Nil at end of input.
    func read(prompt: String, continuation: String) -> String? {
        var lines: [String] = []
        var current = prompt
        while true {
            guard let pointer = pie_editline_readline(current) else { return lines.isEmpty ? nil : lines.joined(separator: "\n") }
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
                _ = pie_editline_add_history(text)
                if let historyPath { _ = pie_editline_write_history(historyPath) }
            }
            return text
        }
    }
}
