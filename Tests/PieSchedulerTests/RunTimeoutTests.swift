import Testing

@testable import PieScheduler

/// The run's `timeout` counts working time only: time parked on an approval is not counted.
@Suite struct RunTimeoutTests {
    @Test func workPastTheLimitIsCancelledAndReportedAsTimedOut() async {
        let timeout = RunTimeout(limit: .milliseconds(50))
        let (finished, timedOut) = await timeout.run { () -> Bool in
            do {
                try await Task.sleep(for: .seconds(30))
                return true
            } catch {
                return false
            }
        }
        #expect(timedOut)
        #expect(!finished)
    }

    @Test func timeParkedOnAnApprovalDoesNotCount() async {
        // Parked from the start (as a run is while its approver waits), for twice the limit.
        let timeout = RunTimeout(limit: .seconds(2))
        timeout.pause()
        #expect(timeout.left() == nil)
        let (finished, timedOut) = await timeout.run { () -> Bool in
            do { try await Task.sleep(for: .seconds(4)) } catch { return false }
            timeout.resume()
            return true
        }
        #expect(finished)
        #expect(!timedOut)
    }

    @Test func theCallersCancellationReachesTheWorkAndIsNotATimeout() async {
        let timeout = RunTimeout(limit: .seconds(60))
        let task = Task {
            await timeout.run { () -> Bool in
                do {
                    try await Task.sleep(for: .seconds(30))
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
