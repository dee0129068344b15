import Glibc

/// Child processes for the benchmarks that time whole programs (`rg`, `grep -r`, `pie` itself):
/// `posix_spawn` with stdout and stderr sent to /dev/null unless a descriptor is given.
enum Subprocess {
    /// Starts `argv` (looked up on PATH); returns the pid, or nil when it cannot start.
    /// `stdin`, when given, becomes the child's standard input.
    static func spawn(_ argv: [String], stdin: Int32? = nil) -> pid_t? {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let stdin {
            posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var arguments = argv.map { strdup($0) } + [nil]
        defer { for pointer in arguments { free(pointer) } }
        var pid: pid_t = 0
        let status = posix_spawnp(&pid, argv[0], &actions, nil, &arguments, environ)
        return status == 0 ? pid : nil
    }

    /// Waits for `pid` and returns its exit status (or -1).
    @discardableResult
    static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1
    }

    /// Runs `argv` to completion; returns its exit status, or nil when it cannot start.
    @discardableResult
    static func run(_ argv: [String]) -> Int32? {
        spawn(argv).map { wait($0) }
    }

    /// True when `name` is an executable on PATH (the comparison tools are optional).
    static func available(_ name: String) -> Bool {
        run(["/bin/sh", "-c", "command -v \(name)"]) == 0
    }
}
