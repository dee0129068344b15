import Glibc

/// How many tasks (processes and threads) a user has right now, which is what RLIMIT_NPROC is
/// compared against: the kernel counts every task of the real uid, host-wide, not the tasks of
/// one command. A limit meant as "this command may start N processes" must therefore be set to
/// the current count plus N.
enum UserTaskCount {
    /// Counts the tasks of `uid` from `/proc`: a process directory's owner is its uid, and its
    /// `task` directory has one subdirectory (link) per thread. Cheap: two `stat`s per process.
    static func current(uid: uid_t) -> UInt64 {
        guard let proc = opendir("/proc") else { return 0 }
        defer { closedir(proc) }
        var total: UInt64 = 0
        while let entry = readdir(proc) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            guard let first = name.utf8.first, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { continue }
            var owner = stat()
            guard stat("/proc/" + name, &owner) == 0, owner.st_uid == uid else { continue }
            var tasks = stat()
            if stat("/proc/" + name + "/task", &tasks) == 0, tasks.st_nlink > 2 {
                total += UInt64(tasks.st_nlink) - 2
            } else {
                total += 1
            }
        }
        return total
    }
}
