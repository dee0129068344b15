import PieJSON
import PieSystem

/// Project files that start programs (`.pie/mcp.toml`, `.pie/hooks.toml`) take effect only after
/// the user has trusted their exact bytes: opening a cloned repository must not run its commands.
/// Trust is remembered in `<state directory>/trust.json` by absolute path and SHA-256 of the
/// content, so any change to the file has to be trusted again. Paths are compared by their bytes:
/// `String` equality takes canonically equivalent spellings (`café` composed and decomposed) as
/// one, while the kernel names two different directories, so trusting one must not trust the other.
public struct ProjectTrust: Sendable {
    /// Remembered files by their path's bytes.
    private typealias Entries = [[UInt8]: (file: String, sha256: String)]

    /// Whether `file`'s current content may take effect.
    public enum Status: Sendable, Equatable {
        case trusted
        /// Never trusted at this path.
        case untrusted
        /// Trusted once, but the content has changed since.
        case changed
    }

    /// `trust.json` in pie's state directory (`~/.pie`), written only by `trust` and `revoke`.
    public let storePath: String

    public init(stateDirectory: String) {
        storePath = stateDirectory + "/trust.json"
    }

    public func status(of file: String, contents: [UInt8]) throws(ProjectTrustError) -> Status {
        guard let remembered = try load()[Array(file.utf8)] else { return .untrusted }
        return PathBytes.equal(remembered.sha256, try Self.digest(contents)) ? .trusted : .changed
    }

    /// Remembers `contents` as trusted for `file` (an absolute path).
    public func trust(file: String, contents: [UInt8]) throws(ProjectTrustError) {
        var entries = try load()
        entries[Array(file.utf8)] = (file, try Self.digest(contents))
        try save(entries)
    }

    /// Forgets `file`; returns whether it was remembered.
    @discardableResult
    public func revoke(file: String) throws(ProjectTrustError) -> Bool {
        var entries = try load()
        guard entries.removeValue(forKey: Array(file.utf8)) != nil else { return false }
        try save(entries)
        return true
    }

    /// Every remembered file and its digest, sorted by path.
    public func entries() throws(ProjectTrustError) -> [(file: String, sha256: String)] {
        try load().sorted { $0.key.lexicographicallyPrecedes($1.key) }.map(\.value)
    }

    static func digest(_ contents: [UInt8]) throws(ProjectTrustError) -> String {
        do { return Hex.lowercase(try SHA256.hash(contents)) } catch {
            throw ProjectTrustError(path: "", problem: "cannot hash the file: \(error)")
        }
    }

    private func load() throws(ProjectTrustError) -> Entries {
        let bytes: [UInt8]?
        do { bytes = try FileIO.read(storePath, limit: 4 << 20) } catch {
            throw ProjectTrustError(path: storePath, problem: "\(error)")
        }
        guard let bytes else { return [:] }
        let document: JSONValue
        do { document = try JSONParser.parse(bytes) } catch {
            throw ProjectTrustError(path: storePath, problem: "not valid JSON (\(error)); fix or remove it, then trust the files again")
        }
        guard document["version"]?.intValue == 1, let files = document["files"]?.objectValue else {
            throw ProjectTrustError(path: storePath, problem: "expected {\"version\": 1, \"files\": {path: sha256}}; fix or remove it, then trust the files again")
        }
        var entries: Entries = [:]
        for (file, value) in files {
            guard let digest = value.stringValue else {
                throw ProjectTrustError(path: storePath, problem: "the entry for \(file) is not a SHA-256 string")
            }
            entries[Array(file.utf8)] = (file, digest)
        }
        return entries
    }

    private func save(_ entries: Entries) throws(ProjectTrustError) {
        let files = JSONObject(
            entries.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map { ($0.value.file, JSONValue.string($0.value.sha256)) })
        let document = JSONValue.object(JSONObject([("version", .integer(1)), ("files", .object(files))]))
        do {
            if let directory = PathBytes.parent(storePath) { try FileIO.makeDirectories(directory) }
            try FileIO.writeAtomically(JSONWriter.bytes(document, pretty: true) + [0x0A], to: storePath, mode: 0o600)
        } catch {
            throw ProjectTrustError(path: storePath, problem: "\(error)")
        }
    }
}

/// Reading or writing `trust.json` failed; names the file and what to do.
public struct ProjectTrustError: Error, Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let problem: String

    public var description: String { path.isEmpty ? problem : "\(path): \(problem)" }
}
