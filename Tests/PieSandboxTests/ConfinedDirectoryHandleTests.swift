import Foundation
import PiePolicy
import Testing

@testable import PieSandbox

/// `FileOperations.openDirectory`: the handles `grep` and `find` walk with, one confined open per
/// directory, every name a single component never followed through a symlink.
@Suite("ConfinedDirectoryHandle") struct ConfinedDirectoryHandleTests {
    let project: Scratch
    let outside: Scratch

    init() throws {
        project = try Scratch("pie-dirs")
        outside = try Scratch("pie-dirs-outside")
        try outside.write("secret.txt", "TOP SECRET")
        try outside.write("inner/secret.txt", "TOP SECRET")
    }

    private func files(enforce: Bool = true) -> ConfinedFileOperations {
        ConfinedFileOperations(paths: TestPolicy.paths(project: project.path), enforceRegularFiles: enforce)
    }

    private func kind(_ body: () throws -> Any) -> FileOperationError.Kind? {
        do {
            _ = try body()
            return nil
        } catch {
            return (error as? FileOperationError)?.kind
        }
    }

    @Test func listsOpensAndReadsRelativeToTheHeldDirectory() throws {
        try project.write("src/a.txt", "alpha")
        try project.write("src/deep/b.txt", "beta")
        let root = try files().openDirectory(project.path)
        #expect(root.path == project.path)
        #expect(try root.entries().map(\.name) == ["src"])
        let src = try root.directory("src")
        #expect(src.path == project.file("src"))
        #expect(try Set(src.entries().map(\.name)) == ["a.txt", "deep"])
        #expect(try src.read("a.txt", maxBytes: 100) == Array("alpha".utf8))
        #expect(try src.directory("deep").read("b.txt", maxBytes: 100) == Array("beta".utf8))
        #expect(src.isInPlace())
    }

    @Test func symlinksAreNeverFollowedEvenWithoutEnforcement() throws {
        try project.write("src/inside.txt", "inside")
        symlink(outside.file("secret.txt"), project.file("src/leaf"))
        symlink(outside.file("inner"), project.file("src/dir"))
        symlink(project.file("src/inside.txt"), project.file("src/local"))
        for enforce in [true, false] {
            let src = try files(enforce: enforce).openDirectory(project.path).directory("src")
            #expect(kind { try src.read("leaf", maxBytes: 100) } == .symlink)
            #expect(kind { try src.directory("dir") } == .symlink)
            #expect(kind { try src.read("local", maxBytes: 100) } == .symlink, "a link beneath the root is refused too")
        }
    }

    @Test func namesMustBeOneComponent() throws {
        try project.write("src/a.txt", "alpha")
        let src = try files().openDirectory(project.file("src"))
        for name in ["", ".", "..", "../src/a.txt", "sub/a.txt", "/etc/passwd", "a\u{0}b"] {
            #expect(kind { try src.read(name, maxBytes: 100) } == .outsideRoots, "\(name)")
            #expect(kind { try src.directory(name) } == .outsideRoots, "\(name)")
        }
    }

    @Test func policyDenyHardLinksFifosAndSizeCapHoldAsForRead() throws {
        try project.write("src/.env", "SECRET=1")
        try project.write("src/big.txt", String(repeating: "x", count: 1000))
        link(outside.file("secret.txt"), project.file("src/linked"))
        mkfifo(project.file("src/fifo"), 0o600)
        let src = try files().openDirectory(project.file("src"))
        #expect(kind { try src.read(".env", maxBytes: 100) } == .denied)
        #expect(kind { try src.read("linked", maxBytes: 100) } == .denied)
        #expect(kind { try src.read("fifo", maxBytes: 100) } == .notRegularFile)
        #expect(kind { try src.read("big.txt", maxBytes: 999) } == .tooLarge)
        #expect(kind { try src.read("missing", maxBytes: 100) } == .notFound)
        #expect(kind { try files().openDirectory(outside.path) } == .outsideRoots)
    }

    @Test func aDirectoryMovedAwayIsNoLongerInPlace() throws {
        try project.write("src/a.txt", "alpha")
        let src = try files().openDirectory(project.file("src"))
        #expect(src.isInPlace())
        #expect(rename(project.file("src"), outside.file("moved")) == 0)
        #expect(!src.isInPlace(), "moved out of the root")
        #expect(rename(outside.file("moved"), project.file("elsewhere")) == 0)
        #expect(!src.isInPlace(), "moved within the root: the names read through it are not where they were")
    }

    @Test func aDirectorySwappedForASymlinkIsRefused() throws {
        try project.write("src/sub/a.txt", "alpha")
        let src = try files().openDirectory(project.file("src"))
        #expect(rename(project.file("src/sub"), project.file("src/old")) == 0)
        #expect(symlink(outside.file("inner"), project.file("src/sub")) == 0)
        #expect(kind { try src.directory("sub") } == .symlink)
    }

    /// A thread keeps swapping `src/dir` between a real directory and a symlink to a directory
    /// outside the root while the directory is opened and read 2,000 times through a handle.
    @Test func symlinkSwapRaceNeverReadsOutside() async throws {
        try project.write("src/real/secret.txt", "inside")
        for enforce in [true, false] {
            let src = try files(enforce: enforce).openDirectory(project.file("src"))
            let dir = project.file("src/dir")
            let real = project.file("src/real")
            let target = outside.file("inner")
            let leaked = await offPool { () -> Bool in
                let stop = OutputCollector()
                let swapper = Thread {
                    while stop.bytes.isEmpty {
                        rename(real, dir)
                        rename(dir, real)
                        symlink(target, dir)
                        unlink(dir)
                    }
                }
                swapper.start()
                var leaked = false
                for _ in 0..<2000 {
                    if let bytes = try? src.directory("dir").read("secret.txt", maxBytes: 100) {
                        leaked = leaked || bytes == Array("TOP SECRET".utf8)
                    }
                }
                stop.append([1])
                return leaked
            }
            #expect(!leaked, "enforce=\(enforce)")
        }
    }
}
