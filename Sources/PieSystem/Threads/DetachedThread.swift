import Glibc

/// Runs a closure on a new detached POSIX thread, for blocking work (`poll`, `waitpid`, a blocking
/// libcurl call) that must stay off Swift's cooperative pool, whose few threads the agent needs for
/// everything else, and must not depend on a pool thread staying alive.
public enum DetachedThread {
    /// Returns false when the thread could not be created (the closure then never runs).
    @discardableResult
    public static func start(_ body: @escaping @Sendable () -> Void) -> Bool {
        let box = Unmanaged.passRetained(Closure(body))
        var thread = pthread_t()
        let created = pthread_create(
            &thread, nil,
            { raw in
                guard let raw else { return nil }
                Unmanaged<Closure>.fromOpaque(raw).takeRetainedValue().body()
                return nil
            }, box.toOpaque())
        guard created == 0 else {
            box.release()
            return false
        }
        pthread_detach(thread)
        return true
    }

    private final class Closure: Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
}
