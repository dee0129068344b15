/// Lexical path arithmetic for redirection targets and `cd`. Nothing touches the file
/// system: symlinks are the sandbox's business, and the write check receives the normalized
/// path the shell would open. The arithmetic is `PathNormalizer`'s, on bytes like the kernel's.
enum ShellPath {
    /// `path` made absolute against `directory`, with `.`, `..` and repeated slashes removed.
    static func resolve(_ path: String, against directory: String) -> String {
        PathNormalizer.join(directory, path)
    }
}
