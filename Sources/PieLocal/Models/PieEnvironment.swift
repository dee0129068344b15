#if canImport(Glibc)
import Glibc
#endif

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

extension PieEnvironment {
    /// The process environment. Read once at start-up and passed down, so nothing below the
    /// CLI reads globals.
    public static func process() -> PieEnvironment {
        var variables: [String: String] = [:]
        var cursor = environ
        while let entry = cursor.pointee {
            let pair = String(cString: entry)
            if let equals = pair.firstIndex(of: "=") {
                variables[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
            }
            cursor += 1
        }
        return PieEnvironment(variables)
    }
}
