#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How long a writer waits for a session's lock.
///
/// The defaults are rust-pi's: poll every 50 ms, give up after 5 s.
public struct SessionLockOptions: Sendable, Equatable {
    public var timeoutMilliseconds: Int
    public var pollMilliseconds: Int

    public init(timeoutMilliseconds: Int = 5000, pollMilliseconds: Int = 50) {
        self.timeoutMilliseconds = max(timeoutMilliseconds, 0)
        self.pollMilliseconds = max(pollMilliseconds, 1)
    }
}

/// An exclusive `flock(2)` on the session file itself, held while one append is written.
///
/// Chosen over a `<session>.lock` file created with `O_EXCL` (rust-pi's scheme) because the kernel
/// drops an flock when its holder dies, so a crashed pie can never leave a stale lock behind and no
/// reclaim heuristic (mtime age, pid liveness, rename races) is needed. The lock belongs to the open
/// file description, so two descriptors in one process exclude each other exactly like two
/// processes do. pie never creates `.lock` files, so there is none to go stale.
struct SessionLock: ~Copyable {
    private let fd: Int32

    /// Polls `LOCK_EX | LOCK_NB` until it succeeds or `options.timeoutMilliseconds` have passed.
    init(fd: Int32, path: String, options: SessionLockOptions) throws(SessionError) {
        let start = Timestamp.monotonicMilliseconds()
        while true {
            if flock(fd, LOCK_EX | LOCK_NB) == 0 { break }
            let code = errno
            if code == EINTR { continue }
            guard code == EWOULDBLOCK else { throw .io(operation: "lock", path: path, errno: code) }
            let waited = Int(Timestamp.monotonicMilliseconds() - start)
            guard waited < options.timeoutMilliseconds else {
                throw .lockTimeout(path: path, waitedMilliseconds: waited)
            }
            usleep(useconds_t(min(options.pollMilliseconds, options.timeoutMilliseconds - waited + 1) * 1000))
        }
        self.fd = fd
    }

    deinit {
        flock(fd, LOCK_UN)
    }
}
