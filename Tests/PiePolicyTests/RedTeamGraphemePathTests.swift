import Foundation
import Testing

@testable import PiePolicy

/// One grapheme-path attack: a path (relative to the project) that the kernel resolves outside the
/// project, although a `Character`-based split or a canonical-equivalence comparison would keep
/// it inside.
struct GraphemeAttack: Sendable, CustomTestStringConvertible {
    var path: String
    var why: String

    var testDescription: String { "\(why): \(path.debugDescription)" }

    /// Written from UAX #29's cluster rules: each class that can fuse a `/` into a cluster, or
    /// cluster around it, once before and once after a `..`.
    static let all: [GraphemeAttack] = [
        .init(path: "x\u{600}/../../outside/f", why: "Prepend U+0600 fuses with the slash after it"),
        .init(path: "x\u{605}/../../outside/f", why: "Prepend U+0605"),
        .init(path: "x\u{110BD}/../../outside/f", why: "Prepend U+110BD (Kaithi number sign)"),
        .init(path: "x/../../\u{301}/../outside/f", why: "Extend U+0301 after a slash"),
        .init(path: "d\u{301}/../../outside/f", why: "Extend on the component's last letter"),
        .init(path: "\u{200D}/../../outside/f", why: "ZWJ alone as a component"),
        .init(path: "a/\u{200D}/../../../outside/f", why: "ZWJ after a slash"),
        .init(path: "x/../../\u{FE0F}/../outside/f", why: "variation selector VS16 after a slash"),
        .init(path: "x/../../\u{E0100}/../outside/f", why: "variation selector VS17 after a slash"),
        .init(path: "x/../../\u{903}/../outside/f", why: "SpacingMark U+0903 after a slash"),
        .init(path: "x/../../\u{1F3FB}/../outside/f", why: "emoji modifier (Extend) after a slash"),
        .init(path: "x\r\n/../../outside/f", why: "CR LF cluster before a slash"),
        .init(path: "\u{1F1E9}\u{1F1EA}/../../outside/f", why: "regional-indicator pair"),
        .init(path: "\u{1100}\u{1161}/../../outside/f", why: "Hangul jamo L V"),
        .init(path: "x\u{600}/..\u{600}/../../../outside/f", why: "Prepend before two slashes"),
    ]
}

/// The policy refuses every grapheme-path escape under strict and hardened, for the write tool and
/// for shell redirections and write operands, and still allows such names inside the project.
@Suite("Red team: grapheme paths in the policy")
struct RedTeamGraphemePathTests {
    struct Fixture {
        let dir: TempDirectory
        let project: String
        let engine: PolicyEngine

        init(preset: PolicyPreset, projectName: String = "project") throws {
            dir = try TempDirectory()
            project = dir.path + "/" + projectName
            try dir.file("\(projectName)/README", "hi\n")
            try dir.directory("outside")
            let effective = try buildPolicy(cwd: project, home: dir.path + "/home", preset: preset)
            engine = try PolicyEngine(policy: effective.policy)
        }
    }

    static let presets: [PolicyPreset] = [.strict, .hardened]

    @Test("the write and edit tools cannot escape through a grapheme path", arguments: presets, GraphemeAttack.all)
    func fileTools(preset: PolicyPreset, attack: GraphemeAttack) throws {
        let f = try Fixture(preset: preset)
        defer { f.dir.remove() }
        for tool in [FileTool.write, .edit] {
            let decision = f.engine.evaluate(.file(tool: tool, path: attack.path))
            #expect(!decision.allowed, "\(tool) \(attack.path.debugDescription) was allowed: \(decision.reason)")
            #expect(decision.rule == "path.outside_roots", "\(decision.rule): \(decision.reason)")
            #expect(decision.resolvedPath.map { PathBytes.hasPrefix($0, f.dir.path + "/outside") } == true)
        }
    }

