import Foundation
import Testing

@testable import PiePolicy

/// Policy findings of the red-team pass over issue 10. Finding 3: a project's `core.hooksPath` inside
/// the working tree (`.githooks/`, committed and enabled with `git config core.hooksPath .githooks`)
/// let the write tool and redirections rewrite a hook that the user's next `git commit` ran on the
/// host; the hooks directory is now found in git's configuration when the policy is built and
/// protected like `.git/hooks`. Finding 11: case variants of guarded names.
@Suite("Red team: policy findings of the issue 10 pass") struct RedTeamPolicyFindingsTests {
    /// Spellings git accepts for the same setting (git-config(1)), each with the directory it names.
    static let configurations: [(String, String)] = [
        ("[core]\n\thooksPath = .githooks\n", ".githooks"),
        ("[Core]\n\tHOOKSPATH=tools/hooks # where hooks live\n", "tools/hooks"),
        ("[core] hookspath = \"my hooks\"\n", "my hooks"),
        ("[user]\n\tname = x\n[core]\n\tbare = false\n\thooksPath = ./ci/../.hooks\n", ".hooks"),
        ("[core]\n\thooksPath = sc\\\nripts/hooks\n", "scripts/hooks"),
        ("; comment\n[core]\n\thooksPath = \"hooks\\\\dir\"\n", "hooks\\dir"),
    ]

    private func policy(config: String, extra: (TempDirectory) throws -> Void = { _ in }) throws -> (EffectivePolicy, TempDirectory) {
        let project = try TempDirectory()
        try project.file(".git/HEAD", "ref: refs/heads/main\n")
        try project.directory(".git/objects")
        try project.directory(".git/refs")
        try project.file(".git/config", config)
        try extra(project)
        return (try buildPolicy(cwd: project.path, preset: .hardened), project)
    }

    @Test(arguments: configurations.indices)
    func hooksPathIsProtected(_ index: Int) throws {
        let (config, directory) = Self.configurations[index]
        let (effective, project) = try policy(config: config)
        defer { project.remove() }
        let hook = project.path + "/" + directory + "/pre-commit"
        let rule = effective.policy.paths.classifyRule(hook, access: .write)
        #expect(rule == "path.protected", "\(config.debugDescription): \(rule ?? "allowed")")
        #expect(effective.policy.paths.classifyRule(project.path + "/src/main.c", access: .write) == nil)
    }

    @Test func includedAndGlobalConfigurationsCount() throws {
        let home = try TempDirectory()
        defer { home.remove() }
        let (effective, project) = try policy(config: "[include]\n\tpath = ../extra.cfg\n") { project in
            try project.file("extra.cfg", "[core]\n\thooksPath = from-include\n")
        }
        defer { project.remove() }
        #expect(effective.policy.paths.classifyRule(project.path + "/from-include/pre-push", access: .write) == "path.protected")

        try home.file(".gitconfig", "[includeIf \"gitdir:~/src/\"]\n\tpath = ~/.gitconfig-work\n")
        try home.file(".gitconfig-work", "[core]\n\thooksPath = \(project.path)/global-hooks\n")
        let global = try buildPolicy(cwd: project.path, home: home.path, preset: .strict)
        #expect(global.policy.paths.classifyRule(project.path + "/global-hooks/pre-commit", access: .write) == "path.protected")
    }

    /// What is not `core.hooksPath` protects nothing: a subsection, another section, a boolean key,
    /// a directory outside every root, or the root itself.
    @Test func otherSettingsProtectNothing() throws {
        let (effective, project) = try policy(
            config: "[core \"x\"]\n\thooksPath = a\n[hooks]\n\tpath = b\n[core]\n\thooksPath\n\thooksPath = /elsewhere/hooks\n\thooksPath = .\n")
        defer { project.remove() }
        for name in ["a", "b", "hooksPath"] {
            #expect(effective.policy.paths.classifyRule(project.path + "/\(name)/pre-commit", access: .write) == nil)
        }
        #expect(effective.policy.paths.classifyRule(project.path + "/src/x", access: .write) == nil)
    }

    /// Finding 11: on a case-insensitive file system (APFS and HFS+ by default on macOS, FAT,
    /// casefolded ext4) `.GIT/config` is `.git/config` and `gd/head` is `gd/HEAD`; exact byte
    /// comparisons let them through. Names that fold to a guarded name are guarded.
    @Test func caseVariantsOfGuardedNamesAreRefused() throws {
        let (effective, project) = try policy(config: "[core]\n")
        defer { project.remove() }
        let paths = effective.policy.paths
        for (relative, rule) in [
            (".GIT/config", "path.git_metadata"), (".Git/hooks/pre-commit", "path.git_metadata"),
            ("sub/.GIT", "path.git_metadata"), ("a/.gIT/config", "path.git_metadata"),
            (".git/objects/INFO/alternates", "path.git_metadata"), (".git/objects/Info/http-alternates", "path.git_metadata"),
            (".git/Objects/info/alternates", "path.git_metadata"), (".git/CONFIG", "path.git_metadata"),
            ("gd/head", "path.git_metadata"), ("gd/Head", "path.git_metadata"),
            (".VSCODE/tasks.json", "path.protected"), ("sub/.EnvRc", "path.protected"),
            (".v\u{17F}code/tasks.json", "path.protected"), ("x/.hu\u{17F}\u{212A}y/pre-commit", "path.protected"),
            (".BASHRC", "path.protected"), (".Bash_Profile", "path.protected"),
        ] {
            #expect(paths.classifyRule(project.path + "/" + relative, access: .write) == rule, "\(relative)")
        }
        for relative in [".git/refs/heads/Main", ".git/objects/ab/CDEF", "src/Header.h", "HEADER", "docs/git/config"] {
            #expect(paths.classifyRule(project.path + "/" + relative, access: .write) == nil, "\(relative)")
        }
    }

    @Test func caseFolding() {
        #expect(CaseFold.equal(Array(".GiT".utf8), ".git"))
        #expect(CaseFold.equal(Array("\u{212A}\u{17F}".utf8), "ks"))
        #expect(!CaseFold.equal(Array(".g\u{131}t".utf8), ".git"))
        #expect(CaseFold.fold([0xFF, 0x41, 0xC5]) == [0xFF, 0x61, 0xC5])
    }

    @Test func configurationEntries() {
        let entries = GitConfigText.entries("[a.B]x=1\n[C \"S\\\"t\"]\n y = \"q ; r\" ; c\nflag\n[bad\nz=2\n")
        #expect(entries == [
            .init(section: "a", subsection: "b", key: "x", value: "1"),
            .init(section: "c", subsection: "S\"t", key: "y", value: "q ; r"),
            .init(section: "", subsection: nil, key: "z", value: "2"),
        ])
    }
}

extension PathPolicy {
    /// The rule that denies `path`, or nil when it is allowed.
    fileprivate func classifyRule(_ path: String, access: PathAccess) -> String? {
        if case .denied(let rule, _) = classify(path, access: access) { return rule }
        return nil
    }
}
