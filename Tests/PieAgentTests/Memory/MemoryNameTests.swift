import Testing

@testable import PieAgent

/// Memory names are an allowlist; what passes is a plain file name that means one file everywhere.
@Suite("memory names")
struct MemoryNameTests {
    @Test(
        "letters, digits, '_', '-' and '.', starting with a letter or digit; a trailing .md is dropped",
        arguments: [
            ("MEMORY", "MEMORY.md"), ("build-notes", "build-notes.md"), ("build-notes.md", "build-notes.md"),
            ("v1.2_release", "v1.2_release.md"), ("0", "0.md"), (String(repeating: "a", count: 64), String(repeating: "a", count: 64) + ".md"),
        ])
    func accepted(_ text: String, _ file: String) throws {
        #expect(try MemoryName(text).fileName == file)
    }

    @Test("each refusal says what is wrong")
    func messages() {
        #expect(throws: MemoryError("the memory name 'a/b' contains '/'; use only letters, digits, '_', '-' and '.' (no '/')")) {
            try MemoryName("a/b")
        }
        #expect(throws: MemoryError("the memory name '.x' must start with a letter or digit")) { try MemoryName(".x") }
        #expect(throws: MemoryError("the memory name is 65 characters long; the limit is 64")) {
            try MemoryName(String(repeating: "b", count: 65))
        }
        #expect(throws: MemoryError("the memory name 'caf\u{e9}' contains a non-ASCII character; use only letters, digits, '_', '-' and '.' (no '/')")) {
            try MemoryName("caf\u{e9}")
        }
        #expect(throws: MemoryError("a memory name must not be empty; use letters, digits, '_', '-' or '.', e.g. \"build-notes\"")) {
            try MemoryName(".md")
        }
    }
}
