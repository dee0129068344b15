import Foundation
import Glibc
import PieHooks
import PiePolicy
import Testing

@Suite("Finding and reading the hooks files")
struct HookFilesTests {
    @Test func aFIFOOrAnOversizedFileIsAnErrorNotAHangOrACut() throws {
        let scratch = try HookScratch()
        try FileManager.default.createDirectory(atPath: scratch.project + "/.pie", withIntermediateDirectories: true)
        #expect(mkfifo(scratch.projectHooks, 0o600) == 0)
        #expect(throws: HookLoadError.unreadable(path: scratch.projectHooks, problem: "not a regular file; a hooks file must be a plain file")) {
            try HookFiles.read(stateDirectory: scratch.pieDirectory, project: scratch.project)
        }
        try FileManager.default.removeItem(atPath: scratch.projectHooks)
        // Valid TOML throughout, so a reader cut at the limit would find hooks and lose the rest.
        let line = "[[hook]]\nevent = \"agent_end\"\ncommand = \"true\"\n"
        try scratch.write(scratch.userHooks, String(repeating: line, count: (1 << 20) / line.utf8.count + 1))
        #expect {
            try HookFiles.read(stateDirectory: scratch.pieDirectory, project: scratch.project)
        } throws: { error in
            guard case .unreadable(let path, let problem) = error as? HookLoadError else { return false }
            return path == scratch.userHooks && problem.contains("larger than 1048576 bytes")
        }
    }

    @Test func theProjectFileOfTheHomeDirectoryIsTheUsersOwn() throws {
        let scratch = try HookScratch()
        try scratch.write(scratch.userHooks, "[[hook]]\nevent = \"agent_end\"\ncommand = \"true\"\n")
        let files = try HookFiles.read(stateDirectory: scratch.pieDirectory, project: scratch.home)
        #expect(files.project == nil)
        #expect(try files.configuration(untrusted: .fail).hooks.count == 1)
    }

    @Test func userHooksComeFirstAndTrustFollowsTheBytes() throws {
        let scratch = try HookScratch()
        try scratch.write(scratch.userHooks, "[[hook]]\nevent = \"pre_tool\"\ncommand = \"exit 0\"\n")
        let project = "[[hook]]\nevent = \"pre_tool\"\ncommand = \"exit 2\"\n"
        try scratch.write(scratch.projectHooks, project)
        let trust = ProjectTrust(stateDirectory: scratch.pieDirectory)
        try trust.trust(file: scratch.projectHooks, contents: Array(project.utf8))
        let files = try HookFiles.read(stateDirectory: scratch.pieDirectory, project: scratch.project)
        #expect(files.project?.trust == .trusted)
        let hooks = try files.configuration(untrusted: .fail).hooks
        #expect(hooks.map(\.origin.scope) == [.user, .project] && hooks.map(\.command) == ["exit 0", "exit 2"])

        try scratch.write(scratch.projectHooks, project.replacingOccurrences(of: "exit 2", with: "exit 0"))
        let changed = try HookFiles.read(stateDirectory: scratch.pieDirectory, project: scratch.project)
        #expect(changed.project?.trust == .changed)
        let skipped = try changed.configuration(untrusted: .skip)
        #expect(skipped.hooks.count == 1 && skipped.notices == [.untrusted(path: scratch.projectHooks, status: .changed)])
        #expect(throws: HookLoadError.untrusted(.untrusted(path: scratch.projectHooks, status: .changed))) {
            try changed.configuration(untrusted: .fail)
        }
    }
}
