import Glibc

/// Starts the detached POSIX thread a `ProcessSupervisor` blocks on (`poll`, `waitpid`), so those
/// calls stay off Swift's cooperative pool. A bare pthread rather than Foundation's `Thread`,
/// which would link all of Foundation (ICU, CoreFoundation) into pie and slow every start.
enum SupervisorThread {
    private final class Body {
        let work: @Sendable () -> Void
        init(_ work: @escaping @Sendable () -> Void) { self.work = work }
    }

    /// Runs `work` on a new thread. Returns false, without running `work`, when no thread could
    /// be created.
    static func start(_ work: @escaping @Sendable () -> Void) -> Bool {
        let context = Unmanaged.passRetained(Body(work)).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(&thread, nil, { raw in
            guard let raw else { return nil }
            Unmanaged<Body>.fromOpaque(raw).takeRetainedValue().work()
            return nil
        }, context)
        guard status == 0 else {
            Unmanaged<Body>.fromOpaque(context).release()
            return false
        }
        pthread_detach(thread)
        return true
    }
}
