import Testing

@testable import PiePolicy

/// bash-balanced.toml under the engine's newer fields: options that end option parsing
/// (`python3 -m`), nested subcommands (`git remote show`, `rustup toolchain list`), sources of
/// `mv`/`ln`/`git mv` judged as writes, recursive writes (`rm -r`, `cp -r`, `find -delete`,
/// `git rm -r`, `git clean`), denied `TRANSPORT::ADDRESS` remotes, tar's old-style first word and
/// assignment patterns without regard to case. Judged by the policy engine with the balanced
/// preset over a scratch project whose nested repository exists on disk.
@Suite("Balanced profile: engine follow-ups")
struct ShellBalancedFollowUpTests {
    /// A balanced project with a nested repository (`sub/.git`), a source tree and a build tree.
    static func project(allowCommands: [String] = []) throws -> BalancedProject {
        let project = try BalancedProject(allowCommands: allowCommands)
        try project.directory.file("sub/.git/config", "[core]\n\trepositoryformatversion = 0\n")
        try project.directory.file("sub/readme", "nested")
        try project.directory.file("src/main.py", "print(1)\n")
        try project.directory.file("build/a.o", "")
        return project
    }

    /// Everyday lines that the older profile denied or could only write with a `--` workaround.
    static let everyday: [String] = [
        "python3 -m pytest -k foo -x", "python -m pytest --lf -q tests/", "python3 -c 'import sys; print(sys.argv)' -x --y",
        "git remote", "git remote -v", "git remote show origin", "git remote show -n origin", "git remote get-url origin",
        "git remote get-url --push --all origin", "git --no-pager remote -v",
        "diff <(ls a) <(ls b)", "rustup toolchain list", "rustup toolchain list -v", "rustup target list --installed",
        "rustup component list --toolchain stable --installed", "cp -r src .", "cp -r src build/", "find build -name '*.o' -delete",
        "rm -rf build", "mv src/main.py src/app.py", "git mv src/main.py src/app.py", "git rm -r --cached build",
        "git fetch origin main", "git pull origin main", "git push origin HEAD:refs/heads/topic",
    ]

    @Test(arguments: everyday)
    func everydayLinesPass(_ command: String) throws {
        let project = try Self.project()
        defer { project.directory.remove() }
        let decision = project.decide(command)
        #expect(decision.allowed, "\(command.debugDescription): \(decision.rule): \(decision.reason)")
    }

    /// Sources that `mv` removes, that `ln` without `-s` gives a second, writable name, and that
    /// `git mv` removes from the work tree: protected paths among them are refused.
    static let sourceWrites: [Attack] = [
        Attack("mv .git/config x", "write_operand", names: ".git/config"),
        Attack("mv -t build .git/hooks", "write_operand", names: ".git/hooks"),
        Attack("mv .envrc x", "write_operand", names: ".envrc"),
        Attack("ln .git/config c", "write_operand", names: ".git/config"),
        Attack("ln -t build .git/config", "write_operand", names: ".git/config"),
        Attack("git mv .envrc x", "write_operand", names: ".envrc"),
        Attack("git mv sub/.git/config x", "write_operand", names: "sub/.git/config"),
    ]

    @Test(arguments: sourceWrites)
    func sourcesAreJudgedAsWrites(_ attack: Attack) throws {
        let project = try Self.project(allowCommands: ["ln"])
        defer { project.directory.remove() }
        let decision = project.decide(attack.command)
        #expect(!decision.allowed, "\(attack.command) was allowed")
        #expect(decision.rule == attack.rule, "\(attack.command): \(decision.rule): \(decision.reason)")
        #expect(decision.reason.contains(attack.names), "\(attack.command): \(decision.reason)")
        #expect(decision.reason.contains("source operand"), "\(attack.command): \(decision.reason)")
    }

    /// `ln -s` only names its target (a later write through the link is judged where it leads).
    @Test func symbolicLinksKeepTheirSources() throws {
        let project = try Self.project(allowCommands: ["ln"])
        defer { project.directory.remove() }
        let decision = project.decide("ln -s src/main.py m")
        #expect(decision.allowed, "\(decision.rule): \(decision.reason)")
    }

    /// Commands that write whole trees over a directory that holds a git directory (the root's
    /// `.git`, a nested `sub/.git`): the reason names what lies below. `git clean` removes
    /// untracked files below the working directory as well as below its pathspecs, so both are
    /// judged; it passes where the working directory holds no git directory (below).
    static let recursiveWrites: [Attack] = [
        Attack("rm -rf .", "recursive_write", names: "/.git"),
        Attack("rm -r sub", "recursive_write", names: "sub/.git"),
        Attack("rm --recursive -f ./", "recursive_write", names: "/.git"),
        Attack("cp -rT x .", "recursive_write", names: "/.git"),
        Attack("cp -a build/. .", "recursive_write", names: "/.git"),
        Attack("cp -r build/. sub", "recursive_write", names: "sub/.git"),
        Attack("find . -delete", "recursive_write", names: "/.git"),
        Attack("find . -name '*.o' -delete", "recursive_write", names: "/.git"),
        Attack("find sub -name config -delete", "recursive_write", names: "sub/.git"),
        Attack("mv sub elsewhere", "recursive_write", names: "sub/.git"),
        Attack("mv -T build .", "recursive_write", names: "/.git"),
        Attack("git rm -r .", "recursive_write", names: "/.git"),
        Attack("git rm -r -q sub", "recursive_write", names: "sub/.git"),
        Attack("git clean -fdx", "recursive_write", names: "/.git"),
        Attack("git clean -fd build", "recursive_write", names: "/.git"),
    ]

