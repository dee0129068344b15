import Testing
@testable import PieAutomations

@Suite("next times of configured triggers")
struct TriggerTimesTests {
    let from = FileSupport.now

    @Test("every counts from the start; at is one time while ahead")
    func everyAndAt() throws {
        let every = try TriggerTimes.next(.every(AutomationDuration(seconds: 900)), after: from, count: 3, zone: .utc)
        #expect(every.map { $0.secondsSinceEpoch - from.secondsSinceEpoch } == [900, 1_800, 2_700])
        let ahead = Instant(secondsSinceEpoch: from.secondsSinceEpoch + 10)
        #expect(try TriggerTimes.next(.at(ahead, text: "t"), after: from, count: 5, zone: .utc) == [ahead])
        #expect(try TriggerTimes.next(.at(ahead, text: "t"), after: ahead, count: 5, zone: .utc).isEmpty)
    }

    @Test("event triggers are not time-based")
    func eventTriggers() {
        #expect(throws: TriggerTimes.Failure.notTimeBased(kind: "file")) {
            try TriggerTimes.next(.file(path: "/x", on: .created), after: from, count: 1, zone: .utc)
        }
    }
}
