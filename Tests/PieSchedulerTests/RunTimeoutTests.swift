import Testing

@testable import PieScheduler

/// The run's `timeout` counts working time only: time parked on an approval is not counted. Time
/// is a `ManualWorkClock` moved by the tests; the work itself waits on it or on cancellation.
@Suite struct RunTimeoutTests {
    @Test func workPastTheLimitIsCancelledAndReportedAsTimedOut() async {
        let time = ManualWorkClock()
        let timeout = RunTimeout(limit: .milliseconds(50), clock: time.clock)
        let (finished, timedOut) = await timeout.run { () -> Bool in
            time.advance(by: .milliseconds(60))
            do {
                try await time.clock.sleep(.seconds(30))
                return true
            } catch {
                return false
            }
        }
        #expect(timedOut)
        #expect(!finished)
    }

    @Test func workWithinTheLimitFinishesAndIsNotATimeout() async {
        let time = ManualWorkClock()
        let timeout = RunTimeout(limit: .seconds(2), clock: time.clock)
        let (finished, timedOut) = await timeout.run { () -> Bool in
            time.advance(by: .milliseconds(1_900))
            return true
        }
        #expect(finished)
        #expect(!timedOut)
    }

    @Test func timeParkedOnAnApprovalDoesNotCount() async {
        // Parked from the start (as a run is while its approver waits), for twice the limit.
        let time = ManualWorkClock()
        let timeout = RunTimeout(limit: .seconds(2), clock: time.clock)
        timeout.pause()
        #expect(timeout.left() == nil)
        let (finished, timedOut) = await timeout.run { () -> Bool in
            time.advance(by: .seconds(4))
            timeout.resume()
            return timeout.left() == .seconds(2)
        }
        #expect(finished)
        #expect(!timedOut)
    }

    @Test func theCallersCancellationReachesTheWorkAndIsNotATimeout() async {
        let time = ManualWorkClock()
        let timeout = RunTimeout(limit: .seconds(60), clock: time.clock)
        let task = Task {
            await timeout.run { () -> Bool in
                do {
                    try await time.clock.sleep(.seconds(30))
                    return true
                } catch {
                    return false
                }
            }
        }
        task.cancel()
        let (finished, timedOut) = await task.value
        #expect(!finished && !timedOut)
    }
}
