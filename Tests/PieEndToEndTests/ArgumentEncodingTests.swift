import CPieSys
import Foundation
import PieTestSupport
import Testing

/// Runs the built `pie` with raw argument and environment bytes. Foundation's `Process` takes
/// `String`s, which cannot hold invalid UTF-8, so this spawns through `posix_spawn` directly,
/// with `/bin/sh` changing into `cwd`, or into `directory` when given as raw bytes (its `"$@"`
/// passes bytes through untouched). The run is waited for on a thread of its own, not on one of
/// the cooperative pool's few threads.
func runPieRaw(
    _ arguments: [[UInt8]], cwd: String, directory: [UInt8]? = nil, environment extra: [[UInt8]] = []
) async throws -> PieBinary.Result {
    try await offCooperativePool { try runPieRawBlocking(arguments, cwd: cwd, directory: directory, environment: extra) }
}

private func runPieRawBlocking(
    _ arguments: [[UInt8]], cwd: String, directory: [UInt8]?, environment extra: [[UInt8]]
) throws -> PieBinary.Result {
    let output = cwd + "/.home/stdout-\(UUID().uuidString)"
    let errors = cwd + "/.home/stderr-\(UUID().uuidString)"
    defer {
        unlink(output)
        unlink(errors)
    }
    let argv: [[UInt8]] =
        [Array("/bin/sh".utf8), Array("-c".utf8), Array(#"cd "$0" || exit 97; exec "$@""#.utf8), directory ?? Array(cwd.utf8),
         Array(PieBinary.path.utf8)] + arguments
    let environment = PieBinary.environment(cwd: cwd).map { Array("\($0.key)=\($0.value)".utf8) } + extra
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, errors, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    // No descriptor of this process beyond those: see `runTool`.
    cpie_spawn_add_closefrom(&actions, 3)

    let cArgv = argv.map { bytes in strdup(bytes.map { CChar(bitPattern: $0) } + [0]) }
    let cEnvironment = environment.map { bytes in strdup(bytes.map { CChar(bitPattern: $0) } + [0]) }
    defer { (cArgv + cEnvironment).forEach { free($0) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, "/bin/sh", &actions, nil, cArgv + [nil], cEnvironment + [nil])
    guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO) }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0, errno == EINTR {}
    let exitCode = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    return PieBinary.Result(
        status: exitCode,
        stdout: String(decoding: FileManager.default.contents(atPath: output) ?? Data(), as: UTF8.self),
        stderr: String(decoding: FileManager.default.contents(atPath: errors) ?? Data(), as: UTF8.self))
}

