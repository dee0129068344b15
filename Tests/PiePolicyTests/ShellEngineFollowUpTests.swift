import Foundation
import Testing

@testable import PiePolicy

/// The engine's answers to branch balanced's requests: sources of `mv` and hard links judged as
/// writes, recursive writes over protected paths, write targets through symlinks, assignment
/// patterns without regard to case, and process substitutions as operands. Judged against a
/// real project directory (so symlinks and nested `.git` exist on disk) with the balanced
/// preset's paths, under a profile written here so that it does not move with bash-balanced.toml.
@Suite("Shell engine follow-ups") struct ShellEngineFollowUpTests {
    static let profile = """
        name = "follow-up"
        option_allowlists = true
        allowed_commands = ["mv", "ln", "rm", "cp", "chmod", "find", "diff", "ls", "cat", "cleaner"]
        allow_substitutions = true
        check_redirections = true
        writable_devices = ["/dev/null"]
        denied_assignments = ["npm_config_*", "GIT_*"]

        [[exec_rules]]
        command = "mv"
        flags = ["-f", "-T", "--no-target-directory"]
        target_directory_options = ["-t"]
        no_target_directory_options = ["-T", "--no-target-directory"]
        write_operands = "all_and_last"
        recursive = true
        reason = "mv removes its sources and writes its destination"

        [[exec_rules]]
        command = "ln"
        flags = ["-s", "--symbolic", "-f", "-T"]
        target_directory_options = ["-t"]
        sources_kept_options = ["-s", "--symbolic"]
        no_target_directory_options = ["-T"]
        write_operands = "all_and_last"
        reason = "a hard link makes its target writable under a second name"

        [[exec_rules]]
        command = "rm"
        flags = ["-f", "-r", "-R", "--recursive"]
        recursive_options = ["-r", "-R", "--recursive"]
        write_operands = "all"
        reason = "rm removes its operands"

        [[exec_rules]]
        command = "cp"
        flags = ["-f", "-r", "-R", "--recursive", "-a", "-T"]
        target_directory_options = ["-t"]
        recursive_options = ["-r", "-R", "--recursive", "-a"]
        no_target_directory_options = ["-T"]
        write_operands = "last"
        reason = "cp writes its destination"

        [[exec_rules]]
        command = "chmod"
        flags = ["-R", "-v"]
        recursive_options = ["-R"]
        write_operands = "all"
        reason = "chmod changes its operands"

        [[exec_rules]]
        command = "find"
        flags = ["-print"]
        value_options = ["-name", "-type"]
        in_place_options = ["-delete"]
        recursive_options = ["-delete"]
        reason = "find -delete removes below its starting points"

        [[exec_rules]]
        command = "cleaner"
        flags = ["-n"]
        default_write_targets = ["."]
        recursive = true
        reason = "cleaner removes files below the working directory"

        [[exec_rules]]
        command = "diff"
        flags = ["-u"]
        reason = "diff only reads"

        [[exec_rules]]
        command = "ls"
        flags = ["-l"]
        reason = "ls only reads"

        [[exec_rules]]
        command = "cat"
        reason = "cat only reads"
        """

    let project: TempDirectory
    let rules: BashRules
    let paths: PathPolicy

    init() throws {
        project = try TempDirectory()
        try project.file(".git/config", "[core]\n")
        try project.file(".git/HEAD", "ref: refs/heads/main\n")
        try project.file("src/main.swift")
        try project.file("build/a.o")
        try project.file("nested/.git/config")
        try project.file("tools/.envrc")
        try project.file(".envrc")
        rules = try BashRules(toml: Self.profile, source: "follow-up.toml")
        paths = try buildPolicy(cwd: project.path, preset: .balanced).policy.paths
    }

    func judge(_ command: String) -> Decision {
        let context = PolicyEngine.shellContext(paths: paths, cwd: paths.projectRoot, allowCommands: [])
        return ShellAnalyzer.evaluate(command, rules: rules, context: context)
    }

    func link(_ name: String, to target: String) throws {
        try FileManager.default.createSymbolicLink(atPath: project.path + "/" + name, withDestinationPath: target)
    }

