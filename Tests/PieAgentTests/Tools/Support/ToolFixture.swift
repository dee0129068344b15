import Foundation
import PieAgent
import PiePolicy
import PieSandbox

/// A temporary project directory with a tool context over it, using the production backends:
/// `ConfinedFileOperations` and `SandboxedShell` (sandbox mode `off`, so tests run without
/// bubblewrap), both built from the fixture's current policy.
final class ToolFixture: @unchecked Sendable {
    let root: String
    var policy: ToolPolicy

    init() {
        let base = FileManager.default.temporaryDirectory.resolvingSymlinksInPath().path
        root = base + "/pie-tools-" + UUID().uuidString.prefix(8).lowercased()
        try? FileManager.default.createDirectory(atPath: root + "/.spill", withIntermediateDirectories: true)
        policy = Self.policy(root: root)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: root)
    }

    static func policy(root: String) -> ToolPolicy {
        ToolPolicy(
            preset: .balanced,
            paths: PathPolicy(
                projectRoot: root, readRoots: [root], writeRoots: [root], deny: ["**/.env"], protected: [],
                home: root + "/home"),
            maxFileReadBytes: 10 * 1024 * 1024, maxFileWriteBytes: 10 * 1024 * 1024,
            maxToolOutputBytes: 1024 * 1024, bashTimeoutMs: 30_000, maxCommandLength: 10_000,
            bashProfile: .balanced, allowCommands: [], bashDryRun: false, trace: false, sandboxMode: .off,
            sandboxCommand: nil, sandboxNetwork: false, enforceRegularFiles: true, auditLog: nil)
    }

    var spill: String { root + "/.spill" }

    func context(onUpdate: @escaping @Sendable (ToolResult) -> Void = { _ in }) -> ToolContext {
        ToolContext(
            cwd: root, files: ConfinedFileOperations(paths: policy.paths, enforceRegularFiles: policy.enforceRegularFiles),
            shell: SandboxedShell(policy: policy, environment: ProcessInfo.processInfo.environment), policy: policy,
            spillDirectory: spill, onUpdate: onUpdate)
    }

    func write(_ relative: String, _ text: String) {
        write(relative, bytes: Array(text.utf8))
    }

    func write(_ relative: String, bytes: [UInt8]) {
        let path = root + "/" + relative
        try? FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    }

    func read(_ relative: String) -> String? {
        FileManager.default.contents(atPath: root + "/" + relative).map { String(decoding: $0, as: UTF8.self) }
    }

    func bytes(_ relative: String) -> [UInt8]? {
        FileManager.default.contents(atPath: root + "/" + relative).map(Array.init)
    }

    /// Validates JSON arguments and runs the tool, as the runner does minus policy and hooks.
    func run(_ tool: any AgentTool, _ json: String, context: ToolContext? = nil) async -> ToolResult {
        switch ToolArguments.validate(Array(json.utf8), for: tool) {
        case .failure(let error): return .error(error.description)
        case .success(let arguments):
            do {
                return try await tool.execute(arguments, context: context ?? self.context())
            } catch {
                return .error(error.message, details: error.details)
            }
        }
    }
}
