/// Recognises the image formats models accept by their magic bytes.
///
/// The extension is ignored both ways, as in pi: a PNG named `notes.txt` is sent as an image and a
/// text file named `logo.png` is read as text.
public enum ImageSniffer {
    /// How many leading bytes `mimeType` needs at most.
    public static let headerLength = 12

    /// `image/png`, `image/jpeg`, `image/gif` or `image/webp`, or nil for anything else.
    public static func mimeType(of bytes: some Collection<UInt8>) -> String? {
        let header = Array(bytes.prefix(headerLength))
        if header.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if header.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if header.starts(with: Array("GIF87a".utf8)) || header.starts(with: Array("GIF89a".utf8)) {
            return "image/gif"
        }
        if header.count >= 12, header.starts(with: Array("RIFF".utf8)), Array(header[8..<12]) == Array("WEBP".utf8) {
            return "image/webp"
        }
        return nil
    }
}
