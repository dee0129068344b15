import Glibc
import PieAutomations

/// What the watcher last knew of a watched path: absent, or present with the stamp `stat`
/// gave (nil when the file appeared but could not be stat'ed).
enum FileState: Sendable, Equatable {
    struct Stamp: Sendable, Equatable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var modifiedNanoseconds: Int64
    }

    case absent
    case present(Stamp?)

    /// The path's state now (`lstat`: a symlink is itself the watched name).
    static func current(_ path: String) -> FileState {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .absent }
        let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        return .present(
            Stamp(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size), modifiedNanoseconds: modified))
    }

    var exists: Bool { self != .absent }

    /// What a re-scan can prove changed between `old` and `new`, conservatively: appearing is
    /// `created`, vanishing is `deleted`, another inode or size or mtime is `modified` (as a
    /// rename over the file is, live). Nothing when either stamp is unknown: lost events are not
    /// invented.
    static func change(from old: FileState, to new: FileState) -> AutomationTrigger.FileEvent? {
        switch (old, new) {
        case (.absent, .present): return .created
        case (.present, .absent): return .deleted
        case (.present(let before?), .present(let after?)) where before != after: return .modified
        default: return nil
        }
    }
}
