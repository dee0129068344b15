import CPieSys
import Glibc

/// The spawn layer's descriptor helpers (pipes, duplicates, a monotonic clock); closing, reading
/// and writing go through `PieSystem.FileIO` like every other module's.
enum Descriptor {
    /// A close-on-exec pipe as (read, write), or nil with errno set.
    static func pipe() -> (read: Int32, write: Int32)? {
        var fds: [Int32] = [-1, -1]
        let result = fds.withUnsafeMutableBufferPointer { cpie_pipe2($0.baseAddress, O_CLOEXEC) }
        guard result == 0 else { return nil }
        return (fds[0], fds[1])
    }

    /// Duplicates `fd` to a close-on-exec descriptor numbered at least `minimum`.
    static func duplicate(_ fd: Int32, atLeast minimum: Int32) -> Int32 {
        fcntl(fd, F_DUPFD_CLOEXEC, minimum)
    }

    /// Monotonic milliseconds, for deadlines that must not jump with the wall clock.
    static func monotonicMilliseconds() -> Int64 {
        monotonicNanoseconds() / 1_000_000
    }

    static func monotonicNanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }
}
