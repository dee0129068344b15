import Foundation
import Testing
@testable import PiePolicy

@Suite("Path rules")
struct PathRuleTests {
    /// A project with a secret outside it and a home directory with .ssh.
    struct Fixture {
        let dir: TempDirectory
        let project: String
        let home: String
        let engine: PolicyEngine

        init(preset: PolicyPreset = .balanced, flags: PolicyLayer = PolicyLayer()) throws {
            dir = try TempDirectory()
            project = dir.path + "/project"
            home = dir.path + "/home"
            try dir.file("project/src/main.swift", "print(1)\n")
            try dir.file("home/.ssh/id_ed25519", "secret\n")
            try dir.file("outside/secret.txt", "secret\n")
            let effective = try buildPolicy(cwd: project, home: home, preset: preset, flags: flags)
            engine = try PolicyEngine(policy: effective.policy)
        }

        func decide(_ tool: FileTool, _ path: String) -> Decision {
            engine.evaluate(.file(tool: tool, path: path))
        }
    }

    @Test("paths inside the project are readable and writable")
    func inside() throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let read = f.decide(.read, "src/main.swift")
        #expect(read.allowed)
        #expect(read.resolvedPath == f.project + "/src/main.swift")
        #expect(f.decide(.write, "src/new/file.swift").allowed)
        #expect(f.decide(.ls, ".").allowed)
    }

    @Test("escapes by .. and absolute paths are denied", arguments: ["../outside/secret.txt", "src/../../outside/secret.txt", "/etc/passwd"])
    func escapes(path: String) throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let decision = f.decide(.read, path)
        #expect(!decision.allowed)
        #expect(decision.rule == "path.outside_roots")
        #expect(decision.reason.contains("--allow-path"))
    }

    @Test("deny list: ~/.ssh, .env files", arguments: [
        ("~/.ssh/id_ed25519", "path.deny"), (".env", "path.deny"), ("config/.env.production", "path.deny"),
    ])
    func denyList(path: String, rule: String) throws {
        let f = try Fixture(flags: flagLayer([(.readPaths, .list(["../home"]))]))
        defer { f.dir.remove() }
        let decision = f.decide(.read, path)
        #expect(!decision.allowed)
        #expect(decision.rule == rule)
    }

    @Test("protected paths stay read-only even when missing", arguments: [
        ".git/hooks/pre-commit", ".git/config", ".pie/policy.toml", ".vscode/tasks.json", ".mcp.json", ".bashrc",
    ])
    func protectedPaths(path: String) throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let write = f.decide(.write, path)
        #expect(!write.allowed)
        #expect(write.rule == (path.hasPrefix(".git/") ? "path.git_metadata" : "path.protected"))
        #expect(f.decide(.read, path).allowed)
    }

    @Test("a symlink out of the project is seen through")
    func symlinkOut() throws {
        let f = try Fixture(preset: .permissive)
        defer { f.dir.remove() }
        try FileManager.default.createSymbolicLink(atPath: f.project + "/link", withDestinationPath: f.dir.path + "/outside")
        let decision = f.decide(.read, "link/secret.txt")
        #expect(!decision.allowed)
        #expect(decision.rule == "path.outside_roots")
        #expect(decision.resolvedPath == f.dir.path + "/outside/secret.txt")
    }

    @Test("with enforce_regular_files any symlink in the path is refused")
    func symlinkRefused() throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try FileManager.default.createSymbolicLink(atPath: f.project + "/alias", withDestinationPath: f.project + "/src")
        let decision = f.decide(.read, "alias/main.swift")
        #expect(!decision.allowed)
        #expect(decision.rule == "path.symlink")
    }

    @Test("/proc magic links are denied", arguments: ["/proc/self/root/etc/passwd", "/proc/1/cwd", "/proc/thread-self/root", "/proc/self/task/1/root"])
    func magicLinks(path: String) throws {
        let f = try Fixture(flags: flagLayer([(.readPaths, .list(["/proc"]))]))
        defer { f.dir.remove() }
        let decision = f.decide(.read, path)
        #expect(!decision.allowed)
        #expect(decision.rule == "path.magic_link")
    }

    @Test("malformed paths are rejected with a reason", arguments: [
        ("", "empty"), ("a\u{0}b", "NUL"), ("~root/.bashrc", "~user"),
    ])
    func malformed(path: String, word: String) throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let decision = f.decide(.read, path)
        #expect(!decision.allowed)
        #expect(decision.rule == "path.syntax")
        #expect(decision.reason.contains(word))
    }

    @Test("/a/bc is not inside root /a/b")
    func componentPrefix() {
        #expect(!PathNormalizer.isWithin("/a/bc", "/a/b"))
        #expect(PathNormalizer.isWithin("/a/b/c", "/a/b"))
        #expect(PathNormalizer.isWithin("/a/b", "/a/b"))
    }

    @Test("component globs")
    func globs() {
        #expect(ComponentGlob(".env.*").matches(Array(".env.local".utf8)))
        #expect(!ComponentGlob(".env.*").matches(Array(".env".utf8)))
        #expect(ComponentGlob("*.pem").matches(Array("key.pem".utf8)))
        #expect(ComponentGlob("a?c").matches(Array("abc".utf8)))
        #expect(!ComponentGlob("a?c").matches(Array("ac".utf8)))
    }

    @Test("the decision trace records every check in order")
    func trace() throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let decision = f.decide(.write, ".git/hooks/pre-commit")
        #expect(decision.trace.map(\.check) == ["path.syntax", "path.resolve", "path.git_metadata"])
        #expect(decision.trace.last?.outcome == .deny)
    }
}

@Suite("Path normalization")
struct PathNormalizationTests {
    @Test("the fast path agrees with the full normalization", arguments: [
        "/", "/a", "/a/b", "/a/b/", "//a", "/a//b", "/a/./b", "/a/../b", "/a/b/..", "/a/b/.", "/..", "/.",
        "/a/.hidden", "/a/..b", "/a/b..", "/a/...", "/.../x", "/a/b c/d",
    ])
    func fastPath(path: String) {
        var parts: [Substring] = []
        for component in path.split(separator: "/") {
            switch component {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(component)
            }
        }
        let expected = "/" + parts.joined(separator: "/")
        #expect(PathNormalizer.normalize(path) == expected)
        #expect(PathNormalizer.isNormalized(path) == (path == expected))
    }
}
