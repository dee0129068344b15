import PiePolicy
import PieSandbox
import PieSystem

/// The memory directories and the rules for changing them: names from `MemoryName`, a size cap
/// per memory, a count cap per directory, secrets redacted before anything is written, and every
/// file reached through `ConfinedDirectory` (no symlink followed, nothing outside the directory,
/// atomic 0600 writes). The memory tool and `/memory` both go through it.
public struct MemoryStore: Sendable {
    /// Largest content one memory may hold, in bytes (after redaction). Memories share the 32 KiB
    /// the system prompt gives them (`MemoryLoader.defaultMaxBytes`).
    public static let maxContentBytes = 16_384
    /// Most memories one directory may hold.
    public static let maxCount = 64
    /// Largest file `list` reads for its first line; a bigger one (written by hand) is listed by size.
    static let maxListedBytes = 1_048_576

    public let user: ConfinedDirectory
    public let project: ConfinedDirectory
    public let redactor: SecretRedactor

    public init(pieDirectory: PieDirectory, projectRoot: String, redactor: SecretRedactor) {
        user = ConfinedDirectory(base: pieDirectory.root, relative: "memory")
        project = ConfinedDirectory(base: projectRoot, relative: ".pie/memory")
        self.redactor = redactor
    }

    public func directory(_ scope: MemoryScope) -> ConfinedDirectory {
        scope == .user ? user : project
    }

    /// One memory as `list` shows it.
    public struct Listed: Sendable, Equatable {
        public var scope: MemoryScope
        public var name: String
        public var size: Int
        /// The first non-empty line, cut to 80 characters, or why the file could not be read.
        public var firstLine: String
    }

    /// What `save` did.
    public struct Saved: Sendable, Equatable {
        public var path: String
        public var bytes: Int
        /// How many secrets (known values, `Bearer` tokens, credential-named JSON members) were masked.
        public var redactions: Int
        /// True when a memory of that name was replaced.
        public var replaced: Bool
    }

    /// The memories of `scope`, or of both (user first), sorted by name.
    public func list(scope: MemoryScope? = nil) throws(MemoryError) -> [Listed] {
        var result: [Listed] = []
        for each in MemoryScope.allCases where scope == nil || scope == each {
            let directory = directory(each)
            for entry in try entries(directory).sorted(by: { $0.name < $1.name }) {
                let name = String(entry.name.dropLast(3))
                let line: String
                do {
                    let bytes = try directory.read(entry.name, maxBytes: Self.maxListedBytes)
                    line = Self.firstLine(of: String(decoding: bytes, as: UTF8.self))
                } catch {
                    line = "(unreadable: \(error.message))"
                }
                result.append(Listed(scope: each, name: name, size: entry.size, firstLine: line))
            }
        }
        return result
    }

    /// Writes `content` (redacted) as memory `name`, replacing one of that name.
    public func save(_ name: MemoryName, content: String, scope: MemoryScope) throws(MemoryError) -> Saved {
        guard !content.allSatisfy(\.isWhitespace) else {
            throw MemoryError("the content is empty; to remove the memory '\(name)' use action \"delete\"")
        }
        guard redactor.redact(name.value) == name.value else {
            throw MemoryError("the memory name holds a secret value; choose a name that describes the note instead")
        }
        let redacted = redactor.redactCredentials(content)
        let redactions = Self.count(SecretRedactor.marker, in: redacted) - Self.count(SecretRedactor.marker, in: content)
        var bytes = Array(redacted.utf8)
        if bytes.last != UInt8(ascii: "\n") { bytes.append(UInt8(ascii: "\n")) }
        guard bytes.count <= Self.maxContentBytes else {
            throw MemoryError(
                "the content is \(bytes.count) bytes; a memory holds at most \(Self.maxContentBytes): keep the lesson, "
                    + "not the transcript, or split it into several memories")
        }
        let directory = directory(scope)
        let existing = try entries(directory)
        let replaced = existing.contains { $0.name == name.fileName }
        guard replaced || existing.count < Self.maxCount else {
            throw MemoryError(
                "the \(scope.rawValue) memory directory '\(directory.path)' already holds \(existing.count) memories, the "
                    + "limit; delete one (action \"delete\") or save into an existing name")
        }
        do {
            try directory.write(name.fileName, contents: bytes)
        } catch {
            throw MemoryError("cannot save the memory '\(name)': \(error.message)")
        }
        return Saved(
            path: PathNormalizer.join(directory.path, name.fileName), bytes: bytes.count, redactions: max(redactions, 0),
            replaced: replaced)
    }

    /// Removes memory `name`; a missing one is an error naming what exists.
    public func delete(_ name: MemoryName, scope: MemoryScope) throws(MemoryError) -> String {
        let directory = directory(scope)
        let existing = try entries(directory)
        guard existing.contains(where: { $0.name == name.fileName }) else {
            let names = existing.map { String($0.name.dropLast(3)) }.sorted()
            let known = names.isEmpty ? "it holds none" : "it holds: " + names.joined(separator: ", ")
            throw MemoryError("there is no \(scope.rawValue) memory named '\(name)' in '\(directory.path)'; \(known)")
        }
        do {
            try directory.remove(name.fileName)
        } catch {
            throw MemoryError("cannot delete the memory '\(name)': \(error.message)")
        }
        return PathNormalizer.join(directory.path, name.fileName)
    }

    /// The directory's `*.md` regular files (not hidden: a leading dot is a temporary file).
    private func entries(_ directory: ConfinedDirectory) throws(MemoryError) -> [ConfinedDirectory.Entry] {
        do {
            return try directory.entries().filter { $0.name.hasSuffix(".md") && !$0.name.hasPrefix(".") && $0.name.count > 3 }
        } catch {
            throw MemoryError("cannot read the memory directory '\(directory.path)': \(error.message)")
        }
    }

    static func firstLine(of text: String) -> String {
        let line = text.split(separator: "\n", omittingEmptySubsequences: true)
            .first { !$0.allSatisfy(\.isWhitespace) }.map(String.init) ?? ""
        return line.count > 80 ? String(line.prefix(79)) + "…" : line
    }

    private static func count(_ needle: String, in text: String) -> Int {
        text.ranges(of: needle).count
    }
}
