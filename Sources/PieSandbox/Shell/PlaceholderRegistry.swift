import Glibc
import PiePolicy
import Synchronization

/// Counts in-process users of the mount-point placeholders bwrap creates for masks of missing
/// protected paths, and removes a placeholder only when the last concurrent run is done with it
/// (removing it earlier would detach the mask under a run that still relies on it). Every shell of
/// a process must share one registry (see `SandboxServices`): the counts are only right when they
/// see every concurrent run.
public final class PlaceholderRegistry: Sendable {
    private let users = Mutex<[String: Int]>([:])

    public init() {}

    /// The placeholders some run of this process is using now.
    func inUse() -> Set<PathKey> {
        users.withLock { Set($0.keys.map(PathKey.init)) }
    }

    func acquire(_ paths: [String]) {
        users.withLock { counts in
            for path in paths { counts[path, default: 0] += 1 }
        }
    }

    /// Creates the empty, read-only placeholders a warm sandbox's init masks (bwrap creates its own
    /// in a cold sandbox). An existing path is left alone: a concurrent run's placeholder is reused,
    /// and anything else makes the init refuse to mask it.
    func create(_ paths: [String]) {
        for path in paths {
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o444)
            if fd >= 0 { Glibc.close(fd) }
        }
    }

    /// Releases `paths` and deletes those no run uses any more, if they are still the empty file or
    /// directory bwrap made (anything with content was not ours and is left alone).
    func release(_ paths: [String]) {
        let unused: [String] = users.withLock { counts in
            paths.filter { path in
                let remaining = (counts[path] ?? 1) - 1
                counts[path] = remaining > 0 ? remaining : nil
                return remaining <= 0
            }
        }
        for path in unused {
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFREG where info.st_size == 0: unlink(path)
            case S_IFDIR: rmdir(path)
            default: continue
            }
        }
    }
}
