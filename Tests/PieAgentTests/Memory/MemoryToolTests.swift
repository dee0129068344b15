import Foundation
import Glibc
import PieJSON
import PieLocal
import PiePolicy
import PieSandbox
import PieSystem
import Synchronization
import Testing

@testable import PieAgent

/// The memory tool through the one dispatch path (`ToolRunner` with the policy gate and the
/// audit): strict arguments, save/list/delete in both scopes, caps, redaction, and `memory_tool`
/// (allow runs, ask waits for a person, deny refuses).
@Suite("the memory tool")
struct MemoryToolTests {
    final class Approvals: Approver {
        let approved: Bool
        let asked = Mutex<[ApprovalRequest]>([])
        init(approved: Bool) { self.approved = approved }
        func approve(_ request: ApprovalRequest) async -> ApprovalAnswer {
            asked.withLock { $0.append(request) }
            return ApprovalAnswer(approved: approved, source: .user, note: approved ? "yes" : "refused at the terminal")
        }
    }

    let fixture = ToolFixture()
    var pieDirectory: PieDirectory { PieDirectory(root: fixture.root + "/home/.pie") }
    var store: MemoryStore {
        MemoryStore(
            pieDirectory: pieDirectory, projectRoot: fixture.root,
            redactor: SecretRedactor(environment: ["GITHUB_TOKEN": "ghp_supersecretvalue123"]))
    }
    var userDirectory: String { pieDirectory.memoryDirectory }
    var projectDirectory: String { fixture.root + "/.pie/memory" }

    init() throws {
        try FileManager.default.createDirectory(atPath: fixture.root + "/home/.pie", withIntermediateDirectories: true)
    }

    private func run(
        _ arguments: String, rule: MemoryToolRule = .allow, approver: any Approver = NobodyApprover(mode: "pie -p")
    ) async throws -> ToolResult {
        var policy = fixture.policy
        policy.memoryTool = rule
        let context = fixture.context()
        let runner = ToolRunner.standard(
            policy: policy, files: context.files, shell: context.shell, cwd: fixture.root, spillDirectory: fixture.spill,
            tools: CodingTools.all + [MemoryTool(store: store)])
        let hooks = try AgentHooks().guarded(
            by: policy, audit: (AuditLog(path: fixture.spill + "/audit.jsonl", durability: .noSync), "s"), approver: approver)
        return await runner.run(ToolCall(id: "m1", name: "memory", rawArguments: arguments), hooks: hooks)
    }

