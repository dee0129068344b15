import PieAgent
import PiePolicy
import PieSandbox

/// `@path` in a typed prompt: a mention of an image file attaches it, as `--image` does for the
/// first prompt. Only what the read tool may read is attached (the policy is asked, then the file
/// is read through the tools' confined file layer), so a mention reaches nothing the model could
/// not ask to read itself. It lives in the library, beside the read tool it mirrors, so the
/// executable only passes the typed line.
///
/// A mention is a word starting with `@`; trailing punctuation (`.,;:!?)`) is tried off when the
/// word as written names nothing. A mention of a missing path, a directory or a file whose bytes
/// are not an image stays plain text; a mention of a path the policy refuses, or of a file over
/// the image cap, is an error and nothing is sent.
public enum ImageMentions {
    public static func images(in prompt: String, agent: AssembledAgent) throws(ImageError) -> [ImageAttachment] {
        let engine: PolicyEngine
        do {
            engine = try PolicyEngine(policy: agent.policy.policy)
        } catch {
            throw .unreadable(path: "@…", reason: error.message)
        }
        let context = agent.runner.context
        var images: [ImageAttachment] = []
        var seen: Set<String> = []
        for word in prompt.split(whereSeparator: \.isWhitespace) where word.hasPrefix("@") && word.count > 1 {
            for candidate in candidates(String(word.dropFirst())) {
                let path = context.resolve(candidate)
                guard let image = try attachment(path, engine: engine, files: context.files, maxBytes: context.policy.maxFileReadBytes)
                else { continue }
                if seen.insert(path).inserted { images.append(image) }
                break
            }
        }
        return images
    }

    /// The word, then the word without trailing punctuation.
    private static func candidates(_ word: String) -> [String] {
        var trimmed = Substring(word)
        while let last = trimmed.last, ".,;:!?)".contains(last) { trimmed.removeLast() }
        return trimmed.isEmpty || trimmed == word ? [word] : [word, String(trimmed)]
    }

    /// The image at `path`, nil when the path names no image file (so the mention stays text).
    private static func attachment(
        _ path: String, engine: PolicyEngine, files: any FileOperations, maxBytes: Int
    ) throws(ImageError) -> ImageAttachment? {
        let info: FileInfo
        do {
            info = try files.info(path)
        } catch {
            guard error.kind != .notFound else { return nil }
            throw .unreadable(path: path, reason: "the read tool may not read it: \(error.message)")
        }
        guard info.kind == .regular else { return nil }
        let decision = engine.evaluate(.file(tool: .read, path: path))
        guard decision.allowed else {
            throw .unreadable(path: path, reason: "the read tool may not read it (rule \(decision.rule)): \(decision.reason)")
        }
        guard info.size <= maxBytes else {
            throw .unreadable(path: path, reason: "it is \(info.size) bytes, over the policy's max_file_read_bytes (\(maxBytes))")
        }
        guard info.size <= ImageAttachment.maxBytes else { throw .tooLarge(path: path, size: info.size) }
        let data: [UInt8]
        do {
            data = try files.read(path, maxBytes: min(ImageAttachment.maxBytes, maxBytes))
        } catch {
            throw .unreadable(path: path, reason: error.message)
        }
        guard ImageSniffer.mimeType(of: data) != nil else { return nil }
        return try ImageAttachment(path: path, data: data)
    }
}
