/// A user-supplied sandbox launcher (`--os-sandbox-command`), e.g.
/// `firejail --quiet --private={cwd} -- {shell} -c {command}`.
///
/// The template is split on spaces into argv words once; `{cwd}`, `{shell}` and `{command}` are
/// substituted inside words afterwards, so a command's own spaces and quotes never re-split or
/// reach another shell parser.
public struct LauncherTemplate: Sendable, Equatable {
    public var template: String

    public init(_ template: String) {
        self.template = template
    }

    public func arguments(cwd: String, shell: String, command: String) -> [String] {
        template.split(separator: " ", omittingEmptySubsequences: true).map { word in
            var substituted = ""
            var rest = Substring(word)
            while let open = rest.firstIndex(of: "{") {
                substituted += rest[..<open]
                let tail = rest[open...]
                if tail.hasPrefix("{cwd}") {
                    substituted += cwd
                    rest = tail.dropFirst(5)
                } else if tail.hasPrefix("{shell}") {
                    substituted += shell
                    rest = tail.dropFirst(7)
                } else if tail.hasPrefix("{command}") {
                    substituted += command
                    rest = tail.dropFirst(9)
                } else {
                    substituted += "{"
                    rest = tail.dropFirst()
                }
            }
            return substituted + rest
        }
    }
}
