import Foundation
import PiePolicy
import PieSandbox
import Testing

@testable import PieAgent

/// The tree search behind `grep`: batches of files searched on concurrent tasks must give exactly
/// the output of one file after another read by path, and the walk must stay beneath the root
/// while the tree changes under it.
@Suite("grep tree search")
struct GrepTreeTests {
    let fixture = ToolFixture()

    private var files: ConfinedFileOperations {
        ConfinedFileOperations(paths: fixture.policy.paths, enforceRegularFiles: fixture.policy.enforceRegularFiles)
    }

    private func search(_ pattern: String, limit: Int, context: Int = 0, glob: String? = nil, tasks: Int) throws -> GrepSearch {
        try GrepSearch(
            pattern: pattern, literal: false, ignoreCase: false, glob: glob.map(GlobPattern.init), context: context,
            limit: limit, files: files, maxFileBytes: 1 << 20, tasks: tasks)
    }

    /// Files and subdirectories interleaved in name order, several matches per file, CRLF files,
    /// binaries, an ignored directory and a denied file.
    private func makeTree() {
        fixture.write(".gitignore", "skipped/\n")
        fixture.write("skipped/n.txt", "needle ignored\n")
        fixture.write("top/.env", "needle secret\n")
        for directory in 0..<5 {
            for file in 0..<45 {
                let name = "d\(directory)/\(file % 9 == 4 ? "sub\(file)/" : "")f\(String(format: "%02d", file)).txt"
                var lines = (0..<8).map { "line \($0) of \(directory)-\(file)" }
                if file % 3 == 0 { lines[2] = "a needle here \(file)" }
                if file % 5 == 0 { lines[6] = "needle again and needles" }
                if file % 11 == 0 {
                    fixture.write(name, bytes: Array(lines.joined(separator: "\r\n").utf8))
                } else if file % 13 == 0 {
                    fixture.write(name, bytes: Array("needle".utf8) + [0] + Array(lines.joined(separator: "\n").utf8))
                } else {
                    fixture.write(name, lines.joined(separator: "\n") + "\n")
                }
            }
        }
    }

    /// The search as it was before batches: one file after another, each read by path.
    private func sequential(_ search: GrepSearch) -> GrepSearch.Found {
        var walker = TreeWalker(files: files, paths: fixture.policy.paths)
        var found = GrepSearch.Found()
        walker.walk(fixture.root) { entry in
            guard entry.kind == .regular else { return true }
            return search.scan(entry.path, shownAs: entry.relative, into: &found)
        }
        return found
    }

    @Test func batchesGiveTheSequentialOutputForEveryTaskCount() async throws {
        makeTree()
        for pattern in ["needle", #"need\w+s"#, "n.edle", "again"] {
            for (limit, context) in [(1, 0), (4, 1), (37, 0), (1000, 2)] {
                let expected = sequential(try search(pattern, limit: limit, context: context, tasks: 1))
                #expect(expected.matches > 0)
                for tasks in [1, 2, 3, 8] {
                    var walker = TreeWalker(files: files, paths: fixture.policy.paths)
                    walker.start(fixture.root)
                    var found = GrepSearch.Found()
                    let stopped = try await search(pattern, limit: limit, context: context, tasks: tasks).scan(&walker, into: &found)
                    #expect(found.lines == expected.lines, "\(pattern) limit \(limit) tasks \(tasks)")
                    #expect(found.matches == expected.matches)
                    #expect(stopped == (expected.matches >= limit))
                }
            }
        }
        let all = sequential(try search("needle", limit: 10_000, tasks: 1)).lines
        #expect(!all.contains { $0.contains("secret") || $0.contains("ignored") })
        #expect(all.contains("d0/f33.txt:3: a needle here 33"), "CRLF lines are split as before")
        #expect(!all.contains { $0.hasPrefix("d0/f13.txt") }, "binary files are skipped")
    }

    @Test func theEntryCapNoticeOnlyWhenTheLimitDidNotStopTheSearch() async throws {
        for index in 0..<30 { fixture.write("f\(String(format: "%02d", index)).txt", "needle \(index)\n") }
        for (limit, cap) in [(100, true), (3, false)] {
            var walker = TreeWalker(files: files, paths: fixture.policy.paths)
            walker.maxEntries = 10
            walker.start(fixture.root)
            var found = GrepSearch.Found()
            let stopped = try await search("needle", limit: limit, tasks: 2).scan(&walker, into: &found)
            #expect((walker.hitEntryCap && !stopped) == cap, "limit \(limit)")
            #expect(found.matches == min(limit, 9), "the tenth entry is .spill")
        }
    }

