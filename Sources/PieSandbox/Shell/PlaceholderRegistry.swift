import Glibc
import Synchronization

/// Counts in-process users of the mount-point placeholders bwrap creates for masks of missing
/// protected paths, and removes a placeholder only when the last concurrent run is done with it
/// (removing it earlier would detach the mask under a run that still relies on it).
enum PlaceholderRegistry {
    private static let users = Mutex<[String: Int]>([:])

    static func acquire(_ paths: [String]) {
        users.withLock { counts in
            for path in paths { counts[path, default: 0] += 1 }
        }
    }

    /// Releases `paths` and deletes those no run uses any more, if they are still the empty file or
    /// directory bwrap made (anything with content was not ours and is left alone).
    static func release(_ paths: [String]) {
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
