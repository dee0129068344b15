/// The shared tail of `ls`, `find` and `grep`: head truncation by bytes only (their own count
/// limits replace the line limit) and pi's notices joined with `. ` in one bracket.
enum ListingOutput {
    static func result(lines: [String], notices: [String], details: ListingDetails, maxBytes: Int) -> ToolResult {
        let truncation = Truncation.head(lines.joined(separator: "\n"), maxLines: .max, maxBytes: maxBytes)
        var notices = notices
        var details = details
        if truncation.truncated {
            notices.append("\(Truncation.formatSize(maxBytes)) limit reached")
            details.truncation = truncation
        }
        var text = truncation.content
        if !notices.isEmpty { text += "\n\n[" + notices.joined(separator: ". ") + "]" }
        return .text(text, details: details.isEmpty ? nil : .listing(details))
    }
}
