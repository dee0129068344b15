import Testing

@testable import PiePolicy

/// A scratch project judged by the balanced preset (the default) through the policy engine, exactly
/// as the agent judges a bash call: the preset's protected list (`.git/config`, `.git/hooks`, …),
/// its write roots and the `balanced` bash profile.
struct BalancedProject {
    let directory: TempDirectory
    let engine: PolicyEngine

    init(allowCommands: [String] = []) throws {
        directory = try TempDirectory()
        try directory.file(".git/config", "[core]\n\trepositoryformatversion = 0\n")
        try directory.file(".git/hooks/README", "hooks")
        try directory.file(".git/info/exclude", "")
        try directory.file("x", "payload")
        let flags = allowCommands.isEmpty ? PolicyLayer() : flagLayer([(.allowCommands, .list(allowCommands))])
        engine = try PolicyEngine(policy: buildPolicy(cwd: directory.path, preset: .balanced, flags: flags).policy)
    }

    func decide(_ command: String) -> Decision {
        engine.evaluate(.bash(command: command, cwd: nil))
    }
}

/// One attack: the command line and the check that must deny it.
struct Attack: Sendable, CustomStringConvertible {
    let command: String
    let rule: String
    /// Text the denial must contain (the option or path it names).
    let names: String

    init(_ command: String, _ rule: String, names: String) {
        self.command = command
        self.rule = rule
        self.names = names
    }

    var description: String { command }
}

@Suite("Balanced profile: option allowlists and write operands")
struct ShellBalancedAllowlistTests {
    // MARK: default-preset host writes

    /// Every command balanced allows that writes a file, aimed at git's configuration and hooks
    /// (githooks(5) names) and at files outside the project, through each way the command names
    /// its target: last operand, target directory (`-t`, `--target-directory=`), a directory
    /// destination, in-place editing (attached and separate suffixes), output options (separate,
    /// attached, `=`), second operand, `find -delete`, make targets and the output options of the
    /// build tools and of git itself.
    static let hostWrites: [Attack] = [
        Attack("cp x .git/hooks/pre-commit", "write_operand", names: ".git/hooks/pre-commit"),
        Attack("cp x .git/hooks", "write_operand", names: ".git/hooks"),
        Attack("cp -t .git/hooks x", "write_operand", names: ".git/hooks"),
        Attack("cp --target-directory=.git/hooks x", "write_operand", names: ".git/hooks"),
        Attack("cp -r x .git/config", "write_operand", names: ".git/config"),
        Attack("cp x sub/../.git/hooks/post-checkout", "write_operand", names: ".git/hooks/post-checkout"),
        Attack("cd .git && cp ../x hooks/pre-push", "write_operand", names: ".git/hooks/pre-push"),
        Attack("cp x /root/.bashrc", "write_operand", names: "/root/.bashrc"),
        Attack("cp x ~/.bashrc", "exec_argument", names: "~/.bashrc"),
        Attack("cp x /etc/profile.d/pie.sh", "write_operand", names: "/etc/profile.d/pie.sh"),
        Attack("mv x .git/config", "write_operand", names: ".git/config"),
        Attack("mv x .git/hooks/fsmonitor-watchman", "write_operand", names: ".git/hooks/fsmonitor-watchman"),
        Attack("mv -t .git/hooks x", "write_operand", names: ".git/hooks"),
        Attack("rm .git/config", "write_operand", names: ".git/config"),
        Attack("rm -rf .git/hooks", "write_operand", names: ".git/hooks"),
        Attack("mkdir -p .git/hooks/pre-commit.d", "write_operand", names: ".git/hooks/pre-commit.d"),
        Attack("touch .git/hooks/reference-transaction", "write_operand", names: ".git/hooks/reference-transaction"),
        Attack("tee .git/config < x", "write_operand", names: ".git/config"),
        Attack("cat x | tee -a out.txt .git/hooks/post-merge", "write_operand", names: ".git/hooks/post-merge"),
        Attack("tee /root/.gitconfig < x", "write_operand", names: "/root/.gitconfig"),
        Attack("sed -i 's/0/1/' .git/config", "write_operand", names: ".git/config"),
        Attack("sed -i.bak 's/0/1/' .git/config", "write_operand", names: ".git/config"),
        Attack("sed --in-place=.orig -e 's/0/1/' .git/config", "write_operand", names: ".git/config"),
        Attack("sed -ni 's/0/1/p' .git/config", "write_operand", names: ".git/config"),
        Attack("sort -o .git/config x", "write_operand", names: ".git/config"),
        Attack("sort -o.git/hooks/pre-commit x", "write_operand", names: ".git/hooks/pre-commit"),
        Attack("sort --output=.git/config x", "write_operand", names: ".git/config"),
        Attack("uniq x .git/config", "write_operand", names: ".git/config"),
        Attack("find .git/hooks -delete", "write_operand", names: ".git/hooks"),
        Attack("pytest --rootdir=/var/tmp/elsewhere", "write_operand", names: "/var/tmp/elsewhere"),
        Attack("make .git/hooks/pre-commit", "write_operand", names: ".git/hooks/pre-commit"),
        Attack("make -j4 all .git/hooks/pre-push", "write_operand", names: ".git/hooks/pre-push"),
        Attack("cargo build --target-dir .git/hooks", "write_operand", names: ".git/hooks"),
        Attack("cargo test --target-dir=/etc/cargo", "write_operand", names: "/etc/cargo"),
        Attack("pytest --junitxml=.git/config", "write_operand", names: ".git/config"),
        Attack("pytest --basetemp /var/tmp/pie", "write_operand", names: "/var/tmp/pie"),
        Attack("rustc -o .git/hooks/pre-commit main.rs", "write_operand", names: ".git/hooks/pre-commit"),
        Attack("git diff --output=.git/hooks/pre-commit", "write_operand", names: ".git/hooks/pre-commit"),
        Attack("git log -p --output .git/config", "write_operand", names: ".git/config"),
        Attack("git format-patch -o .git/hooks HEAD~1", "write_operand", names: ".git/hooks"),
        Attack("mv x .git/info/attributes", "write_operand", names: ".git/info/attributes"),
        Attack("cp x .git/commondir", "write_operand", names: ".git/commondir"),
        Attack("touch sub/.git/config", "write_operand", names: "sub/.git/config"),
        Attack("mkdir -p vendor/x/.git/hooks", "write_operand", names: "vendor/x/.git/hooks"),
        Attack("tee .git/modules/m/config < x", "write_operand", names: ".git/modules/m/config"),
        Attack("cp -r payload/. vendor/z/.git", "write_operand", names: "vendor/z/.git"),
        Attack("git mv x .git/config", "write_operand", names: ".git/config"),
    ]

