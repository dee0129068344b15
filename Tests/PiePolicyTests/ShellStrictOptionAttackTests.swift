import Testing

@testable import PiePolicy

/// Attacks on the strict profile's option allowlists, by class, written from the commands' own
/// documentation (mawk(1) `-W`, gawk(1) options, GNU sed, sort, find, diff, tail, ripgrep and fd
/// option lists): every option that runs a program, loads code or writes a file must be denied,
/// in every spelling the command's parser accepts.
@Suite("Strict profile: undeclared options")
struct ShellStrictUndeclaredOptionTests {
    static let cases: [String] = [
        // mawk: -W exec FILE (also -Wexec, -We, -W e, -Wex) reads the program from a file.
        "awk -W exec prog.awk", "awk -Wexec prog.awk", "awk -We prog.awk", "awk -W e prog.awk",
        "awk -Wex prog.awk", "awk -W e -- prog.awk", "awk -F, -W exec prog.awk", "awk -v x=1 -Wexec prog.awk",
        "awk -W interactive 1", "awk -W dump 1", "awk -W sprintf=99 1", "awk -W posix_space 1",
        // gawk: program files, includes, extensions, files written by debugging options.
        "awk -f prog.awk", "awk --file=prog.awk", "awk --file prog.awk", "awk --fi=prog.awk", "awk -E prog.awk",
        "awk --exec prog.awk", "awk --exec=prog.awk", "awk -i inc 1", "awk --include=inc 1", "awk -l ext 1",
        "awk --load=ext 1", "awk -e 'BEGIN{}'", "awk --source='BEGIN{}'", "awk --dump-variables=/tmp/x 1",
        "awk -d/tmp/x 1", "awk -p/tmp/x 1", "awk --profile=/tmp/x 1", "awk -o/tmp/x 1",
        "awk --pretty-print=/tmp/x 1", "awk -D 1", "awk --debug 1", "awk -M 1", "awk -b 1", "awk -c 1",
        "awk -Fx -f prog.awk", "awk -vx=1 -f prog.awk", "awk --characters-as-bytes 1",
        // GNU sed: in place, script files.
        "sed -i s/a/b/ f", "sed -ibak s/a/b/ f", "sed -i.bak s/a/b/ f", "sed -ni p f", "sed -si p f", "sed -Ei p f",
        "sed --in-place s/a/b/ f", "sed --in-place=.bak s/a/b/ f", "sed --in-pl s/a/b/ f", "sed -f s.sed f",
        "sed --file=s.sed f", "sed -nf s.sed f", "sed -z -i p f", "sed --follow-symlinks -i p f",
        // GNU sort: a program for temporary files.
        "sort --compress-program=sh f", "sort --compress-program sh f", "sort --compress=sh f",
        "sort --outp=x f",
        // GNU find: running and deleting, and writing files.
        "find . -exec sh -c id \\;", "find . -execdir id \\;", "find . -ok id \\;", "find . -okdir id \\;",
        "find . -delete", "find . -fprint /tmp/x", "find . -fprint0 /tmp/x", "find . -fprintf /tmp/x %p",
        "find . -fls /tmp/x", "find . -name x -o -exec id \\;", "find . \\( -exec id \\; \\)",
        // GNU diff: -l/--paginate pipes the output through 'pr'.
        "diff -l a b", "diff --paginate a b", "diff --pag a b", "diff -ul a b",
        // ripgrep: preprocessors, hostname program, decompression programs.
        "rg --pre=sh x", "rg --pre sh x", "rg --pre-glob '*' --pre sh x", "rg --hostname-bin=sh x",
        "rg --hostname-bin sh x", "rg -z x", "rg --search-zip x", "rg -iz x",
        // fd: commands per result or batch; --list-details runs ls.
        "fd -x rm", "fd --exec rm", "fd -X rm", "fd --exec-batch rm", "fd -HIx rm", "fd -l", "fd --list-details",
        "fd --batch-size=1 -X rm",
        // tail's follow mode never ends; grep's undocumented matcher option; test and printf.
        "tail -f log", "tail -F log", "tail --follow=name log", "tail --pid=1 -f log", "tail -s 1 -f log",
        "grep -X awk x f", "test -v 'a[$(id)]'", "[ -R x ]", "printf -v PATH /tmp",
        // Options no command of strict has.
        "cat --exec=x f", "ls --pre=sh", "wc --output=x f", "head --follow f", "cut -W x f", "stat --exec f",
        "echo -n x | tr --exec x y", "du --exec x", "basename --pre x", "dirname -x y", "comm --run a b",
        "cmp --exec a b", "realpath --exec x", "pwd -x", "cd -x /tmp",
    ]

