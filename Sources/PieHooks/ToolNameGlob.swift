import Glibc

/// A hook's `tool` filter: shell-style globs (`*`, `?`, `[…]`) matched by the C library's
/// `fnmatch`, so `mcp__gh__*` or `b?sh` mean what they do in a shell.
enum ToolNameGlob {
    static func matches(_ pattern: String, _ name: String) -> Bool {
        fnmatch(pattern, name, 0) == 0
    }
}
