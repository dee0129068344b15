import CPieSys
import Foundation
import Glibc
import PieTestSupport
import Synchronization
import Testing

/// Model replies in the OpenAI chat-completions streaming format, byte for byte as a local server
/// sends them (`chat.completion.chunk` objects, `data: [DONE]`), wrapped in a close-delimited HTTP
/// response. Built with JSONSerialization so quoting in arguments and text is always valid.
enum ChatStream {
    /// One `data:` event carrying `delta`, optionally with a finish reason.
    static func event(delta: [String: Any], finish: String? = nil) -> String {
        let choice: [String: Any] = ["index": 0, "delta": delta, "finish_reason": finish ?? NSNull()]
        return data(["id": "chatcmpl-e2e", "object": "chat.completion.chunk", "model": "scripted", "choices": [choice]])
    }

    /// The opening of a reply: the assistant role and the first pieces of text, no finish yet.
    static func head(_ pieces: [String]) -> String {
        HTTPResponses.sse(event(delta: ["role": "assistant", "content": ""]) + pieces.map { event(delta: ["content": $0]) }.joined())
    }

    /// The end of a reply: the finish reason, a usage chunk (12 in, 3 out) and `[DONE]`.
    static func tail(finish: String, pieces: [String] = []) -> String {
        pieces.map { event(delta: ["content": $0]) }.joined() + event(delta: [:], finish: finish)
            + data(["id": "chatcmpl-e2e", "object": "chat.completion.chunk", "choices": [Any](),
                    "usage": ["prompt_tokens": 12, "completion_tokens": 3, "total_tokens": 15]])
            + "data: [DONE]\n\n"
    }

    /// A complete text answer, streamed as two deltas (split at the first space) so the client
    /// has to join them.
    static func text(_ answer: String) -> String {
        let split = answer.firstIndex(of: " ") ?? answer.endIndex
        return head([String(answer[..<split])]) + tail(finish: "stop", pieces: [String(answer[split...])])
    }

    /// A reply with optional text, then one tool call whose raw `arguments` text arrives in two
    /// deltas (as models stream it), finishing with `tool_calls`.
    static func toolCall(id: String, name: String, arguments: String, text: String? = nil) -> String {
        let cut = arguments.index(arguments.startIndex, offsetBy: arguments.count / 2)
        let first: [String: Any] = [
            "index": 0, "id": id, "type": "function", "function": ["name": name, "arguments": String(arguments[..<cut])],
        ]
        let second: [String: Any] = ["index": 0, "function": ["arguments": String(arguments[cut...])]]
        return head(text.map { [$0] } ?? [])
            + event(delta: ["tool_calls": [first]]) + event(delta: ["tool_calls": [second]])
            + tail(finish: "tool_calls")
    }

    /// A tool call whose arguments are given as a JSON object.
    static func toolCall(id: String, name: String, json arguments: [String: Any], text: String? = nil) -> String {
        toolCall(id: id, name: name, arguments: serialize(arguments), text: text)
    }

    static func serialize(_ object: Any) -> String {
        // Objects built in these tests always serialise.
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    private static func data(_ object: [String: Any]) -> String {
        "data: " + serialize(object) + "\n\n"
    }
}

extension ScriptedServer {
    /// A server answering each request with the next complete HTTP response.
    static func replying(_ responses: String...) throws -> ScriptedServer {
        try ScriptedServer(responses: responses)
    }

    /// The flags selecting this server as an unlisted llama.cpp model (local: no API key needed).
    var modelArguments: [String] {
        ["--provider", "llamacpp", "--model", "scripted", "--base-url", baseURL]
    }
}

extension RecordedRequest {
    /// The chat messages the client sent.
    var messages: [[String: Any]] {
        ((try? parseJSON(bodyText))?["messages"] as? [[String: Any]]) ?? []
    }

    /// The model id the client asked for.
    var model: String? {
        (try? parseJSON(bodyText))?["model"] as? String
    }

    /// The text of every `tool` role message, in order.
    var toolResults: [String] {
        messages.filter { $0["role"] as? String == "tool" }.map(Self.text(of:))
    }

    /// The text of every message with `role`, in order.
    func texts(role: String) -> [String] {
        messages.filter { $0["role"] as? String == role }.map(Self.text(of:))
    }