    @Test(arguments: cases) func denied(_ command: String) {
        let decision = ShellFixtures.evaluate(command, ShellFixtures.strict)
        #expect(!decision.allowed, "\(command.debugDescription) was allowed")
        #expect(decision.rule == "exec_argument", "\(command.debugDescription): \(decision.rule): \(decision.reason)")
        #expect(decision.trace.last?.outcome == .deny)
    }

    @Test func theReasonNamesTheOptionTheCommandAndWhatIsAllowed() {
        let decision = ShellFixtures.evaluate("awk -Wexec prog.awk", ShellFixtures.strict)
        #expect(
            decision.reason
                == "option '-W' in '-Wexec' of 'awk' is denied by the 'strict' bash profile: awk programs can run "
                + "commands (system, pipes, getline), write files (print >) and load code; programs from files "
                + "(-f, mawk's -W exec, gawk's -E) cannot be checked")
        let undeclared = ShellFixtures.evaluate("awk -b 1", ShellFixtures.strict)
        #expect(
            undeclared.reason
                == "option '-b' of 'awk' is not among the options the 'strict' bash profile allows for 'awk' "
                + "(allowed: -F, -v, --)")
    }

    @Test func argumentsAddedAtRunTimeNeedDoubleDash() {
        #expect(ShellFixtures.evaluate("ls | xargs grep foo", ShellFixtures.strict).rule == "exec_argument")
        #expect(ShellFixtures.evaluate("ls | xargs awk 1", ShellFixtures.strict).rule == "exec_argument")
        #expect(ShellFixtures.evaluate("ls | xargs grep -l foo --", ShellFixtures.strict).allowed)
        #expect(ShellFixtures.evaluate("ls | xargs -0 wc -l --", ShellFixtures.strict).allowed)
    }
}

@Suite("Strict profile: write operands")
struct ShellStrictWriteOperandTests {
    static let cases: [ShellDeniedCase] = [
        .init("sort -o .git/hooks/pre-commit f", "write_operand"),
        .init("sort -o.git/hooks/pre-commit f", "write_operand"),
        .init("sort -uo.git/config f", "write_operand"),
        .init("sort --output=.git/config f", "write_operand"),
        .init("sort --output .git/config f", "write_operand"),
        .init("sort -o ../outside f", "write_operand"),
        .init("sort -o /etc/cron.d/x f", "write_operand"),
        .init("sort -o sub/../../x f", "write_operand"),
        .init("cd .git && sort -o config ../f", "write_operand"),
        .init("cd sub && sort -o ../.git/config f", "write_operand"),
        .init("cd /tmp; sort -o x f", "write_operand"),
        .init("sort -o \"$OUT\" f", "write_operand"),
        .init("sort -o out* f", "write_operand"),
        .init("cd \"$D\" && sort -o x f", "write_operand"),
        .init("sort -T .git/hooks f", "write_operand"),
        .init("sort --temporary-directory=/etc f", "write_operand"),
        .init("uniq f .git/config", "write_operand"),
        .init("uniq -c f /etc/x", "write_operand"),
        .init("uniq f ../x", "write_operand"),
        .init("uniq -- f .git/hooks/post-merge", "write_operand"),
        .init("uniq -- f \"$OUT\"", "write_operand"),
        .init("uniq f \"$OUT\"", "exec_argument"),
        .init("ls | xargs uniq f --", "write_operand"),
        .init("sed -i s/a/b/ .git/config", "exec_argument"),
        .init("tee .git/hooks/pre-commit", "allowed_commands"),
        .init("cp x .git/hooks/pre-commit", "allowed_commands"),
        .init("mv x .git/hooks/pre-commit", "allowed_commands"),
        .init("install x .git/hooks/pre-commit", "allowed_commands"),
        .init("ln -s x .git/hooks/pre-commit", "allowed_commands"),
        .init("dd if=x of=.git/hooks/pre-commit", "allowed_commands"),
        .init("touch .git/hooks/pre-commit", "allowed_commands"),
        .init("mkdir .git/hooks/x", "allowed_commands"),
        .init("rm .git/config", "allowed_commands"),
        .init("truncate -s0 .git/config", "allowed_commands"),
        .init("chmod +x .git/hooks/pre-commit.sample", "allowed_commands"),
        .init("split f .git/hooks/x", "allowed_commands"),
        .init("csplit f 1", "allowed_commands"),
        .init("patch -p1 < x.diff", "allowed_commands"),
        .init("tar -xf a.tar", "allowed_commands"),
    ]