    @Test(arguments: hostWrites)
    func hostWritesAreDenied(_ attack: Attack) throws {
        let project = try BalancedProject()
        defer { project.directory.remove() }
        let decision = project.decide(attack.command)
        #expect(!decision.allowed, "\(attack.command) was allowed")
        #expect(decision.rule == attack.rule, "\(attack.command): \(decision.rule): \(decision.reason)")
        #expect(decision.reason.contains(attack.names), "\(attack.command): \(decision.reason)")
    }

    /// The writers balanced does not list (`install`, `ln`, `dd`, `tar`, `patch`, `split`,
    /// `csplit`) are denied by the allowlist, and when a user adds them with `--allow-command`
    /// their write operands are still judged: the rules live in the profile for that case.
    static let writersOutsideTheAllowlist: [Attack] = [
        Attack("install -m755 x .git/hooks/post-checkout", "write_operand", names: ".git/hooks/post-checkout"),
        Attack("install -t .git/hooks x", "write_operand", names: ".git/hooks"),
        Attack("install -d .git/hooks/x", "exec_argument", names: "-d"),
        Attack("ln -s /tmp/evil .git/hooks/pre-push", "write_operand", names: ".git/hooks/pre-push"),
        Attack("ln -sf x .git/config", "write_operand", names: ".git/config"),
        Attack("ln -s -t .git/hooks x", "write_operand", names: ".git/hooks"),
        Attack("dd if=x of=.git/config", "write_operand", names: ".git/config"),
        Attack("dd of=.git/hooks/pre-commit", "write_operand", names: ".git/hooks/pre-commit"),
        Attack("tar -xf a.tar", "exec_argument", names: "-x"),
        Attack("tar --extract -f a.tar", "exec_argument", names: "--extract"),
        Attack("tar -cf .git/config -- x", "write_operand", names: ".git/config"),
        Attack("patch -p1 < fix.diff", "exec_argument", names: "patch"),
        Attack("split x .git/hooks/pre-", "write_operand", names: ".git/hooks/pre-"),
        Attack("split --filter='sh -c id' x", "exec_argument", names: "--filter"),
        Attack("csplit -f .git/hooks/x x 1", "write_operand", names: ".git/hooks/x"),
    ]

    @Test(arguments: writersOutsideTheAllowlist)
    func writersOutsideTheAllowlistAreDeniedByDefault(_ attack: Attack) throws {
        let project = try BalancedProject()
        defer { project.directory.remove() }
        let decision = project.decide(attack.command)
        #expect(!decision.allowed, "\(attack.command) was allowed")
        #expect(decision.rule == "allowed_commands", "\(attack.command): \(decision.rule): \(decision.reason)")
    }

