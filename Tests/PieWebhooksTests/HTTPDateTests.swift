import Testing

@testable import PieWebhooks

@Suite("HTTP Date header")
struct HTTPDateTests {
    @Test("IMF-fixdate as RFC 9110 spells its example, and around leap days and the epoch")
    func formats() {
        #expect(HTTPDate.format(secondsSinceEpoch: 784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDate.format(secondsSinceEpoch: 0) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(HTTPDate.format(secondsSinceEpoch: 1_709_164_800) == "Thu, 29 Feb 2024 00:00:00 GMT")
    }
}
