import Glibc
import PieSystem
import Testing

@Suite struct FileIOTests {
    /// U+0600 (a Prepend character) fuses with the `/` after it into one grapheme cluster; the
    /// directories are still made one per component, as the kernel reads the path.
    @Test func makeDirectoriesSplitsAtSlashBytes() throws {
        var template = Array("/tmp/pie-fileio-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
        let root = try #require(made.map { String(cString: $0) })
        let path = root + "/a\u{600}/b\u{600}/c"
        defer {
            for directory in [path, root + "/a\u{600}/b\u{600}", root + "/a\u{600}", root] { rmdir(directory) }
        }
        #expect(path.split(separator: "/").count < path.utf8.split(separator: UInt8(ascii: "/")).count)
        try FileIO.makeDirectories(path)
        #expect(FileIO.isDirectory(root + "/a\u{600}"))
        #expect(FileIO.isDirectory(path))
        #expect(FileIO.list(root) == ["a\u{600}"])
    }
}
