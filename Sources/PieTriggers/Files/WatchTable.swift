import Glibc
import PieAutomations

/// The file watcher's state, owned by its one thread: each target's last known state, the
/// directory each is watched from, and the inotify watches. It decides what fires.
///
/// A file is watched through its parent directory, since the file may not exist yet. When the
/// parent does not exist either, its nearest existing ancestor is watched (the notice says so),
/// and when the missing directories appear the watch moves down to the parent and the file is
/// checked at once (it may have been created in the moment before the watch). A watch the kernel
/// drops (IN_IGNORED: the directory was deleted or its file system unmounted) or whose directory
/// is renamed away (IN_MOVE_SELF) is re-established by path the same way.
struct WatchTable {
    private let inotify: Int32
    private let clock: any TriggerClock
    private let sink: any TriggerSink

    private(set) var states: [FileTarget: FileState] = [:]
    /// Where each target is watched from (its parent, or an ancestor while the parent is missing).
    private(set) var placement: [FileTarget: String] = [:]
    private var watches: [Int32: Set<String>] = [:]
    private var directories: [String: (watch: Int32, mask: UInt32)] = [:]
    /// Watches that failed, so each failure is reported once until it succeeds.
    private var failed: [String: String] = [:]
    /// The targets watched from their parent, by path: what an entry event in a parent concerns.
    private var byPath: [String: [FileTarget]] = [:]
    /// For each target watched from an ancestor, the path of the first missing directory below
    /// it: an entry event on one of these paths means the watches must move.
    private var awaited: Set<String> = []

    init(inotify: Int32, clock: any TriggerClock, sink: any TriggerSink) {
        (self.inotify, self.clock, self.sink) = (inotify, clock, sink)
    }

    /// The set of watched files becomes `targets`: kept targets keep their state, new ones are
    /// watched and then looked at once (a baseline: nothing fires for how things are now).
    mutating func replace(_ targets: Set<FileTarget>) {
        for target in states.keys where !targets.contains(target) {
            states[target] = nil
            placement[target] = nil
        }
        // Before the first re-plan: an event between here and there must not reach a removed target.
        index()
        reconcile(newTargets: targets.subtracting(states.keys))
    }

    /// Handles one read's events, then re-plans the watches when a directory came or went.
    mutating func handle(_ events: [InotifyEvent]) {
        var replan = false
        var overflowed = false
        for event in events {
            if event.mask & InotifyMask.overflow != 0 {
                overflowed = true
                continue
            }
            // A watch removed earlier may still have events queued: they concern nothing now.
            guard let watched = watches[event.watch] else { continue }
            if event.mask & (InotifyMask.ignored | InotifyMask.itself) != 0 {
                // A renamed directory keeps its watch (it follows the inode): drop it, watch the path.
                if event.mask & InotifyMask.moveSelf != 0 { inotify_rm_watch(inotify, event.watch) }
                lose(event.watch)
                replan = true
                continue
            }
            guard !event.name.isEmpty else { continue }
            for directory in watched {
                let path = Self.join(directory, event.name)
                for target in byPath[path] ?? [] where placement[target] == directory {
                    apply(event.mask, to: target)
                }
                if event.mask & InotifyMask.entries != 0, awaited.contains(path) { replan = true }
            }
        }
        if overflowed {
            sink.report(TriggerNotice(automation: nil, kind: .rescanned, instant: clock.now()))
            reconcile(newTargets: [])
            rescan(Set(states.keys))
        } else if replan {
            reconcile(newTargets: [])
        }
    }

    /// Removes every watch (the descriptor is about to be closed).
    mutating func removeAll() {
        for (watch, _) in watches { inotify_rm_watch(inotify, watch) }
        (watches, directories, states, placement, byPath, awaited) = ([:], [:], [:], [:], [:], [])
    }

    /// What one live event on a target's own name means, given what was known before it.
    private mutating func apply(_ mask: UInt32, to target: FileTarget) {
        let before = states[target] ?? .absent
        var change: AutomationTrigger.FileEvent?
        var after = before
        if mask & InotifyMask.create != 0 {
            if !before.exists { change = .created }
            after = Self.present(target.path)
        } else if mask & (InotifyMask.movedTo | InotifyMask.closeWrite) != 0 {
            // Renamed into place over an existing file, or written: its content changed.
            change = before.exists ? .modified : .created
            after = Self.present(target.path)
        } else if mask & (InotifyMask.delete | InotifyMask.movedFrom) != 0 {
            if before.exists { change = .deleted }
            after = .absent
        }
        states[target] = after
        if let change, change == target.on { fire(target, change) }
    }

    /// A name an event says exists: its stamp, or an unknown stamp when it is already gone again
    /// (the event that removed it is still queued and will say so).
    private static func present(_ path: String) -> FileState {
        let state = FileState.current(path)
        return state.exists ? state : .present(nil)
    }

    /// Compares each target with the disk and fires what changed.
    private mutating func rescan(_ targets: Set<FileTarget>) {
        for target in targets {
            let now = FileState.current(target.path)
            let before = states[target] ?? .absent
            states[target] = now
            if let change = FileState.change(from: before, to: now), change == target.on { fire(target, change) }
        }
    }

