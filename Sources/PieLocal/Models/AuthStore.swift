import PieJSON
import PieSystem

/// `auth.json` in the state directory: API keys saved by `pie login`, in pi's shape
/// `{"provider": {"type": "api_key", "key": "…"}}`. Written with mode 0600 through a temporary
/// file and a rename, so the keys are never world-readable nor half-written.
public struct AuthStore: Sendable {
    public let path: String

    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    public init(path: String) {
        self.path = path
    }

    /// The store in `PIE_DIR` or `~/.pie`, or `nil` when neither is known.
    public init?(environment: PieEnvironment) {
        guard let directory = environment.stateDirectory else { return nil }
        self.path = directory + "/auth.json"
    }

    /// Saved keys by provider; empty when the file does not exist.
    public func keys() throws(Failure) -> [String: String] {
        let bytes: [UInt8]?
        do {
            bytes = try FileIO.read(path)
        } catch {
            throw Failure(description: error.description)
        }
        guard let bytes else { return [:] }
        guard let root = try? JSONParser.parse(bytes), let table = root.objectValue else {
            throw Failure(description: "\(path) is not a JSON object; fix or delete it and run pie login again")
        }
        var keys: [String: String] = [:]
        for (provider, entry) in table {
            if let key = entry["key"]?.stringValue ?? entry.stringValue { keys[provider] = key }
        }
        return keys
    }

    public func setKey(_ key: String, for provider: String) throws(Failure) {
        var keys = try keys()
        keys[provider] = key
        try save(keys)
    }

    /// Returns whether a key was removed.
    @discardableResult
    public func removeKey(for provider: String) throws(Failure) -> Bool {
        var keys = try keys()
        guard keys.removeValue(forKey: provider) != nil else { return false }
        try save(keys)
        return true
    }

    private func save(_ keys: [String: String]) throws(Failure) {
        let entries = keys.sorted { $0.key < $1.key }.map { ($0.key, ["type": "api_key", "key": .string($0.value)] as JSONValue) }
        let document = JSONValue.object(JSONObject(entries))
        do {
            if let slash = path.lastIndex(of: "/"), slash > path.startIndex {
                try FileIO.makeDirectories(String(path[..<slash]))
            }
            try FileIO.writeAtomically(JSONWriter.bytes(document, keys: .sorted) + [0x0A], to: path, mode: 0o600)
        } catch {
            throw Failure(description: error.description)
        }
    }
}
