import Foundation
import PiePolicy
import Testing

@testable import PieSandbox

@Suite("ConfinedFileOperations") struct ConfinedFileTests {
    let project: Scratch
    let outside: Scratch
    let files: ConfinedFileOperations

    init() throws {
        project = try Scratch("pie-files")
        outside = try Scratch("pie-outside")
        try outside.write("secret.txt", "TOP SECRET")
        files = ConfinedFileOperations(paths: TestPolicy.paths(project: project.path), enforceRegularFiles: true)
    }

    @Test func readsAndWritesInsideTheRoot() throws {
        try files.write(project.file("a/b/c.txt"), contents: Array("hello".utf8))
        #expect(project.read("a/b/c.txt") == "hello")
        #expect(try files.read(project.file("a/b/c.txt"), maxBytes: 100) == Array("hello".utf8))
        let info = try files.info(project.file("a/b"))
        #expect(info.kind == .directory)
        #expect(try files.list(project.file("a/b")) == [DirectoryEntry(name: "c.txt", kind: .regular)])
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: project.file("a/b"))
        #expect(leftovers == ["c.txt"], "no temp file remains")
    }

    @Test func overwriteKeepsTheMode() throws {
        try project.write("run.sh", "old")
        chmod(project.file("run.sh"), 0o750)
        try files.write(project.file("run.sh"), contents: Array("new".utf8))
        var info = stat()
        stat(project.file("run.sh"), &info)
        #expect(info.st_mode & 0o777 == 0o750)
        #expect(project.read("run.sh") == "new")
    }

    @Test func dotDotEscapeIsOutsideTheRoots() {
        #expect {
            try files.read(project.file("../\((outside.path as NSString).lastPathComponent)/secret.txt"), maxBytes: 100)
        } throws: { ($0 as? FileOperationError)?.kind == .outsideRoots }
    }

    @Test func symlinkedLeafAndDirectoryAreRefused() throws {
        symlink(outside.file("secret.txt"), project.file("leaf"))
        symlink(outside.path, project.file("dir"))
        #expect { try files.read(project.file("leaf"), maxBytes: 100) } throws: {
            ($0 as? FileOperationError)?.kind == .symlink
        }
        #expect { try files.read(project.file("dir/secret.txt"), maxBytes: 100) } throws: {
            ($0 as? FileOperationError)?.kind == .symlink
        }
        #expect { try files.write(project.file("dir/new.txt"), contents: [1]) } throws: {
            ($0 as? FileOperationError)?.kind == .symlink
        }
        #expect(!outside.exists("new.txt"))
        #expect(try files.info(project.file("leaf")).kind == .symlink)
    }

    @Test func symlinksBeneathTheRootWorkWithoutEnforcement() throws {
        let relaxed = ConfinedFileOperations(paths: TestPolicy.paths(project: project.path), enforceRegularFiles: false)
        try project.write("real/file.txt", "ok")
        try project.write(".env", "KEY=1")
        symlink("real", project.file("alias"))
        symlink(".env", project.file("innocent"))
        symlink(outside.file("secret.txt"), project.file("escape"))
        #expect(try relaxed.read(project.file("alias/file.txt"), maxBytes: 10) == Array("ok".utf8))
        #expect { try relaxed.read(project.file("escape"), maxBytes: 100) } throws: {
            ($0 as? FileOperationError)?.kind == .outsideRoots
        }
        #expect { try relaxed.read(project.file("innocent"), maxBytes: 100) } throws: {
            ($0 as? FileOperationError)?.kind == .denied
        }
    }

    @Test func hardLinkToASecretIsRefused() throws {
        // Same file system (/tmp), so the link succeeds; the nlink check is what stops the read.
        guard link(outside.file("secret.txt"), project.file("hard")) == 0 else {
            Issue.record("could not create the hard link: errno \(errno)")
            return
        }
        #expect { try files.read(project.file("hard"), maxBytes: 100) } throws: { error in
            let error = error as? FileOperationError
            return error?.kind == .denied && error?.message.contains("hard links") == true
        }
    }

    @Test func denyAndProtectedComeFromThePolicy() throws {
        try project.write(".env", "KEY=1")
        #expect { try files.read(project.file(".env"), maxBytes: 100) } throws: {
            ($0 as? FileOperationError)?.kind == .denied
        }
        #expect { try files.write(project.file(".git/hooks/pre-commit"), contents: [1]) } throws: {
            ($0 as? FileOperationError)?.kind == .protected
        }
        #expect { try files.write(project.file(".pie/settings.toml"), contents: [1]) } throws: {
            ($0 as? FileOperationError)?.kind == .protected
        }
        #expect(!project.exists(".git/hooks"))
        #expect(!project.exists(".pie"))
    }

    @Test func devZeroFifoAndSocketAreRefusedWithoutHanging() throws {
        let devices = ConfinedFileOperations(
            paths: TestPolicy.paths(project: project.path, readRoots: ["/dev"]), enforceRegularFiles: true)
        #expect { try devices.read("/dev/zero", maxBytes: 100) } throws: {
            ($0 as? FileOperationError)?.kind == .notRegularFile
        }
        mkfifo(project.file("fifo"), 0o600)
        #expect { try files.read(project.file("fifo"), maxBytes: 100) } throws: { error in
            let error = error as? FileOperationError
            return error?.kind == .notRegularFile && error?.message.contains("FIFO") == true
        }
        #expect { try files.write(project.file("fifo"), contents: [1]) } throws: {
            ($0 as? FileOperationError)?.kind == .notRegularFile
        }
    }

    @Test func sizeCapIsCheckedBeforeReading() throws {
        try project.write("big.txt", String(repeating: "x", count: 1000))
        #expect { try files.read(project.file("big.txt"), maxBytes: 999) } throws: { error in
            let error = error as? FileOperationError
            return error?.kind == .tooLarge && error?.message.contains("1000 bytes") == true
        }
    }

    @Test func procSelfRootIsNeverReachable() {
        let wide = ConfinedFileOperations(
            paths: TestPolicy.paths(project: project.path, readRoots: ["/proc"]), enforceRegularFiles: false)
        #expect { try wide.read("/proc/self/root\(outside.file("secret.txt"))", maxBytes: 100) } throws: {
            ($0 as? FileOperationError)?.kind == .denied
        }
    }

    @Test func relativePathsAreRejected() {
        #expect { try files.read("relative.txt", maxBytes: 10) } throws: {
            ($0 as? FileOperationError)?.kind == .outsideRoots
        }
    }

    /// A thread keeps swapping `dir` between a real directory and a symlink to a directory outside
    /// the root while 1,000 writes target `dir/file`: nothing may ever land outside.
    @Test func symlinkSwapRaceNeverEscapes() throws {
        for enforce in [true, false] {
            let ops = ConfinedFileOperations(paths: TestPolicy.paths(project: project.path), enforceRegularFiles: enforce)
            let stop = OutputCollector()
            let dir = project.file("dir")
            let real = project.file("dir-real")
            mkdir(real, 0o755)
            let swapper = Thread {
                while stop.bytes.isEmpty {
                    rename(real, dir)
                    rename(dir, real)
                    symlink(outside.path, dir)
                    unlink(dir)
                }
            }
            swapper.start()
            for index in 0..<1000 {
                _ = try? ops.write(project.file("dir/file\(index % 7)"), contents: Array("x".utf8))
            }
            stop.append([1])
            Thread.sleep(forTimeInterval: 0.05)
            let escaped = try FileManager.default.contentsOfDirectory(atPath: outside.path)
            #expect(escaped == ["secret.txt"], "enforce=\(enforce): \(escaped)")
            #expect(outside.read("secret.txt") == "TOP SECRET")
        }
    }
}