    private func fire(_ target: FileTarget, _ change: AutomationTrigger.FileEvent) {
        sink.fire(TriggerEvent(automation: target.automation, kind: .file(change: change, path: target.path), instant: clock.now()))
    }

    /// The directory behind `watch` left its path (deleted, renamed away, unmounted): whatever was
    /// in it is no longer at the watched paths, so a file last known present there is deleted
    /// (a deletion inside it was normally reported already, and then this finds it absent).
    private mutating func lose(_ watch: Int32) {
        for directory in watches[watch] ?? [] where directories[directory]?.watch == watch {
            directories[directory] = nil
            for target in states.keys where placement[target] == directory && target.parent == directory {
                if states[target]?.exists == true, target.on == .deleted { fire(target, .deleted) }
                states[target] = .absent
            }
        }
        watches[watch] = nil
    }

    /// Watches, for every target, its parent or the nearest existing ancestor; drops watches no
    /// target needs; takes a baseline of `newTargets` and re-checks every target whose watched
    /// directory changed (events in the directory it now watches may have been missed).
    private mutating func reconcile(newTargets: Set<FileTarget>) {
        let targets = Set(states.keys).union(newTargets)
        // A directory can vanish between the check and inotify_add_watch; planning again then
        // finds its ancestor. Bounded, as a directory could be created and removed forever.
        var watchedAnew: Set<String> = []
        for _ in 0..<8 {
            let (complete, added) = establish(targets)
            watchedAnew.formUnion(added)
            if complete { break }
        }
        var moved: Set<FileTarget> = []
        for target in targets {
            let now = Self.nearestDirectory(target.parent)
            let before = placement[target]
            placement[target] = now
            // A directory watched afresh (a new one at the same path) may have changed unseen.
            if before == now, watchedAnew.contains(now), !newTargets.contains(target) { moved.insert(target) }
            guard before != now else { continue }
            if now != target.parent {
                report(target, .waitingForDirectory(missing: target.parent, watching: now))
            } else if before != nil {
                report(target, .directoryAppeared(target.parent))
            }
            if !newTargets.contains(target) { moved.insert(target) }
        }
        for target in newTargets { states[target] = FileState.current(target.path) }
        index()
        rescan(moved)
    }

    /// Rebuilds `byPath` and `awaited` from the placements.
    private mutating func index() {
        byPath = [:]
        awaited = []
        for (target, directory) in placement {
            if directory == target.parent {
                byPath[target.path, default: []].append(target)
                continue
            }
            let below = target.parent.dropFirst(directory == "/" ? 1 : directory.count + 1)
            if let component = below.split(separator: "/").first { awaited.insert(Self.join(directory, String(component))) }
        }
    }

    static func join(_ directory: String, _ name: String) -> String {
        directory == "/" ? "/" + name : directory + "/" + name
    }

    /// One attempt to make the watches match `targets`: whether it completed (not when a
    /// directory vanished meanwhile) and the directories that got a new watch.
    private mutating func establish(_ targets: Set<FileTarget>) -> (complete: Bool, added: Set<String>) {
        var wanted: [String: UInt32] = [:]
        for target in targets {
            let directory = Self.nearestDirectory(target.parent)
            let mask = directory == target.parent ? InotifyMask.parent(modified: target.on == .modified) : InotifyMask.ancestor
            wanted[directory, default: 0] |= mask
        }
        for (directory, entry) in directories where wanted[directory] == nil {
            directories[directory] = nil
            watches[entry.watch]?.remove(directory)
            // Two paths can reach one directory (a symlink): its watch stays while either is wanted.
            if watches[entry.watch]?.isEmpty ?? true {
                watches[entry.watch] = nil
                inotify_rm_watch(inotify, entry.watch)
            }
        }
        var complete = true
        var added: Set<String> = []
        for (directory, mask) in wanted where directories[directory]?.mask != mask {
            let watch = inotify_add_watch(inotify, directory, mask)
            guard watch >= 0 else {
                let code = errno
                if code == ENOENT || code == ENOTDIR {
                    complete = false
                    continue
                }
                let reason = String(cString: strerror(code))
                if failed[directory] != reason {
                    failed[directory] = reason
                    for target in targets where Self.nearestDirectory(target.parent) == directory {
                        report(target, .watchFailed(directory: directory, reason: reason))
                    }
                }
                continue
            }
            failed[directory] = nil
            if directories[directory]?.watch != watch { added.insert(directory) }
            directories[directory] = (watch, mask)
            watches[watch, default: []].insert(directory)
        }
        return (complete, added)
    }

    private func report(_ target: FileTarget, _ kind: TriggerNotice.Kind) {
        sink.report(TriggerNotice(automation: target.automation, kind: kind, instant: clock.now()))
    }

    /// `path` when it is a directory, else its nearest ancestor that is (at worst `/`).
    static func nearestDirectory(_ path: String) -> String {
        var candidate = path
        while candidate != "/" {
            var info = stat()
            if stat(candidate, &info) == 0, info.st_mode & S_IFMT == S_IFDIR { return candidate }
            let cut = candidate.lastIndex(of: "/") ?? candidate.startIndex
            candidate = cut == candidate.startIndex ? "/" : String(candidate[..<cut])
        }
        return candidate
    }
}