    @Test(arguments: cases) func denied(_ testCase: ShellDeniedCase) {
        let decision = ShellFixtures.evaluate(testCase.command, ShellFixtures.strict)
        #expect(!decision.allowed, "\(testCase.command.debugDescription) was allowed")
        #expect(decision.rule == testCase.rule, "\(testCase.command.debugDescription): \(decision.reason)")
        #expect(decision.trace.last?.outcome == .deny)
    }

    @Test func writesInsideTheProjectAreAllowed() {
        for command in [
            "sort -o out.txt f", "sort -uo sorted.txt f", "sort --output=sub/x f", "uniq f out.txt",
            "uniq -c f /work/project/counts", "sort -o /dev/null f", "cd sub && sort -o x f",
        ] {
            let decision = ShellFixtures.evaluate(command, ShellFixtures.strict)
            #expect(decision.allowed, "\(command.debugDescription): \(decision.reason)")
        }
    }
}

@Suite("Strict profile: everyday commands pass their allowlists")
struct ShellStrictAllowedTests {
    static let commands: [String] = [
        "ls -la", "ls -lhS --color=auto src", "ls -1 --group-directories-first", "cat -n README.md",
        "head -5 f", "head -n 20 f", "head -c100 f", "tail -20 f", "tail -n +5 f", "wc -l f", "wc -lw -- *.swift",
        "grep -rn foo .", "grep -rn --include='*.swift' foo src", "grep -A3 -B2 x f", "grep -3 x f",
        "grep -E 'a|b' f", "grep -e -x -- f", "grep -c x f", "grep --color=never -i x f",
        "rg -n 'fn main' src", "rg --type swift -l foo", "rg -uu -g '!*.lock' foo", "rg --files",
        "fd -e swift", "fd -t f -H name src", "find . -name '*.swift' -type f", "find . -maxdepth 2 -type d -print",
        "find src -newer Package.swift -print0", "find . \\( -name a -o -name b \\) -prune -o -print",
        "find . ! -path './.build/*' -iname '*.md'", "find . -size +1M -printf '%p %s\\n'", "find -L . -mtime -1",
        "sed -n '1,5p' f", "sed -e 's/a/b/g' -e '/x/d' f", "sed -E 's/(a)+/b/' f", "sed --expression='s/a/b/' f",
        "awk '{print $1}' f", "awk -F: '{print $1}' f", "awk -v n=3 'NR < n' f", "awk -F, -- '{print $2}' f",
        "sort -u f", "sort -k2,2n -t, f", "sort -rn f | uniq -c", "sort --key=1 --numeric-sort f",
        "uniq -c f", "cut -d: -f1 f", "cut -c1-10 f", "tr -d '\\r'", "tr a-z A-Z", "diff -u a b",
        "diff -ru --exclude=.git a b", "cmp a b", "comm -12 a b", "du -sh .", "du -h --max-depth=1",
        "stat -c %s f", "realpath --relative-to=. src", "basename -s .swift a.swift", "dirname a/b",
        "echo -----", "echo -n hi", "echo \"$HOME\"", "echo -e 'a\\tb'", "printf '%s\\n' x",
        "printf -- '-%s\\n' x", "pwd", "pwd -P", "cd sub && ls", "cd \"$D\" && ls", "true", "false",
        "[ -f x ] && cat x", "test 1 -eq 2", "[ -n \"$x\" ]", "test -d src -a -f Package.swift",
        "env LC_ALL=C sort f", "timeout 5 grep -r x .", "cat - < f", "ls | head -3",
    ]

    @Test(arguments: commands) func allowed(_ command: String) {
        let decision = ShellFixtures.evaluate(command, ShellFixtures.strict)
        #expect(decision.allowed, "\(command.debugDescription): \(decision.rule): \(decision.reason)")
    }
}