    /// Deeper than `TreeWalker.maxHeldDepth`, a directory gives up its descriptor while its
    /// subdirectory is walked and is reopened for the files after it.
    @Test func deepTreesKeepTheirOrderWhenDirectoriesAreReopened() async {
        var prefix = ""
        var expected: [String] = []
        var after: [String] = []
        for depth in 0..<(TreeWalker.maxHeldDepth + 8) {
            prefix += "d\(depth)/"
            fixture.write(prefix + "a.txt", "needle a\(depth)\n")
            fixture.write(prefix + "z.txt", "needle z\(depth)\n")
            expected.append("\(prefix)a.txt:1: needle a\(depth)")
            after.insert("\(prefix)z.txt:1: needle z\(depth)", at: 0)
        }
        let result = await fixture.run(GrepTool(), #"{"pattern":"needle","limit":1000}"#)
        #expect(result.text == (expected + after).joined(separator: "\n"))
        let found = await fixture.run(FindTool(), #"{"pattern":"z.txt"}"#)
        #expect(found.text.split(separator: "\n").count == TreeWalker.maxHeldDepth + 8)
    }

    @Test func symlinksAndParentLinksAreNeverFollowed() async throws {
        let outside = try OutsideDirectory()
        fixture.write("inside.txt", "needle inside\n")
        symlink(outside.path, fixture.root + "/linked-dir")
        symlink(outside.path + "/secret.txt", fixture.root + "/linked-file")
        symlink("..", fixture.root + "/up")
        symlink(fixture.root + "/inside.txt", fixture.root + "/local-link")
        for enforce in [true, false] {
            fixture.policy.enforceRegularFiles = enforce
            let result = await fixture.run(GrepTool(), #"{"pattern":"needle"}"#)
            #expect(result.text == "inside.txt:1: needle inside", "enforce=\(enforce)")
        }
    }

    @Test func aDirectorySwappedOrMovedMidWalkYieldsNothingFromOutside() async throws {
        let outside = try OutsideDirectory()
        for name in ["a", "b", "c"] { fixture.write("\(name)/x.txt", "needle \(name)\n") }
        var walker = TreeWalker(files: files, paths: fixture.policy.paths)
        walker.start(fixture.root)
        while let entry = walker.next(), entry.name != "a" {}
        // `a` is open now and `b` listed but not yet opened.
        #expect(rename(fixture.root + "/a", outside.path + "/a-moved") == 0)
        #expect(rename(fixture.root + "/b", fixture.root + "/b-real") == 0)
        #expect(symlink(outside.path, fixture.root + "/b") == 0)
        var found = GrepSearch.Found()
        _ = try await search("needle", limit: 100, tasks: 2).scan(&walker, into: &found)
        #expect(found.lines == ["c/x.txt:1: needle c"])
    }

    /// A thread keeps swapping `dir` between a real directory and a symlink to a directory outside
    /// the root while the grep tool searches the tree 100 times.
    @Test func symlinkSwapRaceNeverReachesOutside() async throws {
        let outside = try OutsideDirectory()
        fixture.write("dir-real/x.txt", "needle inside\n")
        let dir = fixture.root + "/dir"
        let real = fixture.root + "/dir-real"
        let target = outside.path
        let stop = Stop()
        let swapper = Thread {
            while !stop.isSet {
                rename(real, dir)
                rename(dir, real)
                symlink(target, dir)
                unlink(dir)
            }
            stop.finished.signal()
        }
        swapper.start()
        var leaked: [String] = []
        for _ in 0..<100 {
            let text = await fixture.run(GrepTool(), #"{"pattern":"needle"}"#).text
            if text.contains("SECRET") { leaked.append(text) }
        }
        stop.set()
        // Waited for on a thread of its own, not on the test's cooperative thread.
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread {
                stop.finished.wait()
                continuation.resume()
            }.start()
        }
        #expect(leaked.isEmpty)
    }
}

/// A directory outside the fixture's root holding a secret that matches the pattern.
private final class OutsideDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.resolvingSymlinksInPath().path + "/pie-outside-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try Data("needle SECRET\n".utf8).write(to: URL(fileURLWithPath: path + "/secret.txt"))
        try Data("needle SECRET\n".utf8).write(to: URL(fileURLWithPath: path + "/x.txt"))
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// A flag another thread polls, and the signal it gives when it has stopped.
private final class Stop: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    let finished = DispatchSemaphore(value: 0)

    var isSet: Bool { lock.withLock { value } }

    func set() { lock.withLock { value = true } }
}