    // MARK: Sources of mv and hard links

    @Test(arguments: [
        "mv .git/config x", "mv .envrc x", "mv tools/.envrc x", "mv -t src .git/config", "mv -f src/main.swift .git/config x",
        "ln .git/config c", "ln .envrc e", "ln -t src .git/config", "ln .git/config", "ln -f .git/hooks/x h",
    ])
    func sourcesThatAreMovedOrHardLinkedAreJudgedAsWrites(_ command: String) {
        defer { project.remove() }
        let decision = judge(command)
        #expect(!decision.allowed, "\(command)")
        #expect(decision.rule == "write_operand", "\(command): \(decision.reason)")
        #expect(decision.reason.contains("source operand"), "\(command): \(decision.reason)")
    }

    @Test(arguments: ["mv src/main.swift src/app.swift", "mv -t build src/main.swift", "ln src/main.swift m", "ln -s .git/config c", "ln --symbolic src/main.swift m2"])
    func everydayMovesAndSymbolicLinksPass(_ command: String) {
        defer { project.remove() }
        let decision = judge(command)
        #expect(decision.allowed, "\(command): \(decision.reason)")
    }

    // MARK: Recursive writes

    @Test(arguments: [
        ("rm -rf .", ".git"), ("rm -r nested", "nested/.git"), ("rm -R tools", "tools/.envrc"),
        ("rm --recursive -f .", ".git"), ("chmod -R u+w .", ".git"), ("find . -delete", ".git"),
        ("find . -name '*.o' -delete", ".git"), ("cp -r src/. .", ".git"), ("cp -rT src .", ".git"),
        ("mv -T src .", ".git"), ("mv src/. .", ".git"), ("mv nested elsewhere", "nested/.git"),
        ("cp -a build/. nested", "nested/.git"), ("find nested -name config -delete", "nested/.git"),
    ])
    func recursiveWritesOverGuardedPathsAreDenied(_ command: String, _ below: String) {
        defer { project.remove() }
        let decision = judge(command)
        #expect(!decision.allowed, "\(command)")
        #expect(decision.rule == "recursive_write", "\(command): \(decision.reason)")
        #expect(decision.reason.contains(project.path + "/" + below), "\(command): \(decision.reason)")
    }

    @Test(arguments: [
        "rm -rf build", "rm -r build src", "cp -r src .", "cp -r src build", "mv build out", "chmod -R u+w build",
        "find build -delete", "find src -name '*.o' -delete", "rm .git/index.lock", "rm -f nested/x",
        "cp -r build -t .", "mv -t . build",
    ])
    func recursiveWritesBelowOrdinaryDirectoriesPass(_ command: String) {
        defer { project.remove() }
        let decision = judge(command)
        #expect(decision.allowed, "\(command): \(decision.reason)")
    }

    @Test func defaultWriteTargetsOfARecursiveCommandAreTrees() {
        defer { project.remove() }
        let decision = judge("cleaner -n")
        #expect(decision.rule == "recursive_write", "\(decision.reason)")
        #expect(decision.reason.contains("its default output '.'"), "\(decision.reason)")
    }

    @Test func treeRefusalNamesDeniedProtectedAndGitDirectoriesTheListsKnow() {
        defer { project.remove() }
        let policy = PathPolicy(
            projectRoot: "/p", readRoots: [], writeRoots: ["/p"], deny: ["/p/logs/audit.jsonl", "/p/state"],
            protected: ["**/.envrc", ".github/workflows"], home: "/p/home", gitDirectories: ["/p/vendor/gd"])
        #expect(policy.treeRefusal("/p/logs")?.contains("denied path '/p/logs/audit.jsonl'") == true)
        #expect(policy.treeRefusal("/p")?.contains("git directory '/p/.git'") == true)
        #expect(policy.treeRefusal("/p/vendor")?.contains("git directory '/p/vendor/gd'") == true)
        #expect(policy.treeRefusal("/p/.github")?.contains("protected path '/p/.github/workflows'") == true)
        #expect(policy.treeRefusal("/p/home")?.contains("protected path '/p/home/.github/workflows'") == true)
        #expect(policy.treeRefusal("/p/src") == nil)
        #expect(policy.treeRefusal("/p/.github/workflows-old") == nil)
    }

