@_spi(ExperimentalCustomExecutors) import _Concurrency
import NIOPosix

/// The executors of the `serve` process (SE-0466 custom main and default executors): tasks on
/// SwiftNIO's event loops, the main actor on the main thread, and nothing on libdispatch, so an
/// idle serve wakes only when something it scheduled is due. One per process by nature: the
/// runtime asks the factory's static properties once.
package enum ServeExecutors: ExecutorFactory {
    package static let mainThread = MainThreadExecutor()
    package static let tasks = EventLoopTaskExecutor(group: MultiThreadedEventLoopGroup.singleton)

    package static var mainExecutor: any MainExecutor { mainThread }
    package static var defaultExecutor: any TaskExecutor { tasks }

    /// Makes these the process's executors. Must run before the first task is created: what
    /// the compiler emits for an `async main` with a `DefaultExecutorFactory`, which Swift 6.3 on
    /// Linux still gates behind an unreleased availability.
    package static func install() {
        _createExecutors(factory: ServeExecutors.self)
    }
}