private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// A JSON write call whose path holds `raw` bytes (possibly invalid UTF-8) in the middle.
private func writeCall(pathWith raw: [UInt8]) -> [UInt8] {
    bytes(#"{"path":"bad"#) + raw + bytes(#".txt","content":"pwned"}"#)
}

/// Byte sequences that are not UTF-8, by the ways UTF-8 can be broken (RFC 3629 §3, §10).
let invalidSequences: [(String, [UInt8])] = [
    ("lone continuation byte", [0x80]), ("0xFF", [0xFF]), ("truncated 2-byte sequence", [0xC3]),
    ("overlong '/'", [0xC0, 0xAF]), ("overlong NUL-free 3-byte", [0xE0, 0x80, 0xAF]),
    ("UTF-16 surrogate", [0xED, 0xA0, 0x80]), ("beyond U+10FFFF", [0xF4, 0x90, 0x80, 0x80]),
    ("Latin-1 é", [0xE9]),
]

@Suite("Red team: argument encoding (pie refuses bytes that are not UTF-8)")
struct ArgumentEncodingTests {
    /// Nothing ran: no file in the project besides the scratch home, and no audit log anywhere.
    private func expectNothingRan(_ project: ScratchProject, _ result: PieBinary.Result) throws {
        #expect(result.status == 2, "exit \(result.status): \(result.stderr)")
        #expect(result.stderr.contains("arguments are not valid UTF-8"), "\(result.stderr)")
        #expect(result.stdout.isEmpty, "\(result.stdout)")
        let entries = try FileManager.default.contentsOfDirectory(atPath: project.path)
        #expect(entries == [".home"], "\(entries)")
        let home = FileManager.default.enumerator(atPath: project.path + "/.home")?.allObjects as? [String] ?? []
        #expect(!home.contains { $0.contains("audit") || $0.hasSuffix(".jsonl") }, "\(home)")
    }

    @Test("invalid UTF-8 in --args is refused: exit 2, nothing runs, nothing is audited", arguments: invalidSequences)
    func inlineArguments(name: String, sequence: [UInt8]) async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let result = try await runPieRaw([bytes("tool"), bytes("write"), bytes("--args"), writeCall(pathWith: sequence)], cwd: project.path)
        try expectNothingRan(project, result)
        #expect(result.stderr.contains("after '--args'"), "\(result.stderr)")
    }

    @Test("invalid UTF-8 in an --args-file is refused: exit 2, nothing runs, nothing is audited", arguments: invalidSequences)
    func fileArguments(name: String, sequence: [UInt8]) async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let file = project.path + "/.home/args.json"
        #expect(FileManager.default.createFile(atPath: file, contents: Data(writeCall(pathWith: sequence))))
        let result = try await runPieRaw([bytes("tool"), bytes("write"), bytes("--args-file"), bytes(file)], cwd: project.path)
        try expectNothingRan(project, result)
        #expect(result.stderr.contains(file), "\(result.stderr)")
    }

    @Test("--args-file passes exact bytes: a write into a directory ending in U+0600 works")
    func argumentsFileExactBytes() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let file = project.path + "/.home/args.json"
        let call = #"{"path":"d\#u{600}/f.txt","content":"caf\#u{E9} e\#u{301}\n"}"#
        #expect(FileManager.default.createFile(atPath: file, contents: Data(call.utf8)))
        let result = try await runPie(["tool", "write", "--args-file", file], cwd: project.path)
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
        let written = FileManager.default.contents(atPath: project.path + "/d\u{600}/f.txt").map(Array.init)
        #expect(written == Array("caf\u{E9} e\u{301}\n".utf8))
    }

    @Test("--args and --args-file are exclusive, and one is required")
    func exactlyOneSource() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let both = try await runPie(["tool", "read", "--args", "{}", "--args-file", "/dev/null"], cwd: project.path)
        #expect(both.status == 2)
        #expect(both.stderr.contains("either --args or --args-file"), "\(both.stderr)")
        let neither = try await runPie(["tool", "read"], cwd: project.path)
        #expect(neither.status == 2)
        #expect(neither.stderr.contains("--args JSON or --args-file PATH"), "\(neither.stderr)")
        let missing = try await runPie(["tool", "read", "--args-file", project.path + "/none.json"], cwd: project.path)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("cannot open"), "\(missing.stderr)")
    }

    /// Every flag that names a path or a command, and the arguments of other commands: the check
    /// runs on the raw argv before parsing, so no flag can slip past it.
    static let flagCases: [[String]] = [
        ["tool", "write", "--cwd", "BAD"], ["tool", "write", "--allow-path", "BAD"],
        ["tool", "write", "--allow-command", "BAD"], ["tool", "write", "--tool-policy-profile", "BAD"],
        ["tool", "write", "--tool-audit-log", "BAD"], ["tool", "write", "--os-sandbox-command", "BAD {command}"],
        ["tool", "write", "--tool-policy-preset", "BAD"], ["tool", "write", "--args-file", "BAD"],
        ["BAD", "write"], ["policy", "explain", "--tool", "write", "--path", "BAD"],
        ["policy", "explain", "--tool", "bash", "--command", "touch BAD"], ["audit", "verify", "BAD"],
        ["--prompt-file", "BAD"], ["--system-prompt-file", "BAD", "-p", "hi"], ["--session", "BAD", "-p", "hi"],
    ]

    @Test("invalid UTF-8 in any flag value is refused before parsing", arguments: flagCases)
    func flagValues(flags: [String]) async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let raw = flags.map { flag in
            flag.contains("BAD") ? bytes(flag.replacingOccurrences(of: "BAD", with: "bad")) + [0xFF, 0x2F, 0x2E, 0x2E] : bytes(flag)
        }
        var arguments = raw
        if flags.first == "tool" {
            arguments += [bytes("--args"), bytes(#"{"path":"written.txt","content":"pwned"}"#)]
        }
        let result = try await runPieRaw(arguments, cwd: project.path)
        try expectNothingRan(project, result)
    }

    @Test("the same value in valid UTF-8 does run (the refusal is about the bytes)")
    func validControl() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let result = try await runPieRaw(
            [bytes("tool"), bytes("write"), bytes("--args"), bytes(#"{"path":"ok\#u{600}.txt","content":"x"}"#)],
            cwd: project.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: project.path + "/ok\u{600}.txt"))
    }

    @Test("a working directory whose path is not UTF-8 is refused, not repaired into another project")
    func workingDirectory() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let directory = Array(project.path.utf8) + [0x2F, 0x70, 0xFF]
        #expect(mkdir(directory.map { CChar(bitPattern: $0) } + [0], 0o755) == 0)
        defer { rmdir(directory.map { CChar(bitPattern: $0) } + [0]) }
        let result = try await runPieRaw(
            [bytes("tool"), bytes("write"), bytes("--args"), bytes(#"{"path":"written.txt","content":"pwned"}"#)],
            cwd: project.path, directory: directory)
        #expect(result.status == 2, "exit \(result.status): \(result.stderr)")
        #expect(result.stderr.contains("working directory's path is not valid UTF-8"), "\(result.stderr)")
        #expect(access((directory + Array("/written.txt".utf8)).map { CChar(bitPattern: $0) } + [0], F_OK) != 0)
    }

    @Test("pie's own environment variables must be UTF-8 too", arguments: ["PIE_DIR", "PIE_TOOL_AUDIT_LOG", "HOME"])
    func environmentVariables(name: String) async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let result = try await runPieRaw(
            [bytes("tool"), bytes("write"), bytes("--args"), bytes(#"{"path":"written.txt","content":"pwned"}"#)],
            cwd: project.path, environment: [bytes("\(name)=\(project.path)/x") + [0xFF]])
        try expectNothingRan(project, result)
        #expect(result.stderr.contains("environment variable \(name)"), "\(result.stderr)")
    }
}

/// The grapheme-path attacks of the issue through the real binary: denied under strict and
/// hardened with exit 1, and the file outside is not written.
@Suite("Red team: grapheme paths through pie tool")
struct GraphemePathCLITests {
    @Test("write through a fused '..' is denied", arguments: ["strict", "hardened"], [
        "x\u{600}/../../outside/f", "\u{200D}/../../outside/f", "x/../../\u{301}/../outside/f", "d\u{301}/../../outside/f",
    ])
    func writeDenied(preset: String, path: String) async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let inner = project.path + "/inner"
        try FileManager.default.createDirectory(atPath: inner + "/x\u{600}", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: project.path + "/outside", withIntermediateDirectories: true)
        let arguments = String(decoding: try JSONSerialization.data(withJSONObject: ["path": path, "content": "pwned"]), as: UTF8.self)
        let result = try await runPie(
            ["tool", "write", "--args", arguments, "--tool-policy-preset", preset, "--cwd", inner, "--json"], cwd: project.path)
        #expect(result.status == 1, "\(result.stdout) \(result.stderr)")
        #expect(result.stdout.contains("path.outside_roots"), "\(result.stdout)")
        #expect(!FileManager.default.fileExists(atPath: project.path + "/outside/f"))
    }

    @Test("a redirect through a fused '..' is denied and does not run", arguments: ["strict", "hardened"])
    func redirectDenied(preset: String) async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let inner = project.path + "/inner"
        try FileManager.default.createDirectory(atPath: inner + "/x\u{600}", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: project.path + "/outside", withIntermediateDirectories: true)
        let arguments = String(
            decoding: try JSONSerialization.data(withJSONObject: ["command": "echo pwned > 'x\u{600}/../../outside/f'"]),
            as: UTF8.self)
        let result = try await runPie(
            ["tool", "bash", "--args", arguments, "--tool-policy-preset", preset, "--cwd", inner], cwd: project.path)
        #expect(result.status == 1, "\(result.stdout) \(result.stderr)")
        #expect(result.stdout.contains("redirect"), "\(result.stdout)")
        #expect(!FileManager.default.fileExists(atPath: project.path + "/outside/f"))
    }
}