    // MARK: Write targets through symlinks

    @Test func writesThroughSymlinksIntoGitOrProtectedPathsAreDenied() throws {
        defer { project.remove() }
        try project.directory(".git/hooks")
        try link("hooks", to: ".git/hooks")
        try link("cfg", to: ".git/config")
        try link("env", to: "tools/.envrc")
        for command in ["cp src/main.swift hooks/pre-commit", "cat src/main.swift > hooks/pre-commit",
            "cat src/main.swift >> cfg", "ln src/main.swift hooks/post-checkout", "cat x > env", "mv src/main.swift cfg"]
        {
            let decision = judge(command)
            #expect(!decision.allowed, "\(command)")
            #expect(decision.reason.contains("through a symlink to '\(project.path)/"), "\(command): \(decision.reason)")
        }
    }

    @Test func writesThroughSymlinksThatStayInOrdinaryPlacesPass() throws {
        defer { project.remove() }
        try link("source", to: "src")
        try link("outside-etc", to: "/etc")
        #expect(judge("cp build/a.o source/a.o").allowed)
        #expect(judge("cat x > source/new.txt").allowed)
        let outside = judge("cat x > outside-etc/f")
        #expect(!outside.allowed)
        #expect(outside.reason.contains("path.outside_roots"), "\(outside.reason)")
    }

    @Test func recursiveWritesThroughSymlinksAreJudgedWhereTheyLead() throws {
        defer { project.remove() }
        try link("vendor", to: "nested")
        let decision = judge("chmod -R u+w vendor")
        #expect(decision.rule == "recursive_write", "\(decision.reason)")
    }

    // MARK: Assignments, process substitution, profile errors

    @Test(arguments: ["NpM_CoNfIg_script_shell=/tmp/sh cat x", "NPM_CONFIG_SCRIPT_SHELL=x cat x", "git_dir=x cat y", "Git_Config_Global=x cat y"])
    func deniedAssignmentPatternsIgnoreASCIICase(_ command: String) {
        defer { project.remove() }
        let decision = judge(command)
        #expect(decision.rule == "assignment", "\(command): \(decision.reason)")
    }

    @Test func assignmentCaseFoldingIsASCIIOnly() {
        defer { project.remove() }
        #expect(OptionBytes.asciiLowercased("NpM_\u{130}x") == "npm_\u{130}x")
        #expect(judge("NPMX_CONFIG=1 cat y").allowed)
    }

    @Test(arguments: ["diff <(ls src) <(ls build)", "diff -u <(cat a) b", "diff \"\"<(ls) b", "cat <(ls -l)"])
    func processSubstitutionsAreOperands(_ command: String) {
        defer { project.remove() }
        let decision = judge(command)
        #expect(decision.allowed, "\(command): \(decision.reason)")
    }

    @Test(arguments: ["diff <(rm -rf .) x", "diff <(ls --all) x", "diff $(ls) x", "diff \"$X\" y"])
    func processSubstitutionCommandsAreStillJudged(_ command: String) {
        defer { project.remove() }
        #expect(!judge(command).allowed, "\(command)")
    }

    @Test(arguments: ["recursive_options", "sources_kept_options", "no_target_directory_options"])
    func modifierOptionsMustBeListedElsewhere(_ field: String) {
        defer { project.remove() }
        let toml = """
            name = "x"
            allowed_commands = ["rm"]
            [[exec_rules]]
            command = "rm"
            flags = ["-f"]
            \(field) = ["-r"]
            write_operands = "all"
            reason = "r"
            """
        #expect(throws: BashRulesError.self) { try BashRules(toml: toml, source: "x.toml") }
        do {
            _ = try BashRules(toml: toml, source: "x.toml")
        } catch {
            #expect(error.description.contains("'-r' is not listed in any option field"), "\(error)")
        }
    }
}