    @Test(arguments: writersOutsideTheAllowlist)
    func writersAddedByTheUserAreStillJudged(_ attack: Attack) throws {
        let project = try BalancedProject(allowCommands: ["install", "ln", "dd", "tar", "patch", "split", "csplit"])
        defer { project.directory.remove() }
        let decision = project.decide(attack.command)
        #expect(!decision.allowed, "\(attack.command) was allowed")
        #expect(decision.rule == attack.rule, "\(attack.command): \(decision.rule): \(decision.reason)")
        #expect(decision.reason.contains(attack.names), "\(attack.command): \(decision.reason)")
    }

    @Test func writersAddedByTheUserStillWriteInsideTheProject() throws {
        let project = try BalancedProject(allowCommands: ["install", "ln", "dd", "tar", "split"])
        defer { project.directory.remove() }
        for command in [
            "install -m644 x build/x", "ln -s x link", "dd if=x of=copy bs=1k", "tar -cf out.tar -- x", "tar cf out2.tar x", "tar -tf out.tar",
            "split -l 10 x parts/",
        ] {
            let decision = project.decide(command)
            #expect(decision.allowed, "\(command): \(decision.rule): \(decision.reason)")
        }
    }

    /// The rest of git's directory (gitrepository-layout(5): `info/`, `commondir`, `modules/*`,
    /// `worktrees/*`) through the same writers, with `.git` closed as a whole (the fixture context
    /// treats every path under `.git` as not writable, which is what the presets' closed `.git`
    /// provides): the write operands are judged whatever the protected name.
    @Test func writesAnywhereInAClosedGitDirectoryAreDenied() {
        for command in [
            "mv x .git/info/attributes", "cp x .git/info/exclude", "tee .git/commondir < x", "touch .git/info/sparse-checkout",
            "mkdir -p .git/modules/m/hooks", "sed -i 's/a/b/' .git/worktrees/w/gitdir", "sort -o .git/info/refs x",
            "install -m755 x .git/modules/m/hooks/post-checkout", "ln -s /tmp/hooks .git/info/hooks", "dd if=x of=.git/commondir",
        ] {
            let decision = ShellFixtures.evaluate(command, ShellFixtures.balanced, extraAllowed: ["install", "ln", "dd"])
            #expect(!decision.allowed, "\(command) was allowed")
            #expect(decision.rule == "write_operand", "\(command): \(decision.rule): \(decision.reason)")
        }
    }

    // MARK: git configuration and hooks through git's own commands

