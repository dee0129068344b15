import CPieSys
import Foundation
import Glibc
import Synchronization
import Testing
import PieJSON
import PieTestSupport

@testable import PieAgent

@Suite struct SessionLockTests {
    func makeSession(_ dir: TemporaryDirectory) throws -> SessionFile {
        let header = SessionHeader(id: "lock", timestamp: "2026-11-25T13:00:00.000Z", cwd: "/p")
        return try SessionFile.create(at: dir.file("l.jsonl"), header: header)
    }

    /// Eight threads, each with its own descriptor (flock excludes per open file description, just
    /// as it does between processes), append 50 entries apiece.
    @Test func concurrentWritersNeverTearOrInterleaveLines() async throws {
        let dir = try TemporaryDirectory()
        let file = try makeSession(dir)
        let failures = Mutex<[String]>([])
        let group = DispatchGroup()
        for writer in 0..<8 {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                do {
                    var session = try Session.load(file)
                    for index in 0..<50 {
                        try session.append(Messages.user("writer \(writer) message \(index) " + String(repeating: "x", count: 300)))
                    }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        // Waited for on a thread of its own: the writers fsync, which takes seconds under load.
        try await offCooperativePool { group.wait() }
        #expect(failures.withLock { $0 }.isEmpty)

        let text = dir.read("l.jsonl")
        #expect(text.hasSuffix("\n"))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 401)
        #expect(lines.allSatisfy { (try? JSONParser.parseLine(String($0)))?.objectValue != nil })
        let loaded = try file.load()
        #expect(loaded.diagnostics.isEmpty)
        #expect(loaded.entries.count == 400)
        #expect(Set(loaded.entries.map(\.id)).count == 400)
    }

    /// Another process appending under `flock(1)` while threads here append: the lock is the same
    /// kernel lock, so every line of both writers arrives whole.
    @Test func appendsInterleaveSafelyWithAnotherProcessUsingFlock() async throws {
        let dir = try TemporaryDirectory()
        let file = try makeSession(dir)
        try dir.write(
            "writer.sh",
            #"""
            i=1
            while [ $i -le 40 ]; do
              line="{\"type\":\"custom\",\"id\":\"sh-$i\",\"parentId\":null,\"timestamp\":\"t\",\"customType\":\"shell\"}"
              flock "$1" sh -c 'printf "%s\n" "$1" >> "$2"' sh "$line" "$1" || exit 1
              i=$((i + 1))
            done
            """#)
        let shell = try HostProcess(["/bin/sh", dir.file("writer.sh"), file.path])
        let group = DispatchGroup()
        let failures = Mutex<[String]>([])
        for writer in 0..<4 {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                do {
                    var session = try Session.load(file)
                    for index in 0..<40 { try session.append(Messages.user("thread \(writer) entry \(index)")) }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        try await offCooperativePool { group.wait() }
        #expect(await shell.exited().status == 0)
        #expect(failures.withLock { $0 }.isEmpty)
        let loaded = try file.load()
        #expect(loaded.diagnostics.isEmpty)
        #expect(loaded.entries.count == 200)
        #expect(loaded.entries.filter { $0["customType"]?.stringValue == "shell" }.count == 40)
    }

    /// A real second process (util-linux `flock`) holds the lock: the append times out with an
    /// actionable error; once that process is killed the kernel frees the lock and the append works,
    /// with no stale-lock cleanup.
    @Test func lockHeldByAnotherProcessTimesOutAndIsFreedWhenItDies() async throws {
        let dir = try TemporaryDirectory()
        let file = try makeSession(dir)
        // The holder keeps the lock until the test kills its process group (flock and its sleep):
        // one that let go after a few seconds raced a test that a full suite's load had delayed
        // longer than that, which then never saw the lock held.
        let holder = try spawn(["/usr/bin/flock", "--exclusive", "--close", file.path, "sleep", "3600"])
        var reaped = false
        defer {
            if !reaped {
                kill(-holder, SIGKILL)
                waitpid(holder, nil, 0)
            }
        }
        await waitUntilLockedElsewhere(file.path)

        var impatient = file
        impatient.lockOptions = SessionLockOptions(timeoutMilliseconds: 200, pollMilliseconds: 20)
        let entry = SessionEntry(id: "e1", parentId: nil, timestamp: "t", content: .sessionInfo(name: "n"))
        // The append polls the lock with sleeps for 200 ms: on a thread of its own, not the pool's.
        let attempt = try await offCooperativePool { [impatient] in
            Result { () throws(SessionError) in try impatient.append([entry]) }
        }
        do {
            _ = try attempt.get()
            Issue.record("append should have timed out")
        } catch {
            guard case .lockTimeout(let path, let waited) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(path == file.path)
            #expect(waited >= 200)
        }

        kill(-holder, SIGKILL)
        try await offCooperativePool { _ = waitpid(holder, nil, 0) }
        reaped = true
        try impatient.append([entry])
        #expect(try file.load().entries.map(\.id) == ["e1"])
    }

    /// posix_spawn rather than Foundation's Process, whose exit monitoring waits for the
    /// grandchild `sleep` that inherits its descriptors. The child gets none of this process's
    /// descriptors above stderr: an inherited file that another test wrote would stay open in it,
    /// and its late close would reach that test's inotify watch as one more completed write. It
    /// leads a process group of its own, so the test can kill it with its children.
    private func spawn(_ arguments: [String]) throws -> pid_t {
        var pid = pid_t()
        var argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        cpie_spawn_add_closefrom(&actions, 3)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        let status = posix_spawn(&pid, arguments[0], &actions, &attributes, &argv, environ)
        guard status == 0 else { throw POSIXError(POSIXErrorCode(rawValue: status) ?? .EIO) }
        return pid
    }

    /// Polls (bounded: starting flock(1) can take seconds under load) until the lock is held. It
    /// looks once more after the deadline: a sleep that a starved pool resumed late must not end
    /// the wait without a look at the lock.
    private func waitUntilLockedElsewhere(_ path: String) async {
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        let deadline = ContinuousClock.now + .seconds(60)
        func heldElsewhere() -> Bool {
            if flock(fd, LOCK_EX | LOCK_NB) != 0 { return true }
            flock(fd, LOCK_UN)
            return false
        }
        while ContinuousClock.now < deadline {
            if heldElsewhere() { return }
            try? await Task.sleep(for: .milliseconds(10))
        }
        if heldElsewhere() { return }
        Issue.record("the flock(1) child never took the lock")
    }
}
