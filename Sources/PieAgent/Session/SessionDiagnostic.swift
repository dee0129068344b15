import PieSystem

/// Something wrong but survivable found while loading or writing a session; the caller renders it.
///
/// Loading never fails on a damaged line: what can be read is returned, and each problem is reported
/// here so the user is told (nothing is dropped silently).
public struct SessionDiagnostic: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// The last line has no newline and is not valid JSON: a write cut short by a crash. It is
        /// ignored on load and cut off, under the lock, by the next append.
        case tornTail
        /// The last line is valid but has no newline; the next append adds one before writing.
        case missingFinalNewline
        /// A complete line in the file is not valid JSON.
        case corruptLine
        /// A valid JSON line that is not an entry (no `id` or `type`).
        case invalidEntry
        /// A second entry reuses an id; the first one is kept.
        case duplicateId
        /// An entry's `parentId` names no entry; the active path stops there.
        case missingParent
        /// Following `parentId` links loops; the active path stops at the repeat.
        case cycle
        /// A file under `sessions/` that cannot be read or has no session header; left out of listings.
        case unreadableFile
        /// The SQLite index could not be updated or read; the JSONL file is unaffected.
        case indexFailure
        /// A message or compaction of a live run could not be encoded as an entry and was not
        /// written; the file stays a consistent tree without it.
        case unencodableEntry
        /// Appending to the session file failed; nothing of that entry was written.
        case writeFailure
    }

    public var kind: Kind
    public var path: String
    /// 1-based line number in the file, where one applies.
    public var line: Int?
    public var detail: String

    public init(kind: Kind, path: String, line: Int? = nil, detail: String) {
        self.kind = kind
        self.path = path
        self.line = line
        self.detail = detail
    }

    public var description: String {
        let location = line.map { "\(path):\($0)" } ?? path
        return "\(location): \(detail)"
    }
}
