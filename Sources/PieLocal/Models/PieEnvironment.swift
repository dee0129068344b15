/// The environment pie reads, passed explicitly so tests never touch the process environment.
public struct PieEnvironment: Sendable, Hashable {
    public var variables: [String: String]

    public init(_ variables: [String: String]) {
        self.variables = variables
    }

    /// A non-empty, trimmed value.
    public subscript(name: String) -> String? {
        guard let value = variables[name]?.trimmingSpaces(), !value.isEmpty else { return nil }
        return value
    }

    /// `PIE_DIR`, else `$HOME/.pie`.
    public var stateDirectory: String? {
        if let directory = self["PIE_DIR"] { return directory }
        return self["HOME"].map { $0 + "/.pie" }
    }
}
