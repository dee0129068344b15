import Testing
@testable import PieAutomations

@Suite struct InstantTests {
    @Test("instants order by their seconds")
    func ordering() {
        #expect(Instant(secondsSinceEpoch: -1) < Instant(secondsSinceEpoch: 0))
        #expect(Instant(secondsSinceEpoch: 5) == Instant(secondsSinceEpoch: 5))
    }
}
