/// Lexical path arithmetic for redirection targets and `cd`. Nothing touches the file
/// system: symlinks are the sandbox's business, and the write check receives the normalized
/// path the shell would open.
enum ShellPath {
    /// `path` made absolute against `directory`, with `.`, `..` and repeated slashes removed.
    static func resolve(_ path: String, against directory: String) -> String {
        let absolute = path.hasPrefix("/") ? path : directory + "/" + path
        var components: [Substring] = []
        for component in absolute.split(separator: "/", omittingEmptySubsequences: true) {
            switch component {
            case ".": continue
            case "..": _ = components.popLast()
            default: components.append(component)
            }
        }
        return "/" + components.joined(separator: "/")
    }
}
