import Glibc
import PieLocal

/// The process environment and scratch directories, without Foundation: the benchmarks build
/// policies and shells exactly as `pie` does, from the real environment, and keep their
/// generated files out of the project.
enum BenchEnvironment {
    static func variables() -> [String: String] {
        PieEnvironment.process().variables
    }

    /// A fresh directory under /tmp; the caller removes it with `remove(_:)`.
    static func temporaryDirectory(_ label: String) -> String? {
        var template = Array("/tmp/pie-bench-\(label)-XXXXXX".utf8CString)
        return template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.flatMap { mkdtemp($0) }.map { String(cString: $0) }
        }
    }

    /// Removes a generated tree; `rm -rf` because the trees hold thousands of files.
    static func remove(_ directory: String) {
        _ = Subprocess.run(["/bin/rm", "-rf", directory])
    }

    static func writeFile(_ path: String, _ text: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if written <= 0 { break }
            offset += written
        }
        close(fd)
    }

    /// The directory PieBench runs from: `pie` is built next to it.
    static func executableDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return "." }
        let path = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return String(path[..<slash])
    }
}