    @Test(arguments: recursiveWrites)
    func recursiveWritesOverGitDirectoriesAreDenied(_ attack: Attack) throws {
        let project = try Self.project()
        defer { project.directory.remove() }
        let decision = project.decide(attack.command)
        #expect(!decision.allowed, "\(attack.command) was allowed")
        #expect(decision.rule == attack.rule, "\(attack.command): \(decision.rule): \(decision.reason)")
        #expect(decision.reason.contains(attack.names), "\(attack.command): \(decision.reason)")
    }

    /// `git clean` from a bash call whose working directory is `build`: `.` is `build`, which
    /// holds no git directory, while a pathspec over the nested repository is still refused. (A
    /// `cd build` inside the line does not help: a `cd` may not run, so the root is judged too.)
    @Test func gitCleanPassesBelowTheRootAndJudgesItsPathspecs() throws {
        let project = try Self.project()
        defer { project.directory.remove() }
        let build = project.directory.path + "/build"
        let clean = project.engine.evaluate(.bash(command: "git clean -fdx", cwd: build))
        #expect(clean.allowed, "\(clean.rule): \(clean.reason)")
        let nested = project.engine.evaluate(.bash(command: "git clean -ffdx ../sub", cwd: build))
        #expect(!nested.allowed)
        #expect(nested.rule == "recursive_write", "\(nested.reason)")
        #expect(nested.reason.contains("sub/.git"), "\(nested.reason)")
        let fromRoot = project.engine.evaluate(.bash(command: "cd build && git clean -fdx", cwd: nil))
        #expect(fromRoot.rule == "recursive_write", "\(fromRoot.reason)")
    }

    /// git's remote helpers (gitremote-helpers(7)): a `TRANSPORT::ADDRESS` URL runs
    /// `git-remote-TRANSPORT`, and `ext::` runs its address as a command; `git remote` may only
    /// list and print, never write a remote's configuration; rustup's nested subcommands may only
    /// list; tar's old-style first word is read as options; npm reads `npm_config_*` in any case.
    static let programRunners: [Attack] = [
        Attack("git fetch 'ext::sh -c touch% /tmp/x'", "exec_argument", names: "ext::sh -c touch% /tmp/x"),
        Attack("git pull 'fd::3' main", "exec_argument", names: "fd::3"),
        Attack("git push 'ext::sh -c id' HEAD", "exec_argument", names: "ext::sh -c id"),
        Attack("git fetch \"$URL\"", "exec_argument", names: "run time"),
        Attack("git remote add x y", "exec_argument", names: "'add'"),
        Attack("git remote set-url origin z", "exec_argument", names: "'set-url'"),
        Attack("git remote -v rename origin x", "exec_argument", names: "'rename'"),
        Attack("git remote remove origin", "exec_argument", names: "'remove'"),
        Attack("git remote set-head origin -a", "exec_argument", names: "'set-head'"),
        Attack("git remote prune origin", "exec_argument", names: "'prune'"),
        Attack("git remote update", "exec_argument", names: "'update'"),
        Attack("git remote show --push origin", "exec_argument", names: "--push"),
        Attack("rustup toolchain link evil /tmp/tc", "exec_argument", names: "'link'"),
        Attack("rustup toolchain install nightly", "exec_argument", names: "'install'"),
        Attack("rustup target add wasm32-unknown-unknown", "exec_argument", names: "'add'"),
        Attack("rustup component remove clippy", "exec_argument", names: "'remove'"),
        Attack("NpM_CoNfIg_script_shell=/tmp/sh npm test", "assignment", names: "NpM_CoNfIg_script_shell"),
        Attack("Npm_Config_Userconfig=/tmp/rc npm install", "assignment", names: "Npm_Config_Userconfig"),
    ]

    @Test(arguments: programRunners)
    func programRunnersAndConfigurationWritersAreDenied(_ attack: Attack) throws {
        let project = try Self.project()
        defer { project.directory.remove() }
        let decision = project.decide(attack.command)
        #expect(!decision.allowed, "\(attack.command) was allowed")
        #expect(decision.rule == attack.rule, "\(attack.command): \(decision.rule): \(decision.reason)")
        #expect(decision.reason.contains(attack.names), "\(attack.command): \(decision.reason)")
    }

    /// tar is not in balanced's allowlist; added with `--allow-command`, its old-style first word
    /// (`tar xf`, GNU tar's "traditional usage") is judged letter by letter like `-x -f`.
    static let tarOldStyle: [Attack] = [
        Attack("tar xf a.tar", "exec_argument", names: "-x"),
        Attack("tar cIf sh out.tar src", "exec_argument", names: "-I"),
        Attack("tar cf .git/config x", "write_operand", names: ".git/config"),
    ]

    @Test(arguments: tarOldStyle)
    func tarsOldStyleFirstWordIsJudged(_ attack: Attack) throws {
        let project = try Self.project(allowCommands: ["tar"])
        defer { project.directory.remove() }
        let decision = project.decide(attack.command)
        #expect(!decision.allowed, "\(attack.command) was allowed")
        #expect(decision.rule == attack.rule, "\(attack.command): \(decision.rule): \(decision.reason)")
        #expect(decision.reason.contains(attack.names), "\(attack.command): \(decision.reason)")
    }

    @Test func tarsOldStyleCreateInsideTheProjectPasses() throws {
        let project = try Self.project(allowCommands: ["tar"])
        defer { project.directory.remove() }
        let decision = project.decide("tar czf build/out.tgz src")
        #expect(decision.allowed, "\(decision.rule): \(decision.reason)")
    }
}
