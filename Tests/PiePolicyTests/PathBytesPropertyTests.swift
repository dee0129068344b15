import Foundation
import PieTestSupport
import Testing

@testable import PiePolicy

/// Scalars that form one grapheme cluster with a `/` next to them, derived from the toolchain's own
/// Unicode data (its grapheme breaking, UAX #29) rather than from a list that could go stale.
struct FusingScalars: Sendable {
    /// Prepend (rule GB9b): joins the character after it, so `x\u{600}/` ends in the cluster `\u{600}/`.
    let beforeSlash: [Unicode.Scalar]
    /// Extend, ZWJ and SpacingMark (GB9, GB9a): join the character before them, so `/\u{301}` is one cluster.
    let afterSlash: [Unicode.Scalar]
    /// Sequences that cluster among themselves (CR LF, regional-indicator pairs, Hangul jamo, an
    /// emoji ZWJ sequence): they must not change path arithmetic either.
    static let clusters = ["\r\n", "\u{1F1E9}\u{1F1EA}", "\u{1100}\u{1161}\u{11A8}", "\u{1F468}\u{200D}\u{1F4BB}"]

    /// The classes, derived once per test process on a thread of their own. Breaking all 1.1
    /// million scalars into graphemes takes seconds of a debug build's CPU (minutes under a full
    /// suite's load); as lazy static lets, the first test computed them on a cooperative-pool
    /// thread while every other test that needed them blocked another pool thread in the
    /// initialiser's lock, which together held the whole pool.
    static func derived() async throws -> FusingScalars {
        try await derivation.value
    }

    private static let derivation = Task { try await offCooperativePool { FusingScalars() } }

    private init() {
        let all = (1...0x10FFFF).compactMap { Unicode.Scalar(UInt32($0)) }
        beforeSlash = all.filter { (String($0) + "/").count == 1 }
        afterSlash = all.filter { ("/" + String($0)).count == 1 }
    }
}

/// Runs `realpath -m -z --` on many paths at once, in `directory`: the kernel's (coreutils') answer.
func realpathMissingOK(_ paths: [String], in directory: String) async throws -> [[UInt8]] {
    var results: [[UInt8]] = []
    for start in stride(from: 0, to: paths.count, by: 2000) {
        let batch = Array(paths[start..<min(start + 2000, paths.count)])
        let result = try await HostProcess.run(["/usr/bin/realpath", "-m", "-z", "--"] + batch, cwd: directory)
        #expect(result.status == 0, "realpath failed")
        let answers = result.stdout.split(separator: 0, omittingEmptySubsequences: false).dropLast().map(Array.init)
        #expect(answers.count == batch.count, "realpath answered \(answers.count) of \(batch.count) paths")
        results += answers
    }
    return results
}

/// The paths the policy computes, compared with `realpath -m` byte for byte (Swift's `==` would
/// hide exactly the bug: it calls canonically equivalent spellings equal).
@Suite("Paths are bytes: policy path arithmetic equals realpath")
struct PathBytesPropertyTests {
    @Test("the derived Unicode classes hold their documented members")
    func derivedClasses() async throws {
        let fusing = try await FusingScalars.derived()
        for prepend: Unicode.Scalar in ["\u{600}", "\u{605}", "\u{6DD}", "\u{70F}", "\u{110BD}", "\u{111C2}"] {
            #expect(fusing.beforeSlash.contains(prepend), "U+\(String(prepend.value, radix: 16)) is Prepend")
        }
        for extend: Unicode.Scalar in ["\u{301}", "\u{200D}", "\u{200C}", "\u{FE0F}", "\u{E0100}", "\u{1F3FB}", "\u{903}"] {
            #expect(fusing.afterSlash.contains(extend), "U+\(String(extend.value, radix: 16)) is Extend/ZWJ/SpacingMark")
        }
        #expect(fusing.beforeSlash.count >= 20)
        #expect(fusing.afterSlash.count >= 2000)
    }

    @Test("every Prepend, Extend, ZWJ and SpacingMark scalar next to '/', '.' and '..'")
    func everyFusingScalar() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let fusing = try await FusingScalars.derived()
        var paths: [String] = []
        for scalar in fusing.beforeSlash + fusing.afterSlash {
            let c = String(scalar)
            paths += [
                "\(dir.path)/x\(c)/../../outside/f", "\(dir.path)/d\(c)/..", "\(dir.path)/\(c)/../f",
                "\(dir.path)/a/\(c)/../../..", "\(dir.path)/a/..\(c)/b", "\(dir.path)/a/\(c)../b",
                "\(dir.path)/a/.\(c)/./b", "\(dir.path)/a\(c)//.//..//b/", "\(dir.path)/a/b/\(c)../../c",
            ]
        }
        for cluster in FusingScalars.clusters {
            paths += ["\(dir.path)/x\(cluster)/../../outside/f", "\(dir.path)/\(cluster)/../\(cluster)/./..//z"]
        }
        try await expectAgreement(paths, in: dir.path)
    }

    @Test("random paths of fusing scalars, dots and slashes", arguments: [1, 2, 3])
    func randomPaths(seed: UInt64) async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        var generator = SplitMix(seed: seed)
        let scalars = try await FusingScalars.derived()
        let fusing = (scalars.beforeSlash + scalars.afterSlash).map(String.init) + FusingScalars.clusters
        var relative: [String] = []
        for _ in 0..<3000 {
            var parts: [String] = []
            for _ in 0..<Int.random(in: 1...8, using: &generator) {
                let c = fusing.randomElement(using: &generator) ?? ""
                let pool = [".", "..", "..", "", "q", "q\(c)", "\(c)q", "\(c)", "..\(c)", "\(c)..", ".\(c)"]
                parts.append(pool.randomElement(using: &generator) ?? ".")
            }
            relative.append(parts.joined(separator: "/"))
        }
        let nonEmpty = relative.filter { !$0.isEmpty }
        try await expectAgreement(nonEmpty.map { dir.path + "/" + $0 }, in: dir.path)
        try await expectRelativeAgreement(nonEmpty, in: dir.path)
    }

    /// `PathNormalizer.normalize`, `PathResolver.resolve` (lexical and canonical) and the shell's
    /// redirect arithmetic all land where realpath does.
    private func expectAgreement(_ paths: [String], in directory: String) async throws {
        let expected = try await realpathMissingOK(paths, in: directory)
        var mismatches: [String] = []
        for (path, answer) in zip(paths, expected) {
            let resolved = PathResolver.resolve(path)
            let computed = [
                ("normalize", PathNormalizer.normalize(path)), ("lexical", resolved.lexical),
                ("canonical", resolved.canonical), ("shell", ShellPath.resolve(path, against: "/")),
            ]
            for (name, value) in computed where Array(value.utf8) != answer {
                mismatches.append("\(name) \(path.debugDescription) -> \(value.debugDescription), realpath says "
                    + String(decoding: answer, as: UTF8.self).debugDescription)
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, first: \(mismatches.prefix(5))")
    }

    private func expectRelativeAgreement(_ paths: [String], in directory: String) async throws {
        let expected = try await realpathMissingOK(paths, in: directory)
        var mismatches: [String] = []
        for (path, answer) in zip(paths, expected) {
            let computed = [
                ("join", PathNormalizer.join(directory, path)), ("shell", ShellPath.resolve(path, against: directory)),
            ]
            for (name, value) in computed where Array(value.utf8) != answer {
                mismatches.append("\(name) \(path.debugDescription) -> \(value.debugDescription)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, first: \(mismatches.prefix(5))")
    }
}

/// A seeded generator, so a failing random case can be reproduced.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
