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
/// is renamed away (IN_MOVE_SELF) is re-established by path the same way. The ancestors above are
/// watched for entries only, so a directory renamed or replaced higher up (`mv ~/a ~/b` when
/// watching `~/a/x/done`) is noticed too: each watched directory's identity (device and inode) is
/// checked on every re-plan, and a path that now leads to another directory is watched afresh.
struct WatchTable {
    private let inotify: Int32
    private let clock: any TriggerClock
    private let sink: any TriggerSink

    private(set) var states: [FileTarget: FileState] = [:]
    /// Where each target is watched from (its parent, or an ancestor while the parent is missing).
    private(set) var placement: [FileTarget: String] = [:]
    private var watches: [Int32: Set<String>] = [:]
    private var directories: [String: Watched] = [:]
    /// Watches that failed, so each failure is reported once until it succeeds.
    private var failed: [String: String] = [:]
    /// The targets watched from their parent, by path: what an entry event in a parent concerns.
    private var byPath: [String: [FileTarget]] = [:]
    /// Every directory on the way to a target's parent, the parent included: an entry event
    /// naming one of them (created, deleted, renamed) means the watches must be re-planned.
    private var components: Set<String> = []

    private struct Watched {
        var watch: Int32
        var mask: UInt32
        /// The directory's device and inode when the watch was added: a path can come to lead
        /// elsewhere while the watch follows the old directory.
        var identity: [UInt64]?
    }

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
                if event.mask & InotifyMask.entries != 0, components.contains(path) { replan = true }
            }
        }
        if overflowed {
            sink.report(TriggerNotice(automation: nil, kind: .rescanned, instant: clock.now()))
            reconcile(newTargets: [])
            rescan(Set(states.keys), directoryChanged: false)
        } else if replan {
            reconcile(newTargets: [])
        }
    }

    /// Removes every watch (the descriptor is about to be closed).
    mutating func removeAll() {
        for (watch, _) in watches { inotify_rm_watch(inotify, watch) }
        (watches, directories, states, placement, byPath, components) = ([:], [:], [:], [:], [:], [])
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

    /// Compares each target with the disk and fires what changed. After the directory itself
    /// changed (`directoryChanged`: it appeared, was replaced, or its watch was lost), another
    /// file at the path is not an edit of the old one: the old one was deleted and a new one
    /// created. Within one directory (after an overflow) it is `modified`, as a rename over the
    /// file is live.
    private mutating func rescan(_ targets: Set<FileTarget>, directoryChanged: Bool) {
        for target in targets {
            let now = FileState.current(target.path)
            let before = states[target] ?? .absent
            states[target] = now
            if directoryChanged, case .present(let old?) = before, case .present(let new?) = now,
                (old.device, old.inode) != (new.device, new.inode)
            {
                if target.on == .deleted { fire(target, .deleted) }
                if target.on == .created { fire(target, .created) }
                continue
            }
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
            vacate(directory)
        }
        watches[watch] = nil
    }

    /// The files of `directory` are no longer at their paths: those last known present are deleted.
    private mutating func vacate(_ directory: String) {
        for target in states.keys where placement[target] == directory && target.parent == directory {
            if states[target]?.exists == true, target.on == .deleted { fire(target, .deleted) }
            states[target] = .absent
        }
    }

    /// Stops watching `directory` by its path; the watch itself goes when no other path uses it.
    private mutating func unwatch(_ directory: String) {
        guard let entry = directories.removeValue(forKey: directory) else { return }
        watches[entry.watch]?.remove(directory)
        // Two paths can reach one directory (a symlink): its watch stays while either is wanted.
        if watches[entry.watch]?.isEmpty ?? true {
            watches[entry.watch] = nil
            inotify_rm_watch(inotify, entry.watch)
        }
    }

    /// Watches, for every target, its parent or the nearest existing ancestor; drops watches no
    /// target needs; takes a baseline of `newTargets` and re-checks every target whose watched
    /// directory changed (events in the directory it now watches may have been missed).
    private mutating func reconcile(newTargets: Set<FileTarget>) {
        let targets = Set(states.keys).union(newTargets)
        // A directory can vanish between the check and inotify_add_watch; planning again then
        // finds its ancestor. Bounded, as a directory could be created and removed forever.
        // A directory can also appear between finding the nearest one and watching it (created
        // before its parent's watch existed, so no event tells of it): the plan is checked
        // against the disk after the watches are added, and made again until it holds.
        var watchedAnew: Set<String> = []
        var plan: [FileTarget: String] = [:]
        for _ in 0..<8 {
            let (complete, added, planned) = establish(targets)
            watchedAnew.formUnion(added)
            plan = planned
            if complete, planned.allSatisfy({ Self.nearestDirectory($0.key.parent) == $0.value }) { break }
        }
        var moved: Set<FileTarget> = []
        for target in targets {
            let now = plan[target] ?? Self.nearestDirectory(target.parent)
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
        rescan(moved, directoryChanged: true)
    }

    /// Rebuilds `byPath` and `components` from the placements.
    private mutating func index() {
        byPath = [:]
        components = []
        for (target, directory) in placement {
            if directory == target.parent { byPath[target.path, default: []].append(target) }
            var component = target.parent
            while component != "/" {
                components.insert(component)
                component = Self.parent(of: component)
            }
        }
    }

    static func parent(of path: String) -> String {
        let cut = path.lastIndex(of: "/") ?? path.startIndex
        return cut == path.startIndex ? "/" : String(path[..<cut])
    }

    /// A directory's device and inode, nil when it cannot be stat'ed.
    private static func identity(_ directory: String) -> [UInt64]? {
        var info = stat()
        guard stat(directory, &info) == 0 else { return nil }
        return [UInt64(info.st_dev), UInt64(info.st_ino)]
    }

    static func join(_ directory: String, _ name: String) -> String {
        directory == "/" ? "/" + name : directory + "/" + name
    }

    /// One attempt to make the watches match `targets`: whether it completed (not when a
    /// directory vanished meanwhile), the directories that got a new watch, and the directory
    /// each target is watched from.
    private mutating func establish(
        _ targets: Set<FileTarget>
    ) -> (complete: Bool, added: Set<String>, plan: [FileTarget: String]) {
        var wanted: [String: UInt32] = [:]
        var plan: [FileTarget: String] = [:]
        for target in targets {
            let directory = Self.nearestDirectory(target.parent)
            plan[target] = directory
            let mask = directory == target.parent ? InotifyMask.parent(modified: target.on == .modified) : InotifyMask.ancestor
            wanted[directory, default: 0] |= mask
            var above = directory
            while above != "/" {
                above = Self.parent(of: above)
                wanted[above, default: 0] |= InotifyMask.ancestor
            }
        }
        for directory in directories.keys where wanted[directory] == nil { unwatch(directory) }
        // A path that leads to another directory than the one watched (renamed or replaced higher
        // up): what was there is gone from the path, and the new directory is watched below.
        for (directory, entry) in directories where Self.identity(directory) != entry.identity {
            unwatch(directory)
            vacate(directory)
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
                    for target in targets where plan[target] == directory {
                        report(target, .watchFailed(directory: directory, reason: reason))
                    }
                }
                continue
            }
            failed[directory] = nil
            if directories[directory]?.watch != watch { added.insert(directory) }
            directories[directory] = Watched(watch: watch, mask: mask, identity: Self.identity(directory))
            watches[watch, default: []].insert(directory)
        }
        return (complete, added, plan)
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
            candidate = parent(of: candidate)
        }
        return candidate
    }
}
