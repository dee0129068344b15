/// A memory's name: the file `NAME.md` in a memory directory.
///
/// An allowlist, not a blocklist: ASCII letters, digits, `_`, `-` and `.`, starting with a letter
/// or digit, at most `maxLength` characters. So a name has no path separator, no leading dot (no
/// hidden or temporary file, no `..`), no control or look-alike characters, and means the same
/// file on every file system. A trailing `.md` is accepted and dropped.
public struct MemoryName: Sendable, Hashable, Comparable, CustomStringConvertible {
    public static let maxLength = 64

    public let value: String

    public init(_ text: String) throws(MemoryError) {
        let stem = text.hasSuffix(".md") ? String(text.dropLast(3)) : text
        guard !stem.isEmpty else {
            throw MemoryError("a memory name must not be empty; use letters, digits, '_', '-' or '.', e.g. \"build-notes\"")
        }
        guard stem.utf8.count <= Self.maxLength else {
            throw MemoryError("the memory name is \(stem.utf8.count) characters long; the limit is \(Self.maxLength)")
        }
        let bytes = Array(stem.utf8)
        guard Self.isAlphanumeric(bytes[0]) else {
            throw MemoryError("the memory name '\(text)' must start with a letter or digit")
        }
        if let bad = bytes.first(where: { !Self.isAlphanumeric($0) && !"_-.".utf8.contains($0) }) {
            let shown = bad < 0x80 ? "'\(Character(Unicode.Scalar(bad)))'" : "a non-ASCII character"
            throw MemoryError(
                "the memory name '\(text)' contains \(shown); use only letters, digits, '_', '-' and '.' (no '/')")
        }
        value = stem
    }

    /// The file holding the memory.
    public var fileName: String { value + ".md" }

    public var description: String { value }

    public static func < (lhs: MemoryName, rhs: MemoryName) -> Bool { lhs.value < rhs.value }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
