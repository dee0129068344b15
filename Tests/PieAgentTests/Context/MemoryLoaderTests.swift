import Testing

@testable import PieAgent

@Suite struct MemoryLoaderTests {
    @Test func memoryIndexComesFirstThenFilesByName() throws {
        let dir = try TemporaryDirectory()
        try dir.write("memory/zeta.md", "z facts")
        try dir.write("memory/MEMORY.md", "index")
        try dir.write("memory/alpha.md", "a facts\n")
        try dir.write("memory/notes.txt", "not markdown")
        let block = MemoryLoader.load(directory: dir.file("memory"), fileSystem: LocalContextFileSystem())
        #expect(block.promptText == "<memory>\n## MEMORY.md\n\nindex\n\n## alpha.md\n\na facts\n\n## zeta.md\n\nz facts\n</memory>")
    }

    @Test func oversizedMemoryIsTruncatedAndReported() throws {
        let dir = try TemporaryDirectory()
        try dir.write("memory/a.md", String(repeating: "x", count: 100))
        try dir.write("memory/b.md", "dropped")
        let block = MemoryLoader.load(directory: dir.file("memory"), fileSystem: LocalContextFileSystem(), maxBytes: 40)
        #expect(block.files.map { Path.lastComponent(of: $0.path) } == ["a.md"])
        #expect(block.files.first?.content.hasSuffix("[… memory truncated]") == true)
        #expect(block.diagnostics.count == 2)
    }

    @Test func missingDirectoryMeansNoMemory() {
        #expect(MemoryLoader.load(directory: "/nonexistent/pie/memory", fileSystem: LocalContextFileSystem()).promptText == nil)
    }
}
