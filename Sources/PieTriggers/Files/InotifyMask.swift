import Glibc

/// The inotify bits the watcher asks for and reads, as `UInt32` (Glibc imports them as `Int32`).
enum InotifyMask {
    static let create = UInt32(IN_CREATE)
    static let movedTo = UInt32(IN_MOVED_TO)
    static let delete = UInt32(IN_DELETE)
    static let movedFrom = UInt32(IN_MOVED_FROM)
    static let closeWrite = UInt32(IN_CLOSE_WRITE)
    static let deleteSelf = UInt32(IN_DELETE_SELF)
    static let moveSelf = UInt32(IN_MOVE_SELF)
    static let ignored = UInt32(IN_IGNORED)
    static let overflow = UInt32(IN_Q_OVERFLOW)
    static let onlyDirectory = UInt32(IN_ONLYDIR)

    /// A name appearing in or leaving a directory: what file triggers and the tracking of
    /// existence need, and what shows a missing directory appearing.
    static let entries = create | movedTo | delete | movedFrom
    /// The watched directory itself removed or renamed: the watch must be re-established by path.
    static let itself = deleteSelf | moveSelf

    /// The mask for a directory watched as a file's parent. IN_CLOSE_WRITE only where a
    /// `modified` trigger needs it: it is one event per completed write (IN_MODIFY is one per
    /// write(2) call, so a large file would fire many times mid-write), and a directory such as
    /// `$HOME` sees many writes a `created` trigger does not care about.
    static func parent(modified: Bool) -> UInt32 {
        entries | itself | onlyDirectory | (modified ? closeWrite : 0)
    }

    /// The mask for the nearest existing ancestor of a missing directory.
    static let ancestor = entries | itself | onlyDirectory
}
