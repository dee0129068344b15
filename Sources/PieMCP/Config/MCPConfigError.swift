/// A problem in `mcp.toml`, trust or a secret reference: names the file and line, the server,
/// the field, and what to do.
public struct MCPConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    init(file: String, line: Int, server: String?, field: String?, _ problem: String) {
        var text = "\(file):\(line): "
        if let server { text += "server '\(server)': " }
        if let field { text += "\(field): " }
        message = text + problem
    }

    public var description: String { message }
}
