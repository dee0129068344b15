/// Cutting text to a byte budget without splitting a character: what is kept still reads as
/// the same characters, never a half of an `é` or of an emoji.
public enum TextPrefix {
    /// The longest prefix of `text` within `limit` UTF-8 bytes that ends on a character boundary.
    public static func within(_ text: String, bytes limit: Int) -> Substring {
        guard text.utf8.count > limit else { return text[...] }
        var kept = 0
        var end = text.startIndex
        for index in text.indices {
            let size = text[index].utf8.count
            guard kept + size <= limit else { break }
            kept += size
            end = text.index(after: index)
        }
        return text[..<end]
    }
}
