import Foundation
import Testing
@testable import PiePolicy

@Suite("Bad policy input is one clear error")
struct ProfileErrorTests {
    func error(profile text: String) throws -> String {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.file("p.toml", text)
        do {
            _ = try buildPolicy(cwd: dir.path, profile: "p.toml")
        } catch {
            return error.message.replacingOccurrences(of: dir.path, with: "DIR")
        }
        Issue.record("expected a PolicyError")
        return ""
    }

    @Test("an unknown field names file, line, the field and a suggestion")
    func unknownField() throws {
        let message = try error(profile: "# comment\nmax_file_read_byte = 10\n")
        #expect(message.hasPrefix("DIR/p.toml:2: unknown field 'max_file_read_byte' (did you mean 'max_file_read_bytes'?)"))
        #expect(message.contains("valid fields: extends, max_file_read_bytes"))
    }

    @Test("a NUL byte is refused with its line, not read as the end of the file (settings after it were dropped)")
    func nulByte() throws {
        let message = try error(profile: "extends = \"hardened\"\n# note \u{0}\nmax_command_length = 900\n")
        #expect(message == "DIR/p.toml:2: a NUL byte, which TOML does not allow; remove it (settings after it would be lost)")
    }

    @Test("a value out of range names the range")
    func outOfRange() throws {
        let message = try error(profile: "\n\nmax_tool_output_bytes = 3\n")
        #expect(message == "DIR/p.toml:3: max_tool_output_bytes: 3 is out of range; expected 128...67108864")
    }

    @Test("a wrong type names what was expected and what was found")
    func wrongType() throws {
        let message = try error(profile: "bash_dry_run = \"yes\"\n")
        #expect(message == "DIR/p.toml:1: bash_dry_run: expected true or false, got the string \"yes\"")
    }

    @Test("a bad choice lists the valid ones")
    func badChoice() throws {
        let message = try error(profile: "os_sandbox_mode = \"sometimes\"\n")
        #expect(message == "DIR/p.toml:1: os_sandbox_mode: 'sometimes' is not one of off, auto, force")
    }

    @Test("a bad extends lists the presets")
    func badExtends() throws {
        let message = try error(profile: "extends = \"paranoid\"\n")
        #expect(message == "DIR/p.toml:1: extends must name a preset: permissive, balanced, strict, hardened")
    }

    @Test("malformed TOML names the line")
    func malformed() throws {
        let message = try error(profile: "bash_timeout_ms = 10\nthis is not toml\n")
        #expect(message.hasPrefix("DIR/p.toml:2: "))
    }

    @Test("a missing profile file is an error, not ignored")
    func missingProfile() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        #expect(throws: PolicyError.self) { try buildPolicy(cwd: dir.path, profile: "nope.toml") }
    }

    @Test("a bad environment value names the variable")
    func badEnvironment() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        do {
            _ = try buildPolicy(cwd: dir.path, environment: ["PIE_BASH_PROFILE": "lax"])
            Issue.record("expected a PolicyError")
        } catch {
            #expect(error.message == "PIE_BASH_PROFILE: 'lax' is not one of permissive, balanced, strict")
        }
    }

    @Test("an --allow-path that does not exist is an error")
    func missingAllowPath() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        do {
            _ = try buildPolicy(cwd: dir.path, flags: flagLayer([(.allowPaths, .list(["missing"]))]))
            Issue.record("expected a PolicyError")
        } catch {
            #expect(error.message == "--allow-path (flag): 'missing' does not exist; create it or remove the entry")
        }
    }

    /// Error lines come from `ProfileParser.keyLines`: the first `key =` on a line not starting
    /// with `#`, after spaces and tabs; CRLF is one character in Swift, so it never ends a line.
    @Test("keys are found on their line; comments, repeats and CRLF lines are not")
    func keyLines() {
        let text = "# a = 0\n  a = 1\n\tb\t= 2\n= 3\nc\na = 4\n d = 5\r\ne = 6\n#f=7\n"
        #expect(ProfileParser.keyLines(text) == ["a": 2, "b": 3, "d": 7])
    }
}
