import PieLocal

/// An image the user attaches to a prompt (`--image PATH`, or `@path` in the REPL): its bytes,
/// recognised as PNG, JPEG, GIF or WebP by `ImageSniffer` (never by the name), within the caps.
public struct ImageAttachment: Sendable, Equatable {
    /// Largest image, in bytes: base64 makes it at most 5 MiB, the strictest provider's per-image
    /// limit (Anthropic's).
    public static let maxBytes = 3_932_160
    /// Largest total of one prompt's images, in bytes (20 MiB once base64-encoded, Gemini's inline
    /// request limit).
    public static let maxTotalBytes = 15_728_640
    /// Most images one prompt may carry.
    public static let maxCount = 20

    public let path: String
    public let mimeType: String
    public let data: [UInt8]

    /// `data` read from `path`; refused unless its bytes are an image a model accepts.
    public init(path: String, data: [UInt8]) throws(ImageError) {
        guard data.count <= Self.maxBytes else { throw .tooLarge(path: path, size: data.count) }
        guard let mimeType = ImageSniffer.mimeType(of: data) else { throw .notAnImage(path: path, header: Array(data.prefix(8))) }
        (self.path, self.mimeType, self.data) = (path, mimeType, data)
    }

    /// The block a user message carries (base64, as every provider takes it).
    public var block: ContentBlock {
        ToolContent.image(mimeType: mimeType, data: data).contentBlock
    }

    /// Refuses a set of images over the count or total caps.
    public static func checkTotal(_ images: [ImageAttachment]) throws(ImageError) {
        guard images.count <= maxCount else { throw .tooMany(count: images.count) }
        let total = images.reduce(0) { $0 + $1.data.count }
        guard total <= maxTotalBytes else { throw .totalTooLarge(size: total) }
    }
}