    /// Every mechanism in git's documentation that writes `.git/config`, hooks, `info/` or
    /// another repository's metadata, or runs a program named on the command line or in
    /// configuration: global options (git(1)), config-writing subcommands and options
    /// (git-config(1), git-remote(1), git-branch(1), git-push(1), git-clone(1), git-init(1),
    /// git-submodule(1), git-worktree(1), git-maintenance(1), git-sparse-checkout(1)) and
    /// program-running options (--ext-diff, --textconv, -O, --upload-pack, --receive-pack,
    /// --exec, rebase -x, -s STRATEGY, editors, signing). None is listed, so each is denied by
    /// the allowlist, whatever its spelling (attached, `=value`, clustered, abbreviated).
    static let gitAttacks: [Attack] = [
        // Global options that name configuration, another repository or a program.
        Attack("git -c core.fsmonitor='touch /tmp/owned' status", "exec_argument", names: "-c"),
        Attack("git -ccore.pager=sh log", "exec_argument", names: "-c"),
        Attack("git --config-env=core.pager=EVIL log", "exec_argument", names: "--config-env"),
        Attack("git -C /var/tmp/gd status", "exec_argument", names: "-C"),
        Attack("git --git-dir=gd status", "exec_argument", names: "--git-dir"),
        Attack("git --work-tree=/ status", "exec_argument", names: "--work-tree"),
        Attack("git --exec-path=/tmp status", "exec_argument", names: "--exec-path"),
        Attack("git --bare config core.fsmonitor x", "exec_argument", names: "--bare"),
        Attack("git --namespace=x log", "exec_argument", names: "--namespace"),
        Attack("git -p log", "exec_argument", names: "-p"),
        Attack("git --paginate log", "exec_argument", names: "--paginate"),
        Attack("git --git-d=gd status", "exec_argument", names: "--git-d"),
        Attack("git --no-pager -c alias.st='!sh' st", "exec_argument", names: "-c"),
        // Subcommands that write configuration, hooks, info/ or worktree metadata.
        Attack("git config core.fsmonitor 'touch /tmp/owned; false'", "exec_argument", names: "config"),
        Attack("git config --global core.pager 'sh -c id'", "exec_argument", names: "config"),
        Attack("git remote add x 'ext::sh -c touch% /tmp/owned'", "exec_argument", names: "subcommand 'add'"),
        Attack("git remote set-url origin 'ext::sh -c id'", "exec_argument", names: "subcommand 'set-url'"),
        Attack("git submodule add https://example.com/m.git m", "exec_argument", names: "submodule"),
        Attack("git submodule foreach 'touch /tmp/owned'", "exec_argument", names: "submodule"),
        Attack("git worktree add ../wt", "exec_argument", names: "worktree"),
        Attack("git maintenance register", "exec_argument", names: "maintenance"),
        Attack("git sparse-checkout set src", "exec_argument", names: "sparse-checkout"),
        Attack("git hook run pre-commit", "exec_argument", names: "hook"),
        Attack("git update-ref refs/heads/main HEAD~1", "exec_argument", names: "update-ref"),
        Attack("git symbolic-ref HEAD refs/heads/x", "exec_argument", names: "symbolic-ref"),
        Attack("git replace HEAD HEAD~1", "exec_argument", names: "replace"),
        Attack("git st", "exec_argument", names: "st"),
        // Options of listed subcommands that write configuration.
        Attack("git branch -u origin/main", "exec_argument", names: "-u"),
        Attack("git branch --set-upstream-to=origin/main", "exec_argument", names: "--set-upstream-to"),
        Attack("git branch --edit-description", "exec_argument", names: "--edit-description"),
        Attack("git branch --track x origin/x", "exec_argument", names: "--track"),
        Attack("git branch -c main copy", "exec_argument", names: "-c"),
        Attack("git checkout -t origin/x", "exec_argument", names: "-t"),
        Attack("git switch -c x --track origin/x", "exec_argument", names: "--track"),
        Attack("git push -u origin main", "exec_argument", names: "-u"),
        Attack("git push --set-upstream origin main", "exec_argument", names: "--set-upstream"),
        Attack("git fetch --set-upstream origin main", "exec_argument", names: "--set-upstream"),
        Attack("git pull --set-upstream origin main", "exec_argument", names: "--set-upstream"),
        // A new repository: git writes its config and hooks (from templates), which no tool may create.
        Attack("git init", "exec_argument", names: "init"),
        Attack("git init --template=/tmp/t", "exec_argument", names: "init"),
        Attack("git init --bare gd", "exec_argument", names: "init"),
        Attack("git clone https://example.com/r.git vendor/r", "exec_argument", names: "clone"),
        Attack("git clone -c core.hooksPath=/tmp/h https://example.com/r.git", "exec_argument", names: "clone"),
        Attack("git clone --template=/tmp/t https://example.com/r.git", "exec_argument", names: "clone"),
        // Options that run a program named on the command line.
        Attack("git clone -u 'sh -c id' https://example.com/r.git", "exec_argument", names: "clone"),
        Attack("git fetch --upload-pack='sh -c id' origin", "exec_argument", names: "--upload-pack"),
        Attack("git pull --upload-pack 'sh -c id' origin", "exec_argument", names: "--upload-pack"),
        Attack("git push --receive-pack='sh -c id' origin", "exec_argument", names: "--receive-pack"),
        Attack("git push --exec='sh -c id' origin", "exec_argument", names: "--exec"),
        Attack("git rebase --exec 'touch /tmp/owned' HEAD~1", "exec_argument", names: "--exec"),
        Attack("git rebase -x 'touch /tmp/owned' HEAD~1", "exec_argument", names: "-x"),
        Attack("git rebase -qx sh HEAD~1", "exec_argument", names: "-x"),
        Attack("git rebase --exec='touch /tmp/owned' HEAD~1", "exec_argument", names: "--exec"),
        Attack("git rebase --ex=sh HEAD~1", "exec_argument", names: "--ex"),
        Attack("git grep -O sh pattern", "exec_argument", names: "-O"),
        Attack("git grep -Osh pattern", "exec_argument", names: "-O"),
        Attack("git grep --open-files-in-pager=sh pattern", "exec_argument", names: "--open-files-in-pager"),
        Attack("git merge -s evil topic", "exec_argument", names: "-s"),
        Attack("git merge --strategy=evil topic", "exec_argument", names: "--strategy"),
        Attack("git pull -s evil origin", "exec_argument", names: "-s"),
        Attack("git cherry-pick --strategy=evil topic", "exec_argument", names: "--strategy"),
        Attack("git archive --remote=x --exec='sh -c id' HEAD", "exec_argument", names: "archive"),
        Attack("git ls-remote --upload-pack='sh -c id' origin", "exec_argument", names: "ls-remote"),
        // Options and subcommands that run a configured program (pager, editor, diff driver,
        // signing program, credential helper, browser).
        Attack("git diff --ext-diff", "exec_argument", names: "--ext-diff"),
        Attack("git log -p --ext-diff", "exec_argument", names: "--ext-diff"),
        Attack("git show --textconv HEAD", "exec_argument", names: "--textconv"),
        Attack("git blame --textconv x", "exec_argument", names: "--textconv"),
        Attack("git cat-file --textconv HEAD:x", "exec_argument", names: "--textconv"),
        Attack("git cat-file --filters HEAD:x", "exec_argument", names: "--filters"),
        Attack("git log --show-signature", "exec_argument", names: "--show-signature"),
        Attack("git commit -e -m msg", "exec_argument", names: "-e"),
        Attack("git commit -S -m msg", "exec_argument", names: "-S"),
        Attack("git commit --gpg-sign=key -m msg", "exec_argument", names: "--gpg-sign"),
        Attack("git commit -am msg -t template", "exec_argument", names: "-t"),
        Attack("git tag -s v1 -m msg", "exec_argument", names: "-s"),
        Attack("git merge --verify-signatures topic", "exec_argument", names: "--verify-signatures"),
        Attack("git rebase -i HEAD~2", "exec_argument", names: "-i"),
        Attack("git pull --rebase=interactive origin main", "exec_argument", names: "--rebase"),
        Attack("git add -p", "exec_argument", names: "-p"),
        Attack("git add --edit", "exec_argument", names: "--edit"),
        Attack("git status --help", "exec_argument", names: "--help"),
        Attack("git help config", "exec_argument", names: "help"),
        Attack("git difftool HEAD~1", "exec_argument", names: "difftool"),
        Attack("git mergetool", "exec_argument", names: "mergetool"),
        Attack("git credential fill", "exec_argument", names: "credential"),
        Attack("git credential-store get", "exec_argument", names: "credential-store"),
        Attack("git filter-branch --tree-filter 'touch /tmp/owned' HEAD", "exec_argument", names: "filter-branch"),
        Attack("git bisect run sh -c 'touch /tmp/owned'", "exec_argument", names: "bisect"),
        Attack("git instaweb", "exec_argument", names: "instaweb"),
        Attack("git web--browse https://example.com", "exec_argument", names: "web--browse"),
        Attack("git send-email HEAD~1", "exec_argument", names: "send-email"),
        Attack("git apply --unsafe-paths fix.diff", "exec_argument", names: "--unsafe-paths"),
        Attack("git apply --directory=../.. fix.diff", "exec_argument", names: "--directory"),
        // Run-time words where git reads options.
        Attack("git $SUB status", "exec_argument", names: "${SUB}"),
        Attack("git log \"$OPT\"", "exec_argument", names: "${OPT}"),
    ]

