import Foundation
import Glibc
import PieTestSupport
import Testing

/// pie opens libcurl only for HTTP and libedit only for the interactive prompt. Run with a library
/// hidden (bubblewrap binds an empty file over it), the commands that do not need it still work
/// and those that do fail with the package to install instead of crashing.
@Suite("pie without libcurl or libedit")
struct MissingLibraryTests {
    /// The file the dynamic loader maps for `soname` on this machine, as `/proc/self/maps` names
    /// it once this process has opened it.
    static func path(of soname: String, package: String) throws -> String {
        let handle = try #require(dlopen(soname, RTLD_LAZY), "\(soname) is not installed: apt-get install \(package)")
        defer { dlclose(handle) }
        // Read to the end: /proc files report size 0, which makes a sized read stop after a page.
        let file = try #require(FileHandle(forReadingAtPath: "/proc/self/maps"))
        let maps = String(decoding: file.readDataToEndOfFile(), as: UTF8.self)
        let line = try #require(maps.split(separator: "\n").first { $0.contains("/\(soname)") }, "\(soname) is not mapped")
        let path = try #require(line.firstIndex(of: "/"))
        return String(line[path...])
    }

    /// bubblewrap showing the whole file system except the given libraries, which read as empty files.
    static func hiding(_ libraries: [(soname: String, package: String)]) throws -> [String] {
        let bwrap = try requireTool("bwrap", install: "apt-get install bubblewrap")
        var launcher = [bwrap, "--dev-bind", "/", "/"]
        for library in libraries {
            launcher += ["--ro-bind", "/dev/null", try path(of: library.soname, package: library.package)]
        }
        return launcher + ["--"]
    }

    /// Python's `pty` module giving pie a terminal, so it starts the interactive prompt; pie's
    /// output, standard error included, arrives on standard output.
    static func onTerminal() throws -> [String] {
        let python = try requireTool("python3", install: "apt-get install python3")
        return [python, "-c", "import os, pty, sys; sys.exit(os.waitstatus_to_exitcode(pty.spawn(sys.argv[1:])))"]
    }

    static let libcurl = (soname: "libcurl.so.4", package: "libcurl4")
    static let libedit = (soname: "libedit.so.2", package: "libedit2")

    @Test("--version and --print-tool-policy need neither")
    func commandsWithoutRequestsOrPrompt() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let launcher = try Self.hiding([Self.libcurl, Self.libedit])

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

        let result = try await runPie(arguments, cwd: project.path, launcher: try Self.hiding([Self.libcurl]))

        #expect(result.status == 1, "stderr: \(result.stderr)")
        #expect(result.stderr.hasPrefix("pie: libcurl.so.4 could not be loaded ("), "stderr: \(result.stderr)")
        #expect(result.stderr.contains("install it with `apt-get install libcurl4`"), "stderr: \(result.stderr)")
    }

    @Test("without libedit a one-shot prompt still runs and the interactive prompt says what to install")
    func promptWithoutLibedit() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let server = try ScriptedServer.replying(ChatStream.text("One-shot answer."))
        let launcher = try Self.hiding([Self.libedit])

        let oneShot = try await runPie(server.modelArguments + ["-p", "hello"], cwd: project.path, launcher: launcher)
        #expect(oneShot.status == 0, "stderr: \(oneShot.stderr)")
        #expect(oneShot.stdout.hasSuffix("One-shot answer.\n"))

        let interactive = try await runPie(
            server.modelArguments, cwd: project.path, launcher: try Self.onTerminal() + launcher)
        #expect(interactive.status == 1, "output: \(interactive.stdout)")
        #expect(interactive.stdout.contains("pie: libedit.so.2 could not be loaded ("), "output: \(interactive.stdout)")
        #expect(interactive.stdout.contains("install it with `apt-get install libedit2`"), "output: \(interactive.stdout)")
    }
}
