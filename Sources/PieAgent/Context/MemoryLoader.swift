import PieSandbox

/// Cross-session memory: the Markdown notes in `~/.pie/memory/`, then the project's in
/// `<project>/.pie/memory/`, given to the model as one block (the memory tool writes both).
///
/// In each directory `MEMORY.md` (the index, by convention) comes first, then the other `*.md` files
/// by name, so the block is stable between runs; a project note's heading says so. The total is
/// capped: memory grows over time and must not crowd out the conversation; what is cut is reported.
public struct MemoryBlock: Sendable, Equatable {
    /// Files included, in order.
    public var files: [ContextFile]
    /// How many of `files` (the last ones) are the project's.
    public var projectCount = 0
    public var diagnostics: [ContextDiagnostic]

    /// The `<memory>` prompt block, or nil when there is no memory.
    public var promptText: String? {
        guard !files.isEmpty else { return nil }
        let sections = files.enumerated().map { index, file in
            let scope = index >= files.count - projectCount ? " (project)" : ""
            return "## \(Path.lastComponent(of: file.path))\(scope)\n\n\(file.content.trimming("\n"))"
        }
        return "<memory>\n" + sections.joined(separator: "\n\n") + "\n</memory>"
    }
}

public enum MemoryLoader {
    public static let defaultMaxBytes = 32_768

    /// The user's notes in `directory`, then the project's in `projectRoot`'s `.pie/memory`, under
    /// one cap. The project's are reached without following any symlink (`readBeneath`): a cloned
    /// repository's memory could otherwise be a link to a secret that lands in the prompt.
    public static func load(
        directory: String, projectRoot: String? = nil, fileSystem: some ContextFileSystem,
        maxBytes: Int = defaultMaxBytes
    ) -> MemoryBlock {
        var remaining = maxBytes
        var block = load(
            directory, names: fileSystem.listDirectory(directory), read: { fileSystem.readFile(Path.join(directory, $0)) },
            maxBytes: maxBytes, remaining: &remaining)
        if let projectRoot {
            let relative = ".pie/memory"
            let directory = Path.join(projectRoot, relative)
            var names: [String] = []
            var refused: [ContextDiagnostic] = []
            do {
                names = try fileSystem.listBeneath(base: projectRoot, relative: relative)
            } catch {
                refused.append(.init(path: directory, message: "left out: \(error.message)"))
            }
            let project = load(
                directory, names: names,
                read: { name in
                    do throws(FileOperationError) {
                        return try fileSystem.readBeneath(base: projectRoot, relative: relative, name: name)
                    } catch {
                        refused.append(.init(path: Path.join(directory, name), message: "left out: \(error.message)"))
                        return nil
                    }
                },
                maxBytes: maxBytes, remaining: &remaining)
            block.files += project.files
            block.diagnostics += refused + project.diagnostics
            block.projectCount = project.files.count
        }
        return block
    }

    private static func load(
        _ directory: String, names: [String]?, read: (String) -> String?, maxBytes: Int, remaining: inout Int
    ) -> MemoryBlock {
        let names = (names ?? []).filter { $0.hasSuffix(".md") && !$0.hasPrefix(".") }
        let ordered = names.filter { $0 == "MEMORY.md" } + names.filter { $0 != "MEMORY.md" }.sorted()
        var files: [ContextFile] = []
        var diagnostics: [ContextDiagnostic] = []
        for name in ordered {
            let path = Path.join(directory, name)
            guard let content = read(name) else { continue }
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
