import Foundation
import Glibc

/// A fresh directory under /tmp, removed with everything in it when the test drops it.
final class TemporaryDirectory {
    let path: String

    init() {
        var template = Array("/tmp/pielocal-XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { buffer -> String? in
            guard let base = buffer.baseAddress, let result = mkdtemp(base) else { return nil }
            return String(cString: result)
        }
        path = created ?? "/tmp/pielocal-fallback"
    }

    func write(_ relative: String, _ text: String) {
        let full = path + "/" + relative
        if let slash = full.lastIndex(of: "/") {
            var current = ""
            for component in full[..<slash].split(separator: "/") {
                current += "/" + component
                mkdir(current, 0o700)
            }
        }
        let fd = open(full, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        _ = Array(text.utf8).withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }

    func mode(of relative: String) -> mode_t {
        var info = stat()
        stat(path + "/" + relative, &info)
        return info.st_mode & 0o777
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
