/// Cross-session memory: the Markdown notes in `~/.pie/memory/`, given to the model as one block.
///
/// `MEMORY.md` (the index, by convention) comes first, then the other `*.md` files by name, so the
/// block is stable between runs. The total is capped: memory grows over time and must not crowd
/// out the conversation; what is cut is reported.
public struct MemoryBlock: Sendable, Equatable {
    /// Files included, in order.
    public var files: [ContextFile]
    public var diagnostics: [ContextDiagnostic]

    /// The `<memory>` prompt block, or nil when there is no memory.
    public var promptText: String? {
        guard !files.isEmpty else { return nil }
        let sections = files.map { "## \(Path.lastComponent(of: $0.path))\n\n\($0.content.trimming("\n"))" }
        return "<memory>\n" + sections.joined(separator: "\n\n") + "\n</memory>"
    }
}

public enum MemoryLoader {
    public static let defaultMaxBytes = 32_768

    public static func load(
        directory: String, fileSystem: some ContextFileSystem, maxBytes: Int = defaultMaxBytes
    ) -> MemoryBlock {
        let names = (fileSystem.listDirectory(directory) ?? []).filter { $0.hasSuffix(".md") && !$0.hasPrefix(".") }
        let ordered = names.filter { $0 == "MEMORY.md" } + names.filter { $0 != "MEMORY.md" }.sorted()
        var files: [ContextFile] = []
        var diagnostics: [ContextDiagnostic] = []
        var remaining = maxBytes
        for name in ordered {
            let path = Path.join(directory, name)
            guard let content = fileSystem.readFile(path) else { continue }
            guard remaining > 0 else {
                diagnostics.append(.init(path: path, message: "left out: memory is over \(maxBytes) bytes"))
                continue
            }
            if content.utf8.count > remaining {
                let kept = String(decoding: content.utf8.prefix(remaining), as: UTF8.self)
                files.append(ContextFile(path: path, content: kept + "\n[… memory truncated]"))
                diagnostics.append(.init(path: path, message: "truncated: memory is over \(maxBytes) bytes"))
                remaining = 0
            } else {
                files.append(ContextFile(path: path, content: content))
                remaining -= content.utf8.count
            }
        }
        return MemoryBlock(files: files, diagnostics: diagnostics)
    }
}
