import Foundation
@testable import PieAutomations

/// A fixed clock and environment for parsing automation files in tests.
enum FileSupport {
    /// 2026-12-01T00:00:00Z.
    static let now = Instant(secondsSinceEpoch: 1_796_083_200)

    static func context(
        environment: [String: String] = [:], purpose: ValidationContext.Purpose = .inspect, project: String = "/work/project"
    ) -> ValidationContext {
        ValidationContext(now: now, environment: environment, home: "/home/user", projectRoot: project, purpose: purpose)
    }

    static func parse(
        _ text: String, id: String = "nightly", scope: AutomationScope = .project,
        context: ValidationContext = context()
    ) -> AutomationParser.Result {
        AutomationParser.parse(text, path: "/p/\(id).toml", id: AutomationID(id)!, scope: scope, context: context)
    }

    /// A valid file's text with `trigger` as its [trigger] body.
    static func file(trigger: String = "cron = \"30 2 * * 1-5\"", extra: String = "", run: String = "") -> String {
        """
        prompt = "Run the tests and summarise failures."
        model = "ds4:deepseek-v4-flash"
        \(extra)
        [trigger]
        \(trigger)
        [run]
        \(run)

        """
    }
}

/// A scratch directory removed when the test ends.
struct ScratchDirectory {
    let path: String

    init() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pie-automations-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        path = url.resolvingSymlinksInPath().path
    }

    @discardableResult
    func write(_ relative: String, _ text: String) throws -> String {
        let url = URL(fileURLWithPath: path).appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func read(_ relative: String) throws -> String {
        String(decoding: try Data(contentsOf: URL(fileURLWithPath: path + "/" + relative)), as: UTF8.self)
    }

    func exists(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: path + "/" + relative)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