    /// A message's content, whether sent as a string or as an array of text parts.
    static func text(of message: [String: Any]) -> String {
        if let text = message["content"] as? String { return text }
        let parts = message["content"] as? [[String: Any]] ?? []
        return parts.compactMap { $0["text"] as? String }.joined()
    }
}

/// Polls `condition` until it holds or `seconds` pass. Only for waiting on another process's
/// output, which gives no other signal; ordering between test and server uses gates. Sleeps with
/// `Task.sleep` so a waiting test does not hold one of the few cooperative threads the async
/// tests in the same run need (two cores: two threads); a condition that must run a program
/// (tmux) awaits it off the pool.
func eventually(seconds: Double = 20, _ condition: () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return await condition()
}

/// `PieBinary.run` on a thread of its own: a pie run blocks until the process exits, which must
/// not tie up a cooperative thread (see `eventually`). At most two runs at a time, as many as
/// there are cores, so a burst of pie processes does not starve the timing-sensitive tests.
func runPie(
    _ arguments: [String], cwd: String, environment: [String: String] = [:], stdin: String? = nil,
    launcher: [String] = []
) async throws -> PieBinary.Result {
    await ProcessSlots.shared.acquire()
    let result = await withCheckedContinuation { continuation in
        Thread.detachNewThread {
            continuation.resume(returning: Result { try PieBinary.run(arguments, cwd: cwd, environment: environment, stdin: stdin, launcher: launcher) })
        }
    }
    await ProcessSlots.shared.release()
    return try result.get()
}

/// A counting semaphore for `runPie`.
actor ProcessSlots {
    static let shared = ProcessSlots(count: 2)
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(count: Int) {
        free = count
    }

    func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }
}

/// The first executable named `name` on pie's scrubbed PATH, or a failure telling how to install it.
func requireTool(_ name: String, install: String) throws -> String {
    let directories = (PieBinary.environment(cwd: "/")["PATH"] ?? "").split(separator: ":")
    let found = directories.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    return try #require(found, "\(name) is not installed; this test needs it: \(install)")
}

/// `runTool` on a thread of its own, for async code: under a full suite's load even a short
/// tmux command can take a large part of a second, which must not be taken from the pool.
@discardableResult
func runToolOffPool(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, stdout: String) {
    try await offCooperativePool { try runTool(executable, arguments) }
}

/// Runs a helper program to completion and returns its exit status and standard output; blocks
/// the calling thread (async code calls `runToolOffPool`).
///
/// Spawned and reaped directly rather than with Foundation's `Process`: `tmux new-session` forks
/// its server before exiting, and `Process.waitUntilExit` was seen never to notice that client's
/// exit, hanging the test. Output goes through a file, so no daemon can hold a pipe open.
@discardableResult
func runTool(_ executable: String, _ arguments: [String]) throws -> (status: Int32, stdout: String) {
    let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("pie-e2e-\(UUID().uuidString).out").path
    defer { unlink(outputPath) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    // Nothing else of this process: tmux's server lives on, and a file another test had open
    // would stay open in it (its late close reaches that test's inotify watch as a write).
    cpie_spawn_add_closefrom(&actions, 3)
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid = pid_t()
    let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
    guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO) }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0, errno == EINTR {}
    let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    // WIFEXITED ? WEXITSTATUS : 128 + signal, as a shell reports it.
    let exitStatus = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    return (exitStatus, output)
}

/// A pie process whose output the test reads while it runs, so it can act (send SIGINT) once a
/// given piece of the answer has been printed.
final class RunningPie {
    private let process: HostProcess

    init(_ arguments: [String], cwd: String) throws {
        process = try HostProcess(
            PieBinary.command(arguments), cwd: cwd, environment: PieBinary.environment(cwd: cwd), input: .none)
    }

    var output: String { String(decoding: process.stdout, as: UTF8.self) }

    /// Waits (bounded) until standard output contains `text`.
    func waitForOutput(containing text: String) async -> Bool {
        await eventually { output.contains(text) }
    }

    /// What a user's Ctrl+C delivers.
    func interrupt() {
        process.signal(SIGINT)
    }

    /// Waits for exit; the output read so far plus whatever the pipes still held.
    func finish() async -> PieBinary.Result {
        if !(await eventually(seconds: 30) { process.exitStatus != nil }) {
            Issue.record("pie did not exit; terminating it")
            process.signal(SIGTERM)
        }
        let result = await process.exited()
        return PieBinary.Result(status: result.status, stdout: result.stdoutText, stderr: result.stderrText)
    }
}

extension ScratchProject {
    var pieDirectory: String { path + "/.home/.pie" }

