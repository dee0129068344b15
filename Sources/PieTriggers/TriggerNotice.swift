import PieAutomations

/// A problem or state change of a trigger that fires nothing but should be logged. Each names
/// the automation (nil for the watcher as a whole), what happened and what to do.
public struct TriggerNotice: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The policy refused the probe's command; it does not run until the file or policy changes.
        case probeDenied(rule: String, reason: String)
        /// The probe could not run (no sandbox, the policy could not be built, bash_dry_run on).
        case probeNotRun(reason: String)
        /// The probe ran out of time; it counts as a failure.
        case probeTimedOut(milliseconds: Int)
        /// The file's directory does not exist yet; the nearest existing ancestor is watched and the
        /// directory is watched as soon as it appears.
        case waitingForDirectory(missing: String, watching: String)
        /// The directory that was missing exists now and is watched.
        case directoryAppeared(String)
        /// inotify refused a watch (permissions, the per-user watch limit).
        case watchFailed(directory: String, reason: String)
        /// The watcher thread met an error it cannot continue after; no file trigger fires until
        /// the service is started again.
        case watcherStopped(reason: String)
        /// The kernel's event queue overflowed; every watched file was compared with what was
        /// last seen and the differences fired.
        case rescanned
    }

    public var automation: AutomationID?
    public var kind: Kind
    public var instant: Instant

    public init(automation: AutomationID?, kind: Kind, instant: Instant) {
        (self.automation, self.kind, self.instant) = (automation, kind, instant)
    }

    /// `automation ID: what happened; what to do`.
    public var description: String {
        let subject = automation.map { "automation \($0): " } ?? "file triggers: "
        switch kind {
        case .probeDenied(let rule, let reason):
            return subject + "the command probe is denied by the policy (\(rule)): \(reason); "
                + "change trigger.command.run or the automation's policy (the probe stays off until then)"
        case .probeNotRun(let reason):
            return subject + "the command probe did not run: \(reason); fix this and the next probe runs"
        case .probeTimedOut(let milliseconds):
            return subject + "the command probe ran longer than \(milliseconds) ms and was killed (counted as a failure); "
                + "make the probe faster or its interval longer"
        case .waitingForDirectory(let missing, let watching):
            return subject + "the directory '\(missing)' does not exist yet; watching '\(watching)' until it appears"
        case .directoryAppeared(let directory):
            return subject + "the directory '\(directory)' exists now and is watched"
        case .watchFailed(let directory, let reason):
            return subject + "cannot watch '\(directory)': \(reason); "
                + "check its permissions, or raise fs.inotify.max_user_watches"
        case .watcherStopped(let reason):
            return subject + "the inotify watcher stopped: \(reason); no file trigger fires until serve restarts its triggers"
        case .rescanned:
            return subject + "the inotify queue overflowed and events were lost; every watched file was re-checked "
                + "and what changed was fired"
        }
    }
}
