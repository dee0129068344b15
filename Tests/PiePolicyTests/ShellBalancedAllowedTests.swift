import Testing

@testable import PiePolicy

@Suite("Balanced profile: near-misses that are allowed")
struct ShellBalancedAllowedTests {
    static let commands: [String] = [
        "git status && git diff",
        "grep -rn foo .",
        "rm -rf target",
        "ls -la | head -5",
        "cat README.md > out.txt",
        "cat README.md >> /work/project/log/out.txt",
        "echo \"a;b && c\"",
        "echo 'rm -rf / ; curl x | sh'",
        "find . -name '*.swift'",
        "find . -name '*.txt' -exec grep -l foo -- {} +",
        "find . -type f -exec wc -l -- {} \\;",
        "printf '%s\\n' x",
        "printf '%s=%d\\n' \"$name\" \"$count\"",
        "[ -f README.md ] && cat README.md",
        "[ -n \"$x\" ] || test -z \"$(git status --porcelain)\"",
        "FOO=1 git status",
        "env FOO=1 ls",
        "cd sub && ls",
        "cd sub && echo x > out.txt",
        "sort -u a",
        "echo x 2>/dev/null",
        "ls 2>&1 | wc -l",
        "cargo build 2>&1 | tail -20",
        "l\\s",
        "'l''s' -la",
        "echo $(git rev-parse HEAD)",
        "echo \"commit: `git rev-parse HEAD`\"",
        "sed -i 's/a/b/g' file.txt",
        "sed -n '1,5p' file",
        "sed -e 's/a/b/' -e '/x/d' file",
        "awk '{print $1}' file",
        "awk -F: '100 < $3 {print $1}' /etc/passwd",
        "git log --oneline -5",
        "git commit -m \"fix: $(echo thing)\"",
        "git add -- *.swift",
        "timeout 60 cargo test",
        "find . -print0 | xargs -0 grep foo --",
        "sh -c 'ls && pwd'",
        "bash -c \"echo hi\"",
        "command -v rg",
        "cat <<'EOF' > notes.txt\n$(not run)\nEOF\n",
        "cat <<EOF\nhello $USER\nEOF\n",
        "if [ -f x ]; then cat x; else echo none; fi",
        "for f in *.swift; do wc -l -- \"$f\"; done",
        "echo $((1 + 2))",
        "eval 'ls -la'",
        "mkdir -p build && touch build/x",
        "echo \"${HOME}\"",
        "echo ${x:0:3} ${x: -1} ${arr[@]} ${#x} ${x:-default} ${x#*/} $[1+2]",
        "rg -n 'fn main' src",
        "ls # a comment",
        "sleep 1 &",
        "while test -f lock; do echo \"$line\"; sleep 1; done < input.txt",
        "case \"$1\" in a|b) echo ab;; *) echo other;; esac",
        "(cd sub && ls)",
        "{ ls; pwd; } > listing.txt",
        "true",
        "",
        "   ",
        "nice -n 10 cargo build",
        "xargs",
        "diff -u a b",
        "git diff HEAD~1 -- src/",
    ]

    @Test(arguments: commands) func allowed(_ command: String) {
        let decision = ShellFixtures.evaluate(command, ShellFixtures.balanced)
        #expect(decision.allowed, "\(command.debugDescription): \(decision.rule): \(decision.reason)")
        #expect(decision.rule == "allowed")
        #expect(decision.trace.allSatisfy { $0.outcome != .deny })
    }

    @Test func traceNamesEveryCommandJudged() {
        let decision = ShellFixtures.evaluate("git status && ls | wc -l", ShellFixtures.balanced)
        let judged = decision.trace.filter { $0.check == "allowed_commands" }.map(\.detail)
        #expect(judged.count == 3)
        #expect(judged.contains { $0.contains("'git'") })
        #expect(judged.contains { $0.contains("'wc'") })
    }

    @Test func balancedStillDeniesDangerousInnerCommands() {
        for command in [
            "echo $(curl x)", "find . -exec curl x \\;", "ls | xargs perl", "sh -c 'perl x.pl'",
            "eval 'curl x'", "sed 'e id' f", "rustup run stable sh -c 'curl x'", "[ \"$op\" 'a[$(id)]' ]", "awk 'BEGIN{system(\"id\")}'", "find . -exec sed -i s/a/b/ {} +",
        ] {
            let decision = ShellFixtures.evaluate(command, ShellFixtures.balanced)
            #expect(!decision.allowed, "\(command.debugDescription) was allowed")
        }
    }

    @Test func permissiveAllowsAnyParseableCommand() {
        for command in ["python3 x.py", "curl x | sh", "echo x > /etc/x", "eval \"$X\"", "f() { rm x; }; f &"] {
            let decision = ShellFixtures.evaluate(command, ShellFixtures.permissive)
            #expect(decision.allowed, "\(command.debugDescription): \(decision.reason)")
        }
        for command in ["echo 'a", "ls\rrm", "bash -c 'echo \"'"] {
            let decision = ShellFixtures.evaluate(command, ShellFixtures.permissive)
            #expect(!decision.allowed, "\(command.debugDescription) was allowed")
        }
    }

    @Test func strictAllowsPlainReadOnlyCommands() {
        for command in [
            "ls -la | head -5", "grep -rn foo . | wc -l", "cat a > out.txt", "l\\s", "find . -name '*.swift'",
            "sed -n '1,5p' f", "awk '{print $1}' f", "cd sub && ls", "echo x 2>/dev/null", "env FOO=1 ls",
            "command -v rg", "timeout 5 ls", "sort -u a -- b",
        ] {
            let decision = ShellFixtures.evaluate(command, ShellFixtures.strict)
            #expect(decision.allowed, "\(command.debugDescription): \(decision.reason)")
        }
    }

    @Test func denialReasonNamesCommandAndProfile() {
        let decision = ShellFixtures.evaluate("ls && perl x.pl", ShellFixtures.balanced)
        #expect(decision.rule == "allowed_commands")
        #expect(decision.reason.hasPrefix("command 'perl' is not allowed by the 'balanced' bash profile (allowed: "))
        #expect(decision.reason.contains("awk, basename"))
    }
}
