import Glibc
import PieAutomations
import Testing

@testable import PieScheduler

/// What `serve` loads: every good automation, every bad file reported with its file and field,
/// and files read again when they change.
@Suite struct AutomationCatalogTests {
    func write(_ path: String, _ text: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        #expect(fd >= 0)
        _ = text.withCString { Glibc.write(fd, $0, strlen($0)) }
        close(fd)
    }

    @Test func badFilesAreReportedAndTheOthersLoad() throws {
        let scratch = try ScratchStore()
        let directory = scratch.directory + "/automations"
        #expect(mkdir(directory, 0o700) == 0)
        defer {
            for name in ["good", "cron", "zone", "past", "added"] { unlink("\(directory)/\(name).toml") }
            rmdir(directory)
            scratch.remove()
        }
        try write("\(directory)/good.toml", "prompt = \"p\"\nmodel = \"local:m\"\n[trigger]\nevery = \"1h\"\n")
        try write("\(directory)/cron.toml", "prompt = \"p\"\nmodel = \"local:m\"\n[trigger]\ncron = \"61 * * * *\"\n")
        try write(
            "\(directory)/zone.toml", "prompt = \"p\"\nmodel = \"local:m\"\n[trigger]\ncron = \"0 * * * *\"\ntimezone = \"Mars/Olympus\"\n")
        // Written now, for a time long past.
        try write("\(directory)/past.toml", "prompt = \"p\"\nmodel = \"local:m\"\n[trigger]\nat = \"2001-01-01T00:00:00Z\"\n")
        let context = ValidationContext(
            now: Instant(secondsSinceEpoch: 0), environment: [:], home: "/nonexistent", projectRoot: scratch.directory,
            purpose: .serve)
        var catalog = AutomationCatalog(directories: [(.project, directory)], context: context)
        let issues = catalog.load()
        #expect(catalog.entries.keys.sorted() == ["\(directory)/good.toml"])
        let fields = Dictionary(issues.map { ($0.file.split(separator: "/").last.map(String.init) ?? "", $0.field ?? "") }) { a, _ in a }
        #expect(fields["cron.toml"] == "trigger.cron")
        #expect(fields["zone.toml"] == "trigger.timezone" || fields["zone.toml"] == "trigger.cron")
        #expect(fields["past.toml"] == "trigger.at")
        #expect(issues.first { $0.file.hasSuffix("past.toml") }?.message.contains("already past") == true)
        #expect(!catalog.hasChanged())
        try write("\(directory)/added.toml", "prompt = \"p\"\nmodel = \"local:m\"\n[trigger]\nevery = \"1m\"\n")
        #expect(catalog.hasChanged())
        _ = catalog.load()
        #expect(catalog.entries.count == 2 && !catalog.hasChanged())
    }
}
