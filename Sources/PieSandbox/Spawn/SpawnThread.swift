import Glibc
import PieSystem
import Synchronization

/// One thread that lives as long as the process and starts every long-lived sandboxed child.
///
/// bubblewrap's `--die-with-parent` is `PR_SET_PDEATHSIG`, which the kernel fires when the
/// *thread* that forked the child exits, not the process. A server spawned from a pool thread
/// (or a thread made for one spawn) would be killed with SIGKILL the moment that thread ends;
/// spawned from this thread, it dies only with pie.
public final class SpawnThread: Sendable {
    private let state = Mutex<(jobs: [@Sendable () -> Void], wake: (read: Int32, write: Int32)?)>(([], nil))

    public init() {}

    /// Runs `job` on the spawn thread, starting the thread on first use. Where no thread can be
    /// made, `job` runs on the caller's thread (its children then die with that thread).
    func run(_ job: @escaping @Sendable () -> Void) {
        let wake = state.withLock { state -> (read: Int32, write: Int32)? in
            if state.wake == nil, let pipe = Descriptor.pipe() {
                let reader = pipe.read
                if DetachedThread.start({ self.loop(reader) }) {
                    state.wake = pipe
                } else {
                    FileIO.close(pipe.read)
                    FileIO.close(pipe.write)
                }
            }
            guard let wake = state.wake else { return nil }
            state.jobs.append(job)
            return wake
        }
        guard let wake else {
            job()
            return
        }
        _ = FileIO.writeAll(wake.write, [1])
    }

    private func loop(_ reader: Int32) {
        var byte: UInt8 = 0
        while true {
            let count = read(reader, &byte, 1)
            if count < 0, errno == EINTR { continue }
            if count <= 0 { return }
            let jobs = state.withLock { state in
                defer { state.jobs = [] }
                return state.jobs
            }
            jobs.forEach { $0() }
        }
    }
}
