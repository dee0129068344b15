import Foundation
import Glibc
import PieTestSupport
import Testing

/// pie opens libcurl only when it needs HTTP. Run with libcurl hidden (bubblewrap binds an empty
/// file over it), the commands that make no request still work and those that do fail with the
/// install hint instead of crashing.
@Suite("pie without libcurl")
struct MissingLibcurlTests {
    /// The file the dynamic loader maps for `libcurl.so.4` on this machine, as `/proc/self/maps`
    /// names it once this process has opened it.
    static func libcurlPath() throws -> String {
        let handle = try #require(dlopen("libcurl.so.4", RTLD_LAZY), "libcurl.so.4 is not installed: apt-get install libcurl4")
        defer { dlclose(handle) }
        // Read to the end: /proc files report size 0, which makes a sized read stop after a page.
        let file = try #require(FileHandle(forReadingAtPath: "/proc/self/maps"))
        let maps = String(decoding: file.readDataToEndOfFile(), as: UTF8.self)
        let line = try #require(maps.split(separator: "\n").first { $0.contains("/libcurl.so.4") }, "libcurl.so.4 is not mapped")
        let path = try #require(line.firstIndex(of: "/"))
        return String(line[path...])
    }

    /// bubblewrap showing the whole file system except libcurl, which reads as an empty file.
    static func withoutLibcurl() throws -> [String] {
        let bwrap = try requireTool("bwrap", install: "apt-get install bubblewrap")
        return [bwrap, "--dev-bind", "/", "/", "--ro-bind", "/dev/null", try libcurlPath(), "--"]
    }

    @Test("--version and --print-tool-policy need no libcurl")
    func commandsWithoutRequests() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let launcher = try Self.withoutLibcurl()

        let version = try await runPie(["--version"], cwd: project.path, launcher: launcher)
        #expect(version.status == 0, "stderr: \(version.stderr)")
        let policy = try await runPie(["--print-tool-policy"], cwd: project.path, launcher: launcher)
        #expect(policy.status == 0, "stderr: \(policy.stderr)")
        #expect(try parseJSON(policy.stdout)["preset"] as? String == "balanced")
    }

    @Test("a run and a model check exit 1 and say how to install libcurl", arguments: [
        ["--provider", "llamacpp", "--model", "m", "--base-url", "http://127.0.0.1:9/v1", "--no-session", "-p", "hi"],
        ["models", "check", "llamacpp:local-model"],
    ])
    func commandsThatNeedHTTP(arguments: [String]) async throws {
        let project = try ScratchProject()
        defer { project.remove() }

        let result = try await runPie(arguments, cwd: project.path, launcher: try Self.withoutLibcurl())

        #expect(result.status == 1, "stderr: \(result.stderr)")
        #expect(result.stderr.hasPrefix("pie: libcurl.so.4 could not be loaded ("), "stderr: \(result.stderr)")
        #expect(result.stderr.contains("install it with `apt-get install libcurl4`"), "stderr: \(result.stderr)")
    }
}
