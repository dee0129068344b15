/// Where the listener binds: `--listen HOST:PORT`, an IP literal (IPv6 in brackets) or
/// `localhost`. The default is loopback: exposing the listener beyond this machine is a choice
/// the user makes by naming another address (or a reverse proxy).
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public static let standard = ListenAddress(host: "127.0.0.1", port: 8787)

    public init(host: String, port: Int) { (self.host, self.port) = (host, port) }

    /// Parses `127.0.0.1:8787`, `[::1]:8787`, `0.0.0.0:80`, `localhost:9000`.
    public init(parsing text: String) throws(ListenAddressError) {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                throw ListenAddressError(text: text)
            }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
            guard host.contains(":"), host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else {
                throw ListenAddressError(text: text)
            }
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw ListenAddressError(text: text) }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            guard host == "localhost" || Self.isIPv4(host) else { throw ListenAddressError(text: text) }
        }
        guard !portText.isEmpty, portText.count <= 5, portText.allSatisfy(\.isASCII), portText.allSatisfy(\.isNumber),
            let port = Int(portText), port <= 65_535
        else { throw ListenAddressError(text: text) }
        self.init(host: String(host), port: port)
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    private static func isIPv4(_ text: Substring) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4
            && parts.allSatisfy { part in
                !part.isEmpty && part.count <= 3 && part.allSatisfy { $0.isASCII && $0.isNumber } && Int(part).map { $0 <= 255 } == true
            }
    }
}

/// `--listen` was not an address the listener can bind.
public struct ListenAddressError: Error, Sendable, Equatable, CustomStringConvertible {
    public var text: String

    public var description: String {
        "--listen '\(text)' is not HOST:PORT: give an IPv4 address, [IPv6] or localhost, and a port 0-65535, e.g. 127.0.0.1:8787"
    }
}
