import PieSandbox
import PieSystem

/// pie's state directory (`~/.pie`, or `$PIE_DIR`) and the paths inside it the session and
/// context layers use.
public struct PieDirectory: Sendable, Equatable {
    public let root: String

    public init(root: String) {
        self.root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
    }

    /// `$PIE_DIR` when set and non-empty, else `$HOME/.pie`; nil when neither is known.
    public static func resolve(environment: [String: String]) -> PieDirectory? {
        if let override = environment["PIE_DIR"], !override.isEmpty { return PieDirectory(root: override) }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return PieDirectory(root: (home.hasSuffix("/") ? String(home.dropLast()) : home) + "/.pie")
    }

    public var sessionsRoot: String { root + "/sessions" }
    public var indexPath: String { root + "/index.sqlite" }
    public var skillsDirectory: String { root + "/skills" }
    public var memoryDirectory: String { root + "/memory" }
    /// User automations: `<id>.toml` files (docs/automations.md).
    public var automationsDirectory: String { root + "/automations" }

    /// Where `task` sub-agents' transcripts go: apart from `sessions/`, so no listing, search or
    /// `-c` offers them as conversations; the parent's `/tree` links to them.
    public var subAgentSessionsRoot: String { root + "/subagents" }

    /// `subagents/<cwd-hash>`: the sub-agent transcripts of one project.
    public func subAgentSessionsDirectory(cwd: String) throws(SessionError) -> String {
        subAgentSessionsRoot + "/" + (try Self.cwdHash(cwd))
    }

    /// `sessions/<cwd-hash>`: one directory per project.
    public func sessionsDirectory(cwd: String) throws(SessionError) -> String {
        sessionsRoot + "/" + (try Self.cwdHash(cwd))
    }

    /// The first 6 bytes of SHA-256(cwd) as 12 lowercase hex characters, as c4pt0r/pie names
    /// project directories: fixed length, no path characters, stable across runs.
    public static func cwdHash(_ cwd: String) throws(SessionError) -> String {
        do {
            return String(try SHA256.hex(cwd).prefix(12))
        } catch {
            throw .digestUnavailable(error)
        }
    }
}
