import CPieSys
import Glibc

/// Small helpers over raw descriptors, so every call site closes and retries the same way.
enum Descriptor {
    /// Closes `fd` when it is valid; EINTR on close must not be retried on Linux.
    static func close(_ fd: Int32) {
        if fd >= 0 { _ = Glibc.close(fd) }
    }

    /// Writes all of `bytes`, retrying on EINTR and short writes. Returns false on any other error.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return Glibc.write(fd, base + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }

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
