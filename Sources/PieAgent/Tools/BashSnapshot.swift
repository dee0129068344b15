/// The state of a command's output at one moment, formatted with pi's notices.
struct BashSnapshot {
    var truncation: TruncationResult
    /// Lines in the whole output (pi counts only its rolling window; pie counts everything).
    var totalLines: Int
    var lastLineBytes: Int
    var spillPath: String?
    var isEmpty: Bool

    /// The output with its truncation notice; `emptyText` stands in for no output at all.
    func text(emptyText: String) -> String {
        var text = truncation.content.isEmpty ? emptyText : truncation.content
        guard truncation.truncated else { return text }
        let full = spillPath ?? "(not saved: the spill file could not be created)"
        let end = totalLines
        let start = end - truncation.outputLines + 1
        if truncation.lastLinePartial {
            text += "\n\n[Showing last \(Truncation.formatSize(truncation.outputBytes)) of line \(end) "
                + "(line is \(Truncation.formatSize(lastLineBytes))). Full output: \(full)]"
        } else if truncation.truncatedBy == .lines {
            text += "\n\n[Showing lines \(start)-\(end) of \(end). Full output: \(full)]"
        } else {
            text += "\n\n[Showing lines \(start)-\(end) of \(end) (\(Truncation.formatSize(truncation.maxBytes)) limit). "
                + "Full output: \(full)]"
        }
        return text
    }

    /// The output's part of the details: the truncation and spill file, only when the output was cut.
    var details: BashDetails {
        guard truncation.truncated else { return BashDetails() }
        return BashDetails(truncation: truncation, fullOutputPath: spillPath)
    }
}
