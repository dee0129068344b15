import Glibc

/// A detached POSIX thread for the loopback servers: their blocking socket calls must not occupy
/// the cooperative pool (two threads on a two-core machine) that the measured code runs on.
enum BackgroundThread {
    private final class Work {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    static func start(_ body: @escaping @Sendable () -> Void) {
        let context = Unmanaged.passRetained(Work(body)).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(&thread, nil, { raw in
            raw.map { Unmanaged<Work>.fromOpaque($0).takeRetainedValue().body() }
            return nil
        }, context)
        if status == 0 {
            pthread_detach(thread)
        } else {
            Unmanaged<Work>.fromOpaque(context).release()
        }
    }
}
