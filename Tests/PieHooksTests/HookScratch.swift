import Foundation
import PieHooks
import PieJSON
import PieLocal
import PiePolicy
import PieRuntime
import PieSandbox
import PieSystem
import PieTestSupport

/// A project and a home for pie's state under the system temp dir, removed when the test ends.
/// The environment names only that home, so no user file takes part.
final class HookScratch {
    /// One set of sandbox services for the whole suite, as one pie process has: the bubblewrap
    /// probe and the seccomp programs are made once, not per test. Every hook gets a bubblewrap of
    /// its own (no warm sandboxes): each test's project is gone when it ends, and a warm sandbox
    /// is a long-lived process per project (the warm path is the bash tool's, tested there).
    static let sandbox = SandboxServices(warm: nil)

    let root: String
    var project: String { root + "/project" }
    var home: String { root + "/home" }
    var pieDirectory: String { home + "/.pie" }
    var userHooks: String { pieDirectory + "/hooks.toml" }
    var projectHooks: String { project + "/.pie/hooks.toml" }
    var auditLog: String { root + "/audit.jsonl" }
    var extraEnvironment: [String: String] = [:]
    var environment: [String: String] {
        ["HOME": home, "PATH": "/usr/bin:/bin", "PIE_TOOL_AUDIT_LOG": auditLog].merging(extraEnvironment) { $1 }
    }

    init() throws {
        // Resolved: the policy canonicalises the project root, and paths in payloads must match.
        let base = URL(fileURLWithPath: NSTemporaryDirectory()).resolvingSymlinksInPath().path
        root = base + "/pie-hooks-test-" + UUID().uuidString
        for directory in [project, pieDirectory] {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
    }

    /// Writes `text` at `path`, relative to the project unless absolute.
    @discardableResult
    func write(_ path: String, _ text: String) throws -> String {
        let target = path.hasPrefix("/") ? path : project + "/" + path
        try FileManager.default.createDirectory(
            atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: target))
        return target
    }

    func read(_ path: String) -> String? {
        let target = path.hasPrefix("/") ? path : project + "/" + path
        return FileManager.default.contents(atPath: target).map { String(decoding: $0, as: UTF8.self) }
    }

    func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path.hasPrefix("/") ? path : project + "/" + path)
    }

    func remove(_ path: String) throws {
        try FileManager.default.removeItem(atPath: path.hasPrefix("/") ? path : project + "/" + path)
    }

    /// The audit records of `event: hook`, parsed.
    func hookRecords() throws -> [JSONValue] {
        guard let text = read(auditLog) else { return [] }
        return try text.split(separator: "\n").map { try JSONParser.parse(Array($0.utf8)) }
            .filter { $0["event"]?.stringValue == "hook" }
    }

    /// The builder with the real sandbox services and no warm sandbox started ahead.
    func builder() -> AgentBuilder {
        var services = AgentServices.standard(sandbox: Self.sandbox)
        services.prepareWarmSandbox = false
        return AgentBuilder(environment: environment, services: services)
    }

    /// A runner over the real sandboxed shell for `preset`'s effective policy in the project.
    func runner(preset: PolicyPreset = .balanced) throws -> HookRunner {
        let policy = try PolicySelection(preset: preset).effectivePolicy(cwd: project, environment: environment).policy
        let redactor = SecretRedactor(environment: environment)
        return HookRunner(
            shell: SandboxedShell(policy: policy, environment: environment, services: Self.sandbox),
            projectRoot: policy.paths.projectRoot, environment: environment, redactor: redactor,
            audit: (AuditLog(path: auditLog, redactor: redactor), "hooks-test"))
    }

    /// Registers the scripted server as model `local:scripted`.
    func registerModel(_ server: ScriptedServer) throws {
        try write(
            pieDirectory + "/models.json",
            #"{"models":[{"id":"scripted","provider":"local","api":"openai-completions","baseUrl":"\#(server.baseURL)"}]}"#)
    }

    func options(untrusted: UntrustedHooks = .skip) -> AgentOptions {
        AgentOptions(
            cwd: project, model: ModelSelection(model: "local:scripted"), session: .none, untrustedProjectHooks: untrusted)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: root)
    }
}

/// One hook from TOML text, as the user's file would hold it.
func hook(_ toml: String, file: String = "/test/hooks.toml") throws -> Hook {
    let hooks = try HookFileParser.parse(Array(("[[hook]]\n" + toml).utf8), path: file, scope: .user)
    guard let first = hooks.first else { throw HookTestError("no hook in \(toml)") }
    return first
}

struct HookTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

let testSession = HookSessionInfo(sessionID: "session-1", cwd: "/project", modelProvider: "local", modelID: "scripted")

/// OpenAI-style streamed replies for the scripted model server.
enum ModelReplies {
    static func text(_ text: String) -> String {
        var content = ""
        JSONEscaper.escape(text, into: &content)
        return sse([
            #"{"choices":[{"index":0,"delta":{"role":"assistant","content":\#(content)}}]}"#,
            #"{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#,
        ])
    }

    static func toolCall(id: String, name: String, arguments: JSONValue) -> String {
        var escaped = ""
        JSONEscaper.escape(JSONWriter.string(arguments), into: &escaped)
        return sse([
            #"{"choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"index":0,"id":"\#(id)","type":"function","function":{"name":"\#(name)","arguments":\#(escaped)}}]}}]}"#,
            #"{"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"#,
        ])
    }

    static func sse(_ chunks: [String]) -> String {
        HTTPResponses.sse(chunks.map { "data: \($0)\n\n" }.joined() + "data: [DONE]\n\n")
    }
}

extension RecordedRequest {
    /// The text of the `tool` role messages the client sent.
    var toolResults: [String] {
        (json?["messages"]?.arrayValue ?? []).filter { $0["role"]?.stringValue == "tool" }.map { message in
            message["content"]?.stringValue
                ?? (message["content"]?.arrayValue ?? []).compactMap { $0["text"]?.stringValue }.joined()
        }
    }
}