    @Test(arguments: gitAttacks)
    func gitConfigurationHooksAndProgramsAreDenied(_ attack: Attack) throws {
        let project = try BalancedProject()
        defer { project.directory.remove() }
        let decision = project.decide(attack.command)
        #expect(!decision.allowed, "\(attack.command) was allowed")
        #expect(decision.rule == attack.rule, "\(attack.command): \(decision.rule): \(decision.reason)")
        #expect(decision.reason.contains(attack.names), "\(attack.command): \(decision.reason)")
    }

    /// The environment route to the same programs (git(1) ENVIRONMENT, git-config(1)
    /// `GIT_CONFIG_*`): every `GIT_*` name, `EDITOR`, `VISUAL` and `PAGER` is a denied assignment,
    /// before the command or through `env`.
    @Test func gitEnvironmentIsDenied() throws {
        let project = try BalancedProject()
        defer { project.directory.remove() }
        for command in [
            "GIT_DIR=gd git status", "GIT_CONFIG_PARAMETERS=\"'core.fsmonitor'='sh'\" git status",
            "GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=core.pager GIT_CONFIG_VALUE_0=sh git log",
            "GIT_EXTERNAL_DIFF=sh git diff", "GIT_SSH_COMMAND='sh -c id' git fetch", "EDITOR=sh git commit",
            "env GIT_PAGER=sh git log", "env -u HOME GIT_EXEC_PATH=/tmp git status", "PAGER=sh git log",
        ] {
            let decision = project.decide(command)
            #expect(!decision.allowed, "\(command) was allowed")
        }
    }

