/// The diff shown to the user after an edit, in pi's layout (`+12 text`, `-12 text`, ` 12 text`,
/// skipped runs as ` <pad> ...`, four lines of context). It is for the UI only; the model sees
/// just the one-line success text.
///
/// Instead of a full line diff it shows the span between the first and last changed line, which
/// is exact for one edit and shows unchanged lines between several edits as removed and re-added.
struct EditDiff: Equatable {
    var text: String
    /// 1-based line of the first change in the new file.
    var firstChangedLine: Int

    static let contextLines = 4

    init(old: String, new: String) {
        let oldLines = Truncation.lines(old)
        let newLines = Truncation.lines(new)
        var prefix = 0
        while prefix < oldLines.count, prefix < newLines.count, oldLines[prefix] == newLines[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < oldLines.count - prefix, suffix < newLines.count - prefix,
            oldLines[oldLines.count - 1 - suffix] == newLines[newLines.count - 1 - suffix]
        {
            suffix += 1
        }
        let width = String(max(oldLines.count, newLines.count)).count
        func number(_ value: Int) -> String {
            let digits = String(value)
            return String(repeating: " ", count: max(0, width - digits.count)) + digits
        }
        let skipped = " " + String(repeating: " ", count: width) + " ..."
        var output: [String] = []
        let contextStart = max(0, prefix - Self.contextLines)
        if contextStart > 0 { output.append(skipped) }
        for line in contextStart..<prefix { output.append(" \(number(line + 1)) \(oldLines[line])") }
        for line in prefix..<(oldLines.count - suffix) { output.append("-\(number(line + 1)) \(oldLines[line])") }
        for line in prefix..<(newLines.count - suffix) { output.append("+\(number(line + 1)) \(newLines[line])") }
        let trailingStart = oldLines.count - suffix
        let trailingEnd = min(oldLines.count, trailingStart + Self.contextLines)
        for line in trailingStart..<trailingEnd { output.append(" \(number(line + 1)) \(oldLines[line])") }
        if trailingEnd < oldLines.count { output.append(skipped) }
        text = output.joined(separator: "\n")
        firstChangedLine = prefix + 1
    }
}