    @Test("a redirection cannot escape through a grapheme path", arguments: presets, GraphemeAttack.all)
    func redirections(preset: PolicyPreset, attack: GraphemeAttack) throws {
        let f = try Fixture(preset: preset)
        defer { f.dir.remove() }
        for command in ["echo pwned > '\(attack.path)'", "echo pwned >> '\(attack.path)'", "cat README 1<> '\(attack.path)'"] {
            let decision = f.engine.evaluate(.bash(command: command, cwd: nil))
            #expect(!decision.allowed, "\(command.debugDescription) was allowed under \(preset)")
            #expect(decision.rule == "redirect", "\(command.debugDescription): \(decision.rule): \(decision.reason)")
        }
    }

    @Test("a redirection from a grapheme-named working directory cannot escape", arguments: presets)
    func redirectionFromGraphemeDirectory(preset: PolicyPreset) throws {
        let f = try Fixture(preset: preset)
        defer { f.dir.remove() }
        try f.dir.directory("project/x\u{600}")
        let decision = f.engine.evaluate(.bash(command: "echo pwned > ../../outside/f", cwd: "x\u{600}"))
        #expect(!decision.allowed)
        #expect(decision.rule == "redirect", "\(decision.reason)")
    }

    @Test("names with fusing scalars stay usable inside the project", arguments: presets)
    func insideStaysAllowed(preset: PolicyPreset) throws {
        let f = try Fixture(preset: preset)
        defer { f.dir.remove() }
        for path in ["d\u{600}/f", "x/..\u{600}/f", "\u{200D}/f", "d\u{301}/f", "x/\u{301}../f"] {
            let decision = f.engine.evaluate(.file(tool: .write, path: path))
            #expect(decision.allowed, "\(path.debugDescription): \(decision.reason)")
            let expected = PathNormalizer.normalize(f.project + "/" + path)
            #expect(decision.resolvedPath.map { Array($0.utf8) } == Array(expected.utf8))
        }
        let redirect = f.engine.evaluate(.bash(command: "echo ok > 'd\u{600}/f'", cwd: nil))
        #expect(redirect.allowed, "\(redirect.reason)")
    }

    /// Canonically equivalent spellings are different directories: a project named with Hangul jamo
    /// (`p` + U+1100 U+1161) does not contain its precomposed sibling (`p` + U+AC00), although
    /// Swift's `hasPrefix` calls the two prefixes equal and the byte after them is a slash.
    @Test("a canonically equivalent sibling of the project is outside it", arguments: presets)
    func canonicalEquivalentSibling(preset: PolicyPreset) throws {
        let f = try Fixture(preset: preset, projectName: "p\u{1100}\u{1161}")
        defer { f.dir.remove() }
        let sibling = f.dir.path + "/p\u{AC00}/ab/f"
        #expect(sibling.hasPrefix(f.project), "the premise: String.hasPrefix calls the sibling inside")
        let decision = f.engine.evaluate(.file(tool: .write, path: sibling))
        #expect(!decision.allowed)
        #expect(decision.rule == "path.outside_roots")
        let redirect = f.engine.evaluate(.bash(command: "echo pwned > ../p\u{AC00}/ab/f", cwd: nil))
        #expect(!redirect.allowed)
        #expect(redirect.rule == "redirect", "\(redirect.reason)")
    }

    @Test("a deny entry matches its own bytes, not a canonically equivalent spelling")
    func denyMatchesBytes() {
        let paths = PathPolicy(
            projectRoot: "/p", readRoots: [], writeRoots: ["/p"], deny: ["/p/caf\u{E9}"], protected: [".git/hooks"],
            home: "/home/u")
        #expect(paths.classify("/p/caf\u{E9}/x", access: .read) != .allowed(root: "/p"))
        #expect(paths.classify("/p/cafe\u{301}/x", access: .read) == .allowed(root: "/p"))
        #expect(!PathNormalizer.isWithin("/p/cafe\u{301}", "/p/caf\u{E9}"))
        #expect(!PathNormalizer.isWithin("/p/x\u{600}/y", "/p/x"))
        #expect(PathNormalizer.isWithin("/p/x\u{600}/y", "/p/x\u{600}"))
        #expect(PathNormalizer.isMagicProcPath(PathNormalizer.normalize("/proc/x\u{600}/../self/root")))
    }
}
