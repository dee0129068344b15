/// Polls `condition` until it holds or `timeout` passes, so tests wait for a state instead of
/// guessing a sleep that is too short on a loaded machine.
func eventually(timeout: Duration = .seconds(60), _ condition: () -> Bool) async -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return condition()
}