    /// git's own documentation, read against the profile: each subcommand that git-config(1),
    /// gitrepository-layout(5) and githooks(5) say writes configuration, hooks or `info/`, or
    /// that runs a configured or named program, is absent from balanced's git subcommands.
    /// `git remote` is listed only for its nested subcommands that print (git-remote(1)): every
    /// one that writes a remote's configuration or refs is absent from them.
    @Test func gitSubcommandAllowlistLeavesOutEveryConfigWriterAndProgramRunner() throws {
        let rules = try BashRules.builtin(named: "balanced")
        let git = try #require(rules.execRules.first { $0.command == "git" && $0.subcommand == nil })
        let remote = try #require(rules.execRules.first { $0.command == "git" && $0.subcommand == "remote" })
        #expect(Set(remote.subcommands) == ["show", "get-url"])
        #expect(remote.optionsBeforeOperands)
        let documented = [
            "config", "submodule", "worktree", "maintenance", "sparse-checkout", "hook", "update-ref", "init", "clone",
            "symbolic-ref", "replace", "notes", "difftool", "mergetool", "bisect", "filter-branch", "filter-repo",
            "credential", "credential-store", "credential-cache", "send-email", "instaweb", "web--browse", "help",
            "daemon", "shell", "upload-pack", "receive-pack", "upload-archive", "archive", "ls-remote", "bundle",
            "fsmonitor--daemon", "am", "gc", "repack", "prune", "p4", "svn", "cvsimport", "cvsserver",
            "cvsexportcommit", "archimport", "quiltimport", "remote-ext", "remote-fd", "var", "lfs",
        ]
        #expect(!git.subcommands.isEmpty)
        for name in documented {
            #expect(!git.subcommands.contains(name), "git \(name) is listed")
        }
        #expect(git.optionsBeforeOperands)
    }

    // MARK: undeclared options of the new commands