    /// Every session file pie recorded (under `$PIE_DIR/sessions/<cwd-hash>/`), oldest first.
    func sessionFiles() -> [String] {
        let root = pieDirectory + "/sessions"
        let files = FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []
        return files.filter { $0.hasSuffix(".jsonl") }.sorted { ($0 as NSString).lastPathComponent < ($1 as NSString).lastPathComponent }
            .map { root + "/" + $0 }
    }

    /// The lines of a session file, each parsed as a JSON object (throws on any line that is not).
    func sessionEntries(_ file: String) throws -> [[String: Any]] {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        return try text.split(separator: "\n").map { try parseJSON(String($0)) }
    }

    func read(_ relative: String) throws -> String {
        try String(contentsOfFile: path + "/" + relative, encoding: .utf8)
    }

    /// Registers models in `$PIE_DIR/models.json` (flat form: id, provider, OpenAI chat completions, URL).
    func registerModels(_ models: [(id: String, provider: String, baseURL: String)]) throws {
        let entries = models.map { ["id": $0.id, "provider": $0.provider, "api": "openai-completions", "baseUrl": $0.baseURL] }
        try write(".home/.pie/models.json", ChatStream.serialize(["models": entries]))
    }
}

extension [String: Any] {
    /// `message.role` of a session entry (nil for the header and non-message entries).
    var messageRole: String? { (self["message"] as? [String: Any])?["role"] as? String }
}

/// A pie process on a pseudo-terminal: a detached tmux session on a private tmux server (its own
/// socket inside the scratch project, so removing the project removes it; no config file), so keys
/// and screen contents are exactly what a user would type and see.
struct TmuxTerminal {
    let tmux: String
    let socket: String
    let name = "pie"

    /// Starts `arguments` under pie's scrubbed environment (plus a terminal type and `extra`) in `cwd`.
    init(pie arguments: [String], cwd: String, environment extra: [String: String] = [:]) async throws {
        tmux = try requireTool("tmux", install: "install tmux (apt-get install tmux; `make test` installs its deps)")
        socket = cwd + "/.tmux-socket"
        let environment = PieBinary.environment(cwd: cwd, extra.merging(["TERM": "screen"]) { $1 }).sorted { $0.key < $1.key }
        let command = (["env", "-i"] + environment.map { "\($0.key)=\($0.value)" } + [PieBinary.path] + arguments)
            .map(Self.quote).joined(separator: " ")
        let started = try await runToolOffPool(tmux, ["-S", socket, "-f", "/dev/null", "new-session", "-d", "-s", name, "-x", "200", "-y", "50", "-c", cwd, command])
        try #require(started.status == 0, "tmux could not start a session")
    }

    /// Types `text` literally, then presses Enter.
    func type(_ text: String) async throws {
        try await runToolOffPool(tmux, ["-S", socket, "send-keys", "-t", name, "-l", text])
        try await press("Enter")
    }

    /// Presses a key by tmux name (`Enter`, `C-c`).
    func press(_ key: String) async throws {
        try await runToolOffPool(tmux, ["-S", socket, "send-keys", "-t", name, key])
    }

    /// The visible screen plus scrollback, escape sequences removed.
    func screen() async -> String {
        (try? await runToolOffPool(tmux, ["-S", socket, "capture-pane", "-p", "-t", name, "-S", "-200"]).stdout) ?? ""
    }

    /// `screen()` blocking the calling thread: only for a failure message, which is built only
    /// when the expectation has failed.
    func screenNow() -> String {
        (try? runTool(tmux, ["-S", socket, "capture-pane", "-p", "-t", name, "-S", "-200"]).stdout) ?? ""
    }

    /// Waits (bounded) until the screen satisfies `condition`; records the screen on failure.
    func waitForScreen(_ what: String, _ condition: (String) -> Bool, sourceLocation: SourceLocation = #_sourceLocation) async -> Bool {
        if await eventually({ condition(await screen()) }) { return true }
        Issue.record("timed out waiting for \(what); screen:\n\(await screen())", sourceLocation: sourceLocation)
        return false
    }

    func waitForScreen(containing text: String, sourceLocation: SourceLocation = #_sourceLocation) async -> Bool {
        await waitForScreen("\"\(text)\"", { $0.contains(text) }, sourceLocation: sourceLocation)
    }

    var isRunning: Bool {
        get async { (try? await runToolOffPool(tmux, ["-S", socket, "has-session", "-t", name]).status) == 0 }
    }

    /// Ends the private tmux server and anything still running in it.
    func kill() {
        _ = try? runTool(tmux, ["-S", socket, "kill-server"])
    }

    private static func quote(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}
