/// Where a model descriptor came from, shown by `pie models`.
public enum ModelSource: Sendable, Hashable, CustomStringConvertible {
    case builtin
    case file(path: String)
    /// Registered by a command-line flag such as `--base-url`.
    case flag(String)
    /// Registered by an environment variable such as `DS4_BASE_URL`.
    case environment(String)

    public var description: String {
        switch self {
        case .builtin: return "built-in"
        case .file(let path): return path
        case .flag(let name): return "flag \(name)"
        case .environment(let name): return "env \(name)"
        }
    }
}
