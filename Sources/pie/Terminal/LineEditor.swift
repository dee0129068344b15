import CEditLine
import Glibc

/// Line editing and history for the interactive prompt, through libedit's readline interface
/// (a maintained library rather than a hand-written editor). History lives in `~/.pie/history`.
struct LineEditor {
    let historyPath: String?

    init(historyPath: String?) {
        self.historyPath = historyPath
        using_history()
        if let historyPath { _ = read_history(historyPath) }
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
