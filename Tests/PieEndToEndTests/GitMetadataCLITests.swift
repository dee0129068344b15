import Foundation
import PieTestSupport
import Testing

/// Issue 10's attack exactly as reported, through the built `pie tool write` under the hardened
/// preset, then the host's own `git status` and `git st`; and pie's start-up sweep.
@Suite("pie tool and git metadata") struct GitMetadataCLITests {
    /// Runs the host's git in `project` with the test's scrubbed HOME.
    @discardableResult
    func git(_ arguments: [String], in project: ScratchProject) async throws -> (status: Int32, output: String) {
        let result = try await HostProcess.run(
            ["/usr/bin/git"] + arguments, cwd: project.path,
            environment: ["HOME": project.path + "/.home", "PATH": "/usr/bin:/bin", "GIT_CONFIG_NOSYSTEM": "1"],
            mergeStandardError: true)
        return (result.status, result.stdoutText)
    }

    func write(_ path: String, _ content: String, in project: ScratchProject) async throws -> PieBinary.Result {
        let arguments = try JSONSerialization.data(withJSONObject: ["path": path, "content": content])
        return try await runPie(
            ["tool", "write", "--args", String(decoding: arguments, as: UTF8.self), "--tool-policy-preset", "hardened",
             "--json"],
            cwd: project.path)
    }

    @Test func theReportedAttackRunsNothingOnTheHost() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        try await git(["init", "-q"], in: project)
        try await git(["config", "alias.st", "status"], in: project)
        let marker = project.path + "/.home/owned"
        let config = "[core]\n\trepositoryformatversion = 0\n\tfsmonitor = \"touch \(marker); false\"\n"
        #expect(try await write("gd/config", config, in: project).status == 0)
        #expect(try await write("gd/objects/info/keep", "", in: project).status == 0)
        #expect(try await write("gd/refs/heads/keep", "", in: project).status == 0)
        let refused = try await write(".git/commondir", "../gd", in: project)
        #expect(refused.status == 1)
        let content = try #require(try parseJSON(refused.stdout)["content"] as? [[String: Any]])
        let text = try #require(content.first?["text"] as? String)
        #expect(text.hasPrefix("Denied by policy (rule path.git_metadata)"))
        #expect(text.contains("'commondir' in a git directory stays read-only"))
        #expect(!FileManager.default.fileExists(atPath: project.path + "/.git/commondir"))
        #expect(try await git(["status"], in: project).status == 0)
        #expect(try await git(["st"], in: project).status == 0)
        #expect(!FileManager.default.fileExists(atPath: marker), "git ran the planted fsmonitor command")
    }

    /// The edit tool rewrites existing files: git's own config, a nested repository's config, a
    /// module's config and a sample hook are each refused, naming the rule, and stay unchanged.
    @Test func theEditToolCannotRewriteExistingGitMetadata() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        try await git(["init", "-q"], in: project)
        try project.write("sub/.git/config", "[core]\n\tbare = false\n")
        try project.write(".git/modules/m/config", "[core]\n\tbare = false\n")
        try project.write(".git/hooks/pre-commit", "#!/bin/sh\nexit 0\n")
        try project.write("sub/.vscode/tasks.json", "{}\n")
        let edits: [(String, String, String)] = [
            (".git/config", "bare = false", "bare = false\n\tfsmonitor = touch owned"),
            ("sub/.git/config", "bare = false", "bare = false\n\tpager = touch owned"),
            (".git/modules/m/config", "bare = false", "bare = false\n\thooksPath = /tmp"),
            (".git/hooks/pre-commit", "exit 0", "touch owned"),
            ("sub/.vscode/tasks.json", "{}", "{\"tasks\":[{\"command\":\"touch owned\",\"runOn\":\"folderOpen\"}]}"),
        ]
        for (path, old, new) in edits {
            let before = try String(contentsOfFile: project.path + "/" + path, encoding: .utf8)
            let arguments = try JSONSerialization.data(
                withJSONObject: ["path": path, "edits": [["oldText": old, "newText": new]]])
            let result = try await runPie(
                ["tool", "edit", "--args", String(decoding: arguments, as: UTF8.self), "--tool-policy-preset",
                 "hardened", "--json"],
                cwd: project.path)
            #expect(result.status == 1, "\(path) was edited")
            let content = try #require(try parseJSON(result.stdout)["content"] as? [[String: Any]])
            let rule = path.contains(".git") ? "path.git_metadata" : "path.protected"
            #expect((content.first?["text"] as? String)?.hasPrefix("Denied by policy (rule \(rule))") == true)
            #expect(try String(contentsOfFile: project.path + "/" + path, encoding: .utf8) == before)
        }
    }

    @Test func aStrayCommondirIsRemovedWhenPieStarts() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        try await git(["init", "-q"], in: project)
        try project.write("gd/config", "[core]\n\trepositoryformatversion = 0\n")
        try project.write(".git/commondir", "../gd\n")
        try project.write("sub/.git/gitdir", "/var/tmp/elsewhere\n")
        try project.write("notes.txt", "hello\n")
        let result = try await runPie(["tool", "read", "--args", #"{"path":"notes.txt"}"#], cwd: project.path)
        #expect(result.status == 0)
        #expect(result.stderr.contains("removed '\(project.path)/.git/commondir' ('../gd')"))
        #expect(result.stderr.contains("removed '\(project.path)/sub/.git/gitdir'"))
        #expect(!FileManager.default.fileExists(atPath: project.path + "/.git/commondir"))
        #expect(try await git(["status", "--porcelain"], in: project).status == 0)
    }
}
