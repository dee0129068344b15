import Foundation

/// A fresh project directory and a home for pie's state under the system temp dir, removed when
/// the test ends; the environment names only that home, so no user file takes part.
final class Scratch {
    let root: String
    var project: String { root + "/project" }
    var home: String { root + "/home" }
    var environment: [String: String] { ["HOME": home, "PATH": "/usr/bin:/bin"] }

    init() throws {
        root = NSTemporaryDirectory() + "pie-runtime-test-" + UUID().uuidString
        for directory in [project, home] {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
    }

    /// Writes `text` at `path`, relative to the project unless absolute.
    @discardableResult
    func write(_ path: String, _ text: String) throws -> String {
        let target = path.hasPrefix("/") ? path : project + "/" + path
        try FileManager.default.createDirectory(
            atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: target))
        return target
    }

    func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path.hasPrefix("/") ? path : project + "/" + path)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: root)
    }
}
