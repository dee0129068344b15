/// Why an image could not be attached, naming the file (or the model) and what to do.
public enum ImageError: Error, Sendable, Equatable, CustomStringConvertible {
    case notAnImage(path: String, header: [UInt8])
    case tooLarge(path: String, size: Int)
    case totalTooLarge(size: Int)
    case tooMany(count: Int)
    case notRegularFile(path: String, kind: String)
    case unreadable(path: String, reason: String)
    /// The model's descriptor says it takes text only.
    case textOnlyModel(model: String, images: Int)
    /// A model of the fallback chain takes text only: an answer from it would never see the images.
    case textOnlyFallback(model: String, images: Int)

    public var description: String {
        switch self {
        case .notAnImage(let path, let header):
            let hex = header.map { String($0, radix: 16).leftPadded(to: 2) }.joined(separator: " ")
            return "'\(path)' is not a PNG, JPEG, GIF or WebP image (it starts with \(hex.isEmpty ? "nothing: it is empty" : hex)); "
                + "pie recognises images by their bytes, not their name"
        case .tooLarge(let path, let size):
            return "'\(path)' is \(size) bytes; an image may be at most \(ImageAttachment.maxBytes) bytes (3.75 MiB): "
                + "scale it down or crop it"
        case .totalTooLarge(let size):
            return "the images add up to \(size) bytes; one prompt may carry at most \(ImageAttachment.maxTotalBytes) "
                + "bytes (15 MiB) of images: attach fewer or smaller ones"
        case .tooMany(let count):
            return "\(count) images attached; one prompt may carry at most \(ImageAttachment.maxCount)"
        case .notRegularFile(let path, let kind):
            return "'\(path)' is \(kind), not a regular file; attach an image file"
        case .unreadable(let path, let reason):
            return "cannot read the image '\(path)': \(reason)"
        case .textOnlyModel(let model, let images):
            return "the model '\(model)' takes text only (its models.json entry has no \"image\" in \"input\"), so "
                + "\(images == 1 ? "the image" : "the \(images) images") cannot be sent; choose a model with "
                + "input [\"text\", \"image\"] (--model; `pie models list` shows them) or drop the image"
        case .textOnlyFallback(let model, let images):
            return "the fallback model '\(model)' takes text only (its models.json entry has no \"image\" in \"input\"), so "
                + "\(images == 1 ? "the image" : "the \(images) images") would be lost if it answered; give fallbacks with "
                + "input [\"text\", \"image\"] (--fallback-model) or drop the image"
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
