import Testing
@testable import PieAutomations

@Suite struct ListenAddressTests {
    @Test("HOST:PORT with IPv4, [IPv6] and localhost")
    func parses() throws {
        #expect(try ListenAddress(parsing: "127.0.0.1:8787") == .standard)
        #expect(try ListenAddress(parsing: "0.0.0.0:0") == ListenAddress(host: "0.0.0.0", port: 0))
        #expect(try ListenAddress(parsing: "[::1]:9000") == ListenAddress(host: "::1", port: 9000))
        #expect(try ListenAddress(parsing: "localhost:65535") == ListenAddress(host: "localhost", port: 65_535))
        #expect(ListenAddress(host: "::1", port: 80).description == "[::1]:80")
        #expect(ListenAddress.standard.description == "127.0.0.1:8787")
    }

    @Test("anything else names the text and the form", arguments: [
        "8787", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1", "256.0.0.1:80", "1.2.3:80",
        "example.com:80", "::1:80", "[::1]80", "[::1]:", "[zz]:80", "127.0.0.1:8o",
    ])
    func refuses(text: String) {
        #expect(throws: ListenAddressError(text: text)) { try ListenAddress(parsing: text) }
    }
}
