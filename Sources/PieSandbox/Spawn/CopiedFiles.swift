import Glibc
import PieSystem

/// The host files a plan copies into its sandbox (`BubblewrapPlan.Mount.copy`), open for bwrap's
/// `--file`, which reads each descriptor to its end and closes it before the command runs.
///
/// A file that cannot be opened here as a regular file of at most `sizeLimit` bytes (gone,
/// unreadable, replaced by a FIFO since the plan was made, or large) is bound instead, so the
/// sandbox shows it exactly as the bound plan would: nothing appears or disappears because of the
/// copy. The descriptor pins the file pie checked; bwrap reads that file, not whatever the path
/// names by then.
struct CopiedFiles {
    /// Open descriptors (close-on-exec), in the order of `plan.copiedFiles`.
    let descriptors: [Int32]
    /// The plan to start: the given one, with the files that could not be opened bound instead.
    let plan: BubblewrapPlan

    /// Copies cost memory in every sandbox; the `/etc` files of the allowlist are kilobytes.
    static let sizeLimit: Int64 = 1 << 20

    init(opening plan: BubblewrapPlan) {
        var descriptors: [Int32] = []
        var unopened: [String] = []
        for path in plan.copiedFiles {
            let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
            var info = stat()
            guard fd >= 0 else {
                unopened.append(path)
                continue
            }
            guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, Int64(info.st_size) <= Self.sizeLimit else {
                FileIO.close(fd)
                unopened.append(path)
                continue
            }
            descriptors.append(fd)
        }
        self.descriptors = descriptors
        self.plan = unopened.isEmpty ? plan : plan.binding(unopened)
    }

    func close() {
        descriptors.forEach(FileIO.close)
    }
}