    private func contents(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    private func mode(_ path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    @Test("save writes NAME.md (0600, directory 0700) in ~/.pie/memory; list shows name, size and first line; delete removes it")
    func roundTrip() async throws {
        let saved = try await run(##"{"action":"save","name":"build-notes","content":"# Build\nuse swift build --build-tests"}"##)
        #expect(!saved.isError, "\(saved.text)")
        #expect(saved.text.hasPrefix("Saved the user memory 'build-notes' (38 bytes, \(userDirectory)/build-notes.md)"))
        #expect(contents(userDirectory + "/build-notes.md") == "# Build\nuse swift build --build-tests\n")
        #expect(try mode(userDirectory + "/build-notes.md") == 0o600)
        #expect(try mode(userDirectory) == 0o700)

        let listed = try await run(#"{"action":"list"}"#)
        #expect(listed.text == "user/build-notes  38 bytes  # Build")

        let replaced = try await run(#"{"action":"save","name":"build-notes.md","content":"v2"}"#)
        #expect(replaced.text.hasPrefix("Replaced the user memory 'build-notes' (3 bytes"))

        let deleted = try await run(#"{"action":"delete","name":"build-notes"}"#)
        #expect(deleted.text == "Deleted the user memory 'build-notes' (\(userDirectory)/build-notes.md).")
        #expect(!FileManager.default.fileExists(atPath: userDirectory + "/build-notes.md"))
        #expect(try await run(#"{"action":"list"}"#).text == "No memories.")
    }

    @Test("scope project writes <project>/.pie/memory, though the policy protects .pie from write and edit")
    func projectScope() async throws {
        let saved = try await run(#"{"action":"save","name":"layout","content":"sources in Sources/","scope":"project"}"#)
        #expect(!saved.isError, "\(saved.text)")
        #expect(contents(projectDirectory + "/layout.md") == "sources in Sources/\n")
        _ = try await run(#"{"action":"save","name":"me","content":"prefers tabs"}"#)
        #expect(try await run(#"{"action":"list"}"#).text == "user/me  13 bytes  prefers tabs\nproject/layout  20 bytes  sources in Sources/")
        #expect(try await run(#"{"action":"list","scope":"project"}"#).text == "project/layout  20 bytes  sources in Sources/")
    }

    @Test("secrets are redacted before writing, and the result says so")
    func redaction() async throws {
        let result = try await run(
            #"{"action":"save","name":"ci","content":"token ghp_supersecretvalue123 and Authorization: Bearer abc.def.ghi"}"#)
        #expect(result.text.hasSuffix("2 secrets were replaced by [REDACTED] before writing."), "\(result.text)")
        let written = try #require(contents(userDirectory + "/ci.md"))
        #expect(written == "token [REDACTED] and Authorization: Bearer [REDACTED]\n")
    }

    @Test("a name that is a known secret is refused: file names are not redacted later")
    func secretName() async throws {
        let result = try await run(#"{"action":"save","name":"ghp_supersecretvalue123","content":"x"}"#)
        #expect(result.isError)
        #expect(result.text == "the memory name holds a secret value; choose a name that describes the note instead")
        #expect(!FileManager.default.fileExists(atPath: userDirectory + "/ghp_supersecretvalue123.md"))
    }

    @Test("content over the cap and a full directory are refused, naming the limit; nothing is written")
    func caps() async throws {
        let big = String(repeating: "x", count: MemoryStore.maxContentBytes)
        let tooBig = try await run(#"{"action":"save","name":"big","content":"\#(big)"}"#)
        #expect(tooBig.isError)
        #expect(tooBig.text.contains("the content is \(MemoryStore.maxContentBytes + 1) bytes; a memory holds at most \(MemoryStore.maxContentBytes)"))
        #expect(!FileManager.default.fileExists(atPath: userDirectory + "/big.md"))

        try FileManager.default.createDirectory(atPath: userDirectory, withIntermediateDirectories: true)
        for index in 0..<MemoryStore.maxCount {
            _ = FileManager.default.createFile(atPath: userDirectory + "/n\(index).md", contents: Data("x\n".utf8))
        }
        let full = try await run(#"{"action":"save","name":"one-more","content":"x"}"#)
        #expect(full.isError)
        #expect(full.text.contains("already holds \(MemoryStore.maxCount) memories, the limit"))
        let replace = try await run(#"{"action":"save","name":"n0","content":"y"}"#)
        #expect(!replace.isError, "replacing an existing memory is allowed at the cap: \(replace.text)")
    }

    @Test("deleting a missing memory is an error that names what exists")
    func deleteMissing() async throws {
        _ = try await run(#"{"action":"save","name":"a","content":"x"}"#)
        let result = try await run(#"{"action":"delete","name":"b"}"#)
        #expect(result.isError)
        #expect(result.text == "there is no user memory named 'b' in '\(userDirectory)'; it holds: a")
    }

    @Test(
        "strict arguments: unknown fields, wrong types and meaningless combinations are refused before the policy",
        arguments: [
            (#"{"action":"save","name":"a","content":"x","paht":"y"}"#, "Invalid arguments for memory: unknown field 'paht' (expected: action, name, content, scope)"),
            (#"{"name":"a"}"#, "Invalid arguments for memory: missing required field 'action'"),
            (#"{"action":"save","name":5,"content":"x"}"#, "Invalid arguments for memory: field 'name' must be a string (got number 5)"),
            (#"{"action":"remember","name":"a"}"#, "Invalid arguments for memory: action must be one of save, list, delete; got 'remember'"),
            (#"{"action":"save","content":"x"}"#, "Invalid arguments for memory: save needs a name"),
            (#"{"action":"save","name":"a"}"#, "Invalid arguments for memory: save needs content"),
            (#"{"action":"delete","name":"a","content":"x"}"#, "Invalid arguments for memory: delete takes no content"),
            (#"{"action":"list","name":"a"}"#, "Invalid arguments for memory: list takes no name or content"),
            (#"{"action":"list","scope":"global"}"#, "Invalid arguments for memory: scope must be \"user\" or \"project\"; got 'global'"),
            (#"{"action":"save","name":"a","content":"x"} x"#, "Invalid arguments for memory: arguments are not valid JSON"),
        ])
    func strictArguments(_ arguments: String, _ expected: String) async throws {
        let result = try await run(arguments)
        #expect(result.isError)
        #expect(result.text.hasPrefix(expected), "\(result.text)")
        #expect(!FileManager.default.fileExists(atPath: userDirectory))
    }

    @Test(
        "red team: names that could leave the directory or hide a file are refused before anything is touched",
        arguments: [
            "../../.ssh/authorized_keys", "../escape", "/etc/passwd", "a/b", ".hidden", "..", ".", "-", "_x",
            "name with space", "caf\u{e9}", "a\\b", "x\u{0}y", String(repeating: "a", count: 65), "",
        ])
    func badNames(_ name: String) async throws {
        let arguments = JSONValue.object(["action": "save", "name": .string(name), "content": "x"]).rendered
        let result = try await run(arguments)
        #expect(result.isError)
        #expect(result.text.hasPrefix("Invalid arguments for memory:"), "\(result.text)")
        #expect(!FileManager.default.fileExists(atPath: userDirectory), "nothing may be created for '\(name)'")
    }

    @Test("red team: a symlinked project .pie is not followed; the write fails and nothing lands at the target")
    func symlinkedProjectDirectory() async throws {
        let outside = fixture.root + "/home/outside"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: fixture.root + "/.pie", withDestinationPath: outside)
        let result = try await run(#"{"action":"save","name":"x","content":"planted","scope":"project"}"#)
        #expect(result.isError)
        #expect(result.text.contains("symlink"), "\(result.text)")
        #expect(!FileManager.default.fileExists(atPath: outside + "/memory"))
    }

    @Test("red team: a memory file that is a symlink or hard link is neither replaced through nor read")
    func linkedMemoryFiles() async throws {
        let secret = fixture.root + "/home/secret.txt"
        _ = FileManager.default.createFile(atPath: secret, contents: Data("SECRET\n".utf8))
        try FileManager.default.createDirectory(atPath: userDirectory, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: userDirectory + "/soft.md", withDestinationPath: secret)
        try FileManager.default.linkItem(atPath: secret, toPath: userDirectory + "/hard.md")

        let soft = try await run(#"{"action":"save","name":"soft","content":"overwrite"}"#)
        #expect(soft.isError)
        #expect(soft.text.contains("a symlink, not a regular file"), "\(soft.text)")
        let hard = try await run(#"{"action":"save","name":"hard","content":"overwrite"}"#)
        #expect(hard.isError)
        #expect(hard.text.contains("hard links"), "\(hard.text)")
        #expect(contents(secret) == "SECRET\n")

        let listed = try await run(#"{"action":"list"}"#)
        #expect(!listed.text.contains("SECRET"))
        #expect(!listed.text.contains("soft"), "symlinks are not listed")
        #expect(listed.text.contains("user/hard  7 bytes  (unreadable:"), "\(listed.text)")
        let removeLink = try await run(#"{"action":"delete","name":"soft"}"#)
        #expect(removeLink.isError)
        #expect(FileManager.default.fileExists(atPath: secret))
    }

    @Test("red team: a symlinked ~/.pie/memory is neither written through nor listed")
    func symlinkedUserDirectory() async throws {
        let outside = fixture.root + "/home/elsewhere"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: outside + "/secret.md", contents: Data("SECRET\n".utf8))
        try FileManager.default.createSymbolicLink(atPath: userDirectory, withDestinationPath: outside)
        let saved = try await run(#"{"action":"save","name":"x","content":"y"}"#)
        #expect(saved.isError)
        #expect(saved.text.contains("symlink"), "\(saved.text)")
        #expect(!FileManager.default.fileExists(atPath: outside + "/x.md"))
        let listed = try await run(#"{"action":"list"}"#)
        #expect(listed.isError)
        #expect(!listed.text.contains("SECRET") && !listed.text.contains("secret"), "\(listed.text)")
    }

    @Test("red team: a FIFO named like a memory is skipped by list and refused by save and delete, without blocking")
    func fifo() async throws {
        try FileManager.default.createDirectory(atPath: userDirectory, withIntermediateDirectories: true)
        #expect(mkfifo(userDirectory + "/pipe.md", 0o600) == 0)
        #expect(try await run(#"{"action":"list"}"#).text == "No memories.")
        let saved = try await run(#"{"action":"save","name":"pipe","content":"y"}"#)
        #expect(saved.isError)
        #expect(saved.text.contains("a FIFO, not a regular file"), "\(saved.text)")
        let deleted = try await run(#"{"action":"delete","name":"pipe"}"#)
        #expect(deleted.isError)
        #expect(deleted.text.contains("there is no user memory named 'pipe'"), "\(deleted.text)")
    }

    @Test("memory_tool = ask: save waits for a person (nobody: denied, nothing written); list runs without asking")
    func ask() async throws {
        let refused = try await run(#"{"action":"save","name":"a","content":"x"}"#, rule: .ask)
        #expect(refused.isError)
        #expect(refused.text.contains("pie -p has nobody to ask"), "\(refused.text)")
        #expect(!FileManager.default.fileExists(atPath: userDirectory + "/a.md"))

        let approvals = Approvals(approved: true)
        let approved = try await run(#"{"action":"save","name":"a","content":"hello"}"#, rule: .ask, approver: approvals)
        #expect(!approved.isError, "\(approved.text)")
        let asked = try #require(approvals.asked.withLock { $0 }.first)
        #expect(asked.rule == "memory_tool")
        #expect(asked.reason == "saving 'a' (5 bytes) to the user's memory: \"hello\" changes what every later session starts with: it runs only when a person approves it")

        let listing = Approvals(approved: false)
        let listed = try await run(#"{"action":"list"}"#, rule: .ask, approver: listing)
        #expect(!listed.isError)
        #expect(listing.asked.withLock { $0 }.isEmpty)
    }

    @Test("memory_tool = deny refuses every action, list included")
    func deny() async throws {
        for arguments in [#"{"action":"list"}"#, #"{"action":"save","name":"a","content":"x"}"#] {
            let result = try await run(arguments, rule: .deny)
            #expect(result.text.hasPrefix("Denied by policy (rule memory_tool): the memory tool is off in this policy"))
        }
        #expect(!FileManager.default.fileExists(atPath: userDirectory))
    }

    @Test("saved memories load into the next session's system prompt: the user's, then the project's")
    func loadsLater() async throws {
        _ = try await run(#"{"action":"save","name":"MEMORY","content":"index"}"#)
        _ = try await run(#"{"action":"save","name":"layout","content":"sources in Sources/","scope":"project"}"#)
        let context = PromptContext.load(cwd: fixture.root, pieDirectory: pieDirectory, fileSystem: LocalContextFileSystem())
        #expect(context.memory.promptText == "<memory>\n## MEMORY.md\n\nindex\n\n## layout.md (project)\n\nsources in Sources/\n</memory>")
    }

    @Test("red team: a cloned project's memory that links to a secret is left out of the prompt, with a diagnostic")
    func projectMemoryLinksAreNotLoaded() throws {
        let secret = fixture.root + "/home/id_rsa"
        _ = FileManager.default.createFile(atPath: secret, contents: Data("PRIVATE KEY\n".utf8))
        try FileManager.default.createDirectory(atPath: projectDirectory, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: projectDirectory + "/key.md", withDestinationPath: secret)
        try FileManager.default.linkItem(atPath: secret, toPath: projectDirectory + "/hard.md")
        _ = FileManager.default.createFile(atPath: projectDirectory + "/ok.md", contents: Data("fine\n".utf8))
        let context = PromptContext.load(cwd: fixture.root, pieDirectory: pieDirectory, fileSystem: LocalContextFileSystem())
        #expect(context.memory.promptText == "<memory>\n## ok.md (project)\n\nfine\n</memory>")
        #expect(context.diagnostics.contains { $0.path == projectDirectory + "/hard.md" && $0.message.contains("hard links") })

        try FileManager.default.removeItem(atPath: fixture.root + "/.pie")
        let elsewhere = fixture.root + "/home/planted"
        try FileManager.default.createDirectory(atPath: elsewhere + "/memory", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: elsewhere + "/memory/x.md", contents: Data("PLANTED\n".utf8))
        try FileManager.default.createSymbolicLink(atPath: fixture.root + "/.pie", withDestinationPath: elsewhere)
        let linked = PromptContext.load(cwd: fixture.root, pieDirectory: pieDirectory, fileSystem: LocalContextFileSystem())
        #expect(linked.memory.promptText == nil)
        #expect(linked.diagnostics.contains { $0.path == projectDirectory && $0.message.contains("symlink") }, "\(linked.diagnostics)")
    }
}
