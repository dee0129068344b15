/// Where triggers deliver: the scheduler (or `serve`) implements it to queue runs and log
/// notices. Both methods are called from the watcher's thread or a probe's task, possibly
/// concurrently, so an implementation must be thread-safe and must return quickly (queue the
/// work; do not run an agent inside `fire`).
///
/// A protocol rather than an `AsyncStream`: a stream buffers without bound when its reader
/// stalls, while a sink lets the scheduler decide (store the event durably, coalesce, drop).
public protocol TriggerSink: Sendable {
    /// A trigger fired; the scheduler queues a run of `event.automation`.
    func fire(_ event: TriggerEvent)
    /// Something an operator should see (a denied probe, a directory that does not exist yet, a
    /// re-scan after lost events). Reported once per condition, never once per check.
    func report(_ notice: TriggerNotice)
}
