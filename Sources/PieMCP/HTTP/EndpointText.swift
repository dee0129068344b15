/// The endpoint as messages show it.
enum EndpointText {
    /// `scheme://host[:port]/path`: user information, the query and the fragment are dropped,
    /// because endpoints such as `https://user:pass@host/mcp?key=…` carry credentials there.
    static func display(_ url: String) -> String {
        var rest = Substring(url)
        var scheme: Substring = ""
        if let separator = rest.firstRange(of: "://") {
            scheme = rest[..<separator.upperBound]
            rest = rest[separator.upperBound...]
        }
        if let end = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<end] }
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        return String(scheme) + authority + rest[authorityEnd...]
    }
}
