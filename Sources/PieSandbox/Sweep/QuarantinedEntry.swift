import PieJSON

/// One entry a sandboxed command created or changed that git or another tool on the host would
/// read as configuration, and where pie put it (`ConfigurationSweep`). Typed, for the tool result
/// and the audit log's `quarantined` member.
public struct QuarantinedEntry: Sendable, Equatable {
    /// Why the entry is configuration.
    public enum Kind: String, Sendable, Equatable {
        /// A `.git` directory or `gitdir:` file: a repository git trusts.
        case gitEntry = "git_entry"
        /// A `HEAD` in a directory that had none: with `objects/` and `refs/` (or `commondir`),
        /// git discovers the directory as a repository and reads its `config`.
        case gitDirectoryShape = "git_directory_shape"
        /// An entry of an existing git directory outside what git writes to commit and fetch
        /// (`config`, `hooks/…`, `commondir`, `info/…`).
        case gitMetadata = "git_metadata"
        /// A protected name (`protected_paths`, e.g. `**/.envrc`) at any depth.
        case protectedName = "protected_name"
    }

    /// The absolute path the command left it at.
    public var path: String
    public var kind: Kind
    /// Where pie moved it, or nil when it could not be moved (the command's result says so).
    public var movedTo: String?

    public init(path: String, kind: Kind, movedTo: String?) {
        self.path = path
        self.kind = kind
        self.movedTo = movedTo
    }

    /// The sentence for the model and the audit log's warnings.
    public var message: String {
        let what =
            switch kind {
            case .gitEntry: "a '.git' entry, which makes a repository whose config and hooks git trusts"
            case .gitDirectoryShape:
                "a file named HEAD, which makes its directory a git directory whose config git on the host would read"
            case .gitMetadata: "git metadata that git reads as configuration, programs or pointers"
            case .protectedName: "a protected name, which runs code or changes settings outside the sandbox"
            }
        guard let movedTo else {
            return "the command created or changed '\(path)' (\(what)) and pie could not move it away: delete it "
                + "before running git or opening the directory"
        }
        return "the command created or changed '\(path)' (\(what)); pie moved it to '\(movedTo)' and reports the "
            + "command as failed"
    }

    /// The audit log's member, in a fixed key order (the line is hashed as written).
    var json: JSONValue {
        var object = JSONObject()
        object["path"] = .string(path)
        object["kind"] = .string(kind.rawValue)
        if let movedTo { object["moved_to"] = .string(movedTo) }
        return .object(object)
    }

    /// Reads the member back; nil when a field is missing or a kind unknown.
    init?(json value: JSONValue) {
        guard let path = value["path"]?.stringValue,
            let kind = value["kind"]?.stringValue.flatMap(Kind.init(rawValue:))
        else { return nil }
        self.init(path: path, kind: kind, movedTo: value["moved_to"]?.stringValue)
    }
}
