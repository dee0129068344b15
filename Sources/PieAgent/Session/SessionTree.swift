/// The entries of a session as a tree linked by `parentId`, with the active leaf.
///
/// The leaf is not stored in the file: as in pi it is the last entry in file order, except that a
/// `leaf {targetId}` entry (c4pt0r/pie) moves it to `targetId` — that is how undo and `/tree`
/// navigation work without rewriting the log. Labels and the session name are folded in file order
/// too, the latest one winning.
public struct SessionTree: Sendable {
    public private(set) var entries: [SessionEntry] = []
    private var indexById: [String: Int] = [:]
    /// Per entry, the index of its parent: `-1` for a root, `-2` when the parent had not been seen
    /// when the entry was added (looked up by id on demand). Walking paths by index avoids hashing
    /// an id per step.
    private var parentIndices: [Int] = []
    /// The entry new entries attach to; nil before the first entry (or after moving to the root).
    public private(set) var leafId: String?
    /// Current label per target entry id.
    public private(set) var labels: [String: String] = [:]
    /// The latest `session_info` name.
    public private(set) var name: String?

    public init(entries: [SessionEntry] = []) {
        self.entries.reserveCapacity(entries.count)
        indexById.reserveCapacity(entries.count)
        parentIndices.reserveCapacity(entries.count)
        for entry in entries { append(entry) }
    }

    /// Adds an entry read from or written to the file, updating the leaf, labels and name.
    public mutating func append(_ entry: SessionEntry) {
        guard indexById[entry.id] == nil else { return }
        indexById[entry.id] = entries.count
        entries.append(entry)
        parentIndices.append(entry.parentId.map { indexById[$0] ?? -2 } ?? -1)
        switch entry.type {
        case .leaf:
            leafId = entry.targetId
            return
        case .label:
            if let target = entry.targetId { labels[target] = entry.label }
        case .sessionInfo:
            name = entry.sessionName
        default:
            break
        }
        leafId = entry.id
    }

    public func entry(id: String) -> SessionEntry? {
        indexById[id].map { entries[$0] }
    }

    public func contains(id: String) -> Bool { indexById[id] != nil }

    /// The entries from the root down to `id` (inclusive); empty for nil.
    ///
    /// A dangling `parentId` or a cycle ends the walk there and is reported, never fatal.
    public func path(to id: String?, filePath: String = "") -> (entries: [SessionEntry], diagnostics: [SessionDiagnostic]) {
        guard let id else { return ([], []) }
        guard var index = indexById[id] else {
            return ([], [.init(kind: .missingParent, path: filePath, detail: "the active leaf '\(id)' does not exist")])
        }
        var reversed: [SessionEntry] = []
        var diagnostics: [SessionDiagnostic] = []
        while true {
            guard reversed.count < entries.count else {
                diagnostics.append(
                    .init(kind: .cycle, path: filePath, detail: "parentId links loop at entry '\(entries[index].id)'; path cut there"))
                break
            }
            let entry = entries[index]
            reversed.append(entry)
            var parent = parentIndices[index]
            if parent == -2, let parentId = entry.parentId {
                guard let found = indexById[parentId] else {
                    diagnostics.append(
                        .init(
                            kind: .missingParent, path: filePath,
                            detail: "entry '\(entry.id)' names a missing parent '\(parentId)'; history before it is lost"))
                    break
                }
                parent = found
            }
            guard parent >= 0 else { break }
            index = parent
        }
        return (reversed.reversed(), diagnostics)
    }

    /// The root → leaf path the conversation continues from.
    public func activePath(filePath: String = "") -> (entries: [SessionEntry], diagnostics: [SessionDiagnostic]) {
        path(to: leafId, filePath: filePath)
    }

    /// Direct children of `id` (roots for nil) in file order; `leaf` moves are not tree nodes.
    public func children(of id: String?) -> [SessionEntry] {
        entries.filter { $0.parentId == id && $0.type != .leaf }
    }

    /// A place to move the leaf to: an entry, or before the first entry when `entryId` is nil.
    public struct LeafTarget: Sendable, Equatable {
        public var entryId: String?
    }

    /// Where undo moves the leaf: to the parent of the last user message on the active path, so the
    /// last turn (the prompt and everything after it) drops out of the context. Nil when there is
    /// no user message to undo.
    public func undoTarget() -> LeafTarget? {
        let path = activePath().entries
        guard let lastUser = path.last(where: { $0.role == "user" }) else { return nil }
        return LeafTarget(entryId: lastUser.parentId)
    }

    /// A fresh 8-hex-character entry id (pi's short ids) not yet used in this tree.
    public func newEntryId(using generator: inout some RandomNumberGenerator) -> String {
        while true {
            let value = UInt32.random(in: .min ... .max, using: &generator)
            let hex = String(value, radix: 16)
            let id = String(repeating: "0", count: 8 - hex.count) + hex
            if indexById[id] == nil { return id }
        }
    }
}