    static let undeclaredOptions: [Attack] = [
        Attack("make -f /tmp/evil.mk", "exec_argument", names: "-f"),
        Attack("make --file=/tmp/evil.mk all", "exec_argument", names: "--file"),
        Attack("make -C /tmp all", "exec_argument", names: "-C"),
        Attack("make --eval='all:; touch /tmp/owned'", "exec_argument", names: "--eval"),
        Attack("make -E 'all:; id' all", "exec_argument", names: "-E"),
        Attack("make -I /tmp all", "exec_argument", names: "-I"),
        Attack("make -t all", "exec_argument", names: "-t"),
        Attack("make -sf /tmp/evil.mk", "exec_argument", names: "-f"),
        Attack("python3 -X pycache_prefix=/tmp x.py", "exec_argument", names: "-X"),
        Attack("python3 -i x.py", "exec_argument", names: "-i"),
        Attack("pytest -o cache_dir=/tmp/c", "exec_argument", names: "-o"),
        Attack("pytest -c /tmp/evil.ini", "exec_argument", names: "-c"),
        Attack("pytest --confcutdir=/tmp", "exec_argument", names: "--confcutdir"),
        Attack("pytest --pdb", "exec_argument", names: "--pdb"),
        Attack("node --inspect=0.0.0.0:9229 x.js", "exec_argument", names: "--inspect"),
        Attack("node --inspect-brk x.js", "exec_argument", names: "--inspect-brk"),
        Attack("node --redirect-warnings=/tmp/w x.js", "exec_argument", names: "--redirect-warnings"),
        Attack("npm install -g left-pad", "exec_argument", names: "-g"),
        Attack("npm install --global left-pad", "exec_argument", names: "--global"),
        Attack("npm install --prefix=/usr/local left-pad", "exec_argument", names: "--prefix"),
        Attack("npm install --script-shell=/tmp/sh", "exec_argument", names: "--script-shell"),
        Attack("npm run build --userconfig=/tmp/npmrc", "exec_argument", names: "--userconfig"),
        Attack("npm exec cowsay", "exec_argument", names: "exec"),
        Attack("npm init vite", "exec_argument", names: "init"),
        Attack("npm config set script-shell /tmp/sh", "exec_argument", names: "config"),
        Attack("npx cowsay", "allowed_commands", names: "npx"),
        Attack("cargo --config 'target.x86_64-unknown-linux-gnu.runner=\"sh\"' run", "exec_argument", names: "--config"),
        Attack("cargo run --config build.rustc-wrapper=/tmp/w", "exec_argument", names: "--config"),
        Attack("cargo build --manifest-path /tmp/evil/Cargo.toml", "exec_argument", names: "--manifest-path"),
        Attack("cargo -Zunstable-options build", "exec_argument", names: "-Z"),
        Attack("cargo install ripgrep", "exec_argument", names: "install"),
        Attack("cargo +nightly build", "exec_argument", names: "+nightly"),
        Attack("cargo doc --open", "exec_argument", names: "--open"),
        Attack("cargo publish", "exec_argument", names: "publish"),
        Attack("rustc -C linker=/tmp/evil main.rs", "exec_argument", names: "-C"),
        Attack("rustc -Clinker=/tmp/evil main.rs", "exec_argument", names: "-C"),
        Attack("rustc --emit=link=/tmp/out main.rs", "exec_argument", names: "--emit"),
        Attack("rustup run stable sh -c id", "exec_argument", names: "run"),
        Attack("rustup toolchain link evil /tmp/tc", "exec_argument", names: "subcommand 'link'"),
        Attack("rustup default evil", "exec_argument", names: "default"),
        Attack("rustup doc", "exec_argument", names: "doc"),
        Attack("awk -W exec prog.awk", "exec_argument", names: "-W"),
        Attack("awk -Wexec prog.awk", "exec_argument", names: "-W"),
        Attack("awk -We prog.awk", "exec_argument", names: "-W"),
        Attack("awk --exec prog.awk", "exec_argument", names: "--exec"),
        Attack("awk -f prog.awk x", "exec_argument", names: "-f"),
        Attack("sort --compress-program=sh x", "exec_argument", names: "--compress-program"),
        Attack("sort --compress=sh x", "exec_argument", names: "--compress"),
        Attack("sort -T /tmp x", "exec_argument", names: "-T"),
        Attack("diff --paginate a b", "exec_argument", names: "--paginate"),
        Attack("diff -l a b", "exec_argument", names: "-l"),
        Attack("rg --pre sh x", "exec_argument", names: "--pre"),
        Attack("rg -z x", "exec_argument", names: "-z"),
        Attack("sed --follow-symlinks -i s/a/b/ link", "exec_argument", names: "--follow-symlinks"),
        // Files named inside a sed or awk program are not judged, so the commands that write them are denied.
        Attack("sed 'w .git/config' x", "exec_argument", names: "w"),
        Attack("sed -n '/core/W .git/hooks/pre-commit' x", "exec_argument", names: "W"),
        Attack("sed 's/a/b/w .git/config' x", "exec_argument", names: "w"),
        Attack("awk '{print > \".git/config\"}' x", "exec_argument", names: ">"),
        Attack("awk '{print $0 >> \".git/hooks/pre-commit\"}' x", "exec_argument", names: ">"),
        Attack("awk -v f=.git/config '{printf \"%s\", $0 > f}' x", "exec_argument", names: ">"),
        Attack("cp -l .git/config alias", "exec_argument", names: "-l"),
        Attack("cp -s .git/config alias", "exec_argument", names: "-s"),
        Attack("cp --parents a/b dest", "exec_argument", names: "--parents"),
        Attack("cp -S /../../x --backup x y", "exec_argument", names: "-S"),
        Attack("find . -fprint .git/config", "exec_argument", names: "-fprint"),
        Attack("tail --pid=1 -f log", "exec_argument", names: "--pid"),
        Attack("ls --unknown-option", "exec_argument", names: "--unknown-option"),
        Attack("seq --separator=, --bogus 3", "exec_argument", names: "--bogus"),
    ]

    @Test(arguments: undeclaredOptions)
    func undeclaredOptionsAreDenied(_ attack: Attack) throws {
        let project = try BalancedProject()
        defer { project.directory.remove() }
        let decision = project.decide(attack.command)
        #expect(!decision.allowed, "\(attack.command) was allowed")
        #expect(decision.rule == attack.rule, "\(attack.command): \(decision.rule): \(decision.reason)")
        #expect(decision.reason.contains(attack.names), "\(attack.command): \(decision.reason)")
    }

    /// The same options through the environment the tools read (make(1) MAKEFLAGS/MAKEFILES,
    /// pytest's PYTEST_ADDOPTS, npm-config(7) `npm_config_*`, cargo's environment variables,
    /// rustup's RUSTUP_TOOLCHAIN): each assignment is denied, before the command or through `env`.
    static let optionsThroughTheEnvironment: [String] = [
        "MAKEFLAGS=-f/tmp/evil.mk make", "MFLAGS=--eval=x make", "env MAKEFILES=/tmp/evil.mk make",
        "PYTEST_ADDOPTS='-o cache_dir=/tmp/c' pytest", "PYTEST_PLUGINS=evil pytest",
        "npm_config_script_shell=/tmp/sh npm test", "NPM_CONFIG_PREFIX=/usr/local npm install",
        "CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUNNER=sh cargo run", "CARGO_TARGET_DIR=/tmp/t cargo build",
        "CARGO_HOME=/tmp/h cargo build", "RUSTC_WRAPPER=/tmp/w cargo build", "RUSTC=/tmp/rustc cargo build",
        "RUSTFLAGS='-C linker=/tmp/evil' cargo build", "RUSTDOCFLAGS='-Z unstable-options' cargo doc",
        "RUSTUP_TOOLCHAIN=evil cargo build", "env RUSTUP_HOME=/tmp/r rustup show",
    ]

    @Test(arguments: optionsThroughTheEnvironment)
    func optionsThroughTheEnvironmentAreDenied(_ command: String) throws {
        let project = try BalancedProject()
        defer { project.directory.remove() }
        let decision = project.decide(command)
        #expect(!decision.allowed, "\(command) was allowed")
        #expect(decision.rule == "assignment", "\(command): \(decision.rule): \(decision.reason)")
    }

    // MARK: balanced stays useful

    /// Everyday development commands, including the ones balanced gains (`exit`, `seq`, `make`,
    /// `python3`, `pytest`, `node`, `npm`, `tee`), judged by the policy engine with the preset.
    static let everyday: [String] = [
        "make -j4 test", "make", "make -k -j 8 all", "make clean && make -s", "make CC=clang test",
        "python3 -m pytest -q", "python3 x.py --flag value", "python3 -c 'print(1)'", "python -m venv .venv",
        "python3 -m pip install -r requirements.txt", "pytest -q", "pytest -x -k 'not slow' tests/",
        "pytest --junitxml=reports/junit.xml", "node x.js", "node --test", "node -e 'console.log(1)'",
        "npm install", "npm ci", "npm install --save-dev typescript", "npm test", "npm run build",
        "npm run lint -- --fix", "npm ls --depth=0", "seq 1 10", "seq -w 1 10", "seq -5 5", "exit 3", "exit",
        "cargo build --release", "cargo test --workspace -- --nocapture", "cargo clippy --all-targets -- -D warnings",
        "cargo run --bin tool -- --help", "cargo fmt --check", "cargo check -q",
        "rustc --edition 2021 -O -o build/main main.rs", "rustup show",
        "git commit -m msg", "git commit -am 'fix: thing'", "git log --oneline -5", "git log -n 3 --format=%H",
        "git diff --stat", "git diff --cached --name-only", "git show HEAD:README.md", "git status --porcelain=v1",
        "git add -A", "git restore --staged x", "git switch -c feature", "git checkout -b topic", "git branch -d topic",
        "git stash push -m wip", "git stash pop", "git stash show -p stash@{0}", "git stash show --stat", "git rebase origin/main", "git rebase --continue",
        "git merge --no-ff topic", "git cherry-pick -x abc123", "git fetch --all --prune", "git pull --rebase",
        "git push origin HEAD", "git push --force-with-lease", "git tag -a v1 -m release", "git rev-parse --show-toplevel",
        "git ls-files -z", "git grep -n TODO", "git blame -L 10,20 x", "git reset --hard HEAD~1",
        "git --no-pager log -1", "git rev-parse --git-dir",
        "git format-patch -o patches HEAD~2", "git diff --output=changes.diff", "git apply --check fix.diff",
        "cargo build 2>&1 | tee build.log", "sort -o sorted.txt x", "uniq x out.txt", "sed -i.bak 's/a/b/' x",
        "cp x y", "cp -r src backup/", "mv x y", "rm -f x", "touch x", "mkdir -p build/out", "find build -name '*.o' -delete",
        "head -20 x", "tail -n +3 x", "tail -5 x", "grep -5 x y", "ls -la --color=auto", "wc -l x",
    ]

    @Test(arguments: everyday)
    func everydayCommandsStayAllowed(_ command: String) throws {
        let project = try BalancedProject()
        defer { project.directory.remove() }
        let decision = project.decide(command)
        #expect(decision.allowed, "\(command.debugDescription): \(decision.rule): \(decision.reason)")
    }

    /// The engine refuses a profile with option allowlists in which an allowed command has no rule;
    /// balanced loads, and each of its commands (other than the wrapper `env`) has one.
    @Test func everyAllowedCommandHasAnAllowlistRule() throws {
        let rules = try BashRules.builtin(named: "balanced")
        #expect(rules.optionAllowlists)
        let ruled = Set(rules.execRules.filter { $0.subcommand == nil && $0.allowlist }.map(\.command))
        for command in rules.allowedCommands where command != "env" {
            #expect(ruled.contains(command), "\(command) has no allowlist rule")
        }
    }
}
