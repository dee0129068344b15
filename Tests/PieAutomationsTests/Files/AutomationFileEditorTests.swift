import Foundation
import Testing
@testable import PieAutomations

@Suite("enable, disable and remove keep user content")
struct AutomationFileEditorTests {
    static let original = """
        # Nightly: keep these comments.
        prompt = \"\"\"
        enabled = true
        \"\"\"
        model = "ds4:deepseek-v4-flash"   # the local model
        enabled   =   true    # flip me
        [trigger]
        cron = "30 2 * * 1-5"  # weekdays

        """

    @Test("disable then enable changes only the value and gives back the file byte for byte")
    func roundTrip() throws {
        let directory = try ScratchDirectory()
        defer { directory.remove() }
        let path = try directory.write("nightly.toml", Self.original)
        #expect(try AutomationFileEditor.setEnabled(false, path: path))
        let disabled = try directory.read("nightly.toml")
        #expect(disabled == Self.original.replacingOccurrences(of: "enabled   =   true    # flip me", with: "enabled   =   false    # flip me"))
        #expect(FileSupport.parse(disabled).automation?.enabled == false)
        #expect(try AutomationFileEditor.setEnabled(false, path: path) == false)
        #expect(try AutomationFileEditor.setEnabled(true, path: path))
        #expect(try directory.read("nightly.toml") == Self.original)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["nightly.toml"])
    }

    @Test("a file without enabled gets one line before its first table; CRLF files keep their line ends")
    func insertion() throws {
        let text = "# c\r\nprompt = \"p\"\r\nmodel = \"ds4:x\"\r\n[trigger]\r\nevery = \"1m\"\r\n"
        let updated = try AutomationFileEditor.settingEnabled(false, in: text, path: "x.toml")
        #expect(updated == "# c\r\nprompt = \"p\"\r\nmodel = \"ds4:x\"\r\nenabled = false\r\n[trigger]\r\nevery = \"1m\"\r\n")
        let crlf = "enabled = true\r\n[trigger]\r\n"
        #expect(try AutomationFileEditor.settingEnabled(false, in: crlf, path: "x.toml") == "enabled = false\r\n[trigger]\r\n")
        #expect(try AutomationFileEditor.settingEnabled(true, in: "prompt = \"p\"\n", path: "x.toml") == "prompt = \"p\"\nenabled = true\n")
    }

    @Test("a symlinked automation file is edited where it lives; the link stays a link")
    func symlink() throws {
        let directory = try ScratchDirectory()
        defer { directory.remove() }
        let target = try directory.write("dotfiles/nightly.toml", Self.original)
        let link = directory.path + "/automations/nightly.toml"
        try FileManager.default.createDirectory(atPath: directory.path + "/automations", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        #expect(try AutomationFileEditor.setEnabled(false, path: link))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == target)
        #expect(try directory.read("dotfiles/nightly.toml").contains("enabled   =   false"))
    }

    @Test("an enabled value that is not plainly true or false is left to the user")
    func refusesOddValues() {
        #expect(throws: AutomationFileEditor.EditError.self) {
            try AutomationFileEditor.settingEnabled(false, in: "enabled = \"yes\"\n", path: "x.toml")
        }
        #expect(throws: AutomationFileEditor.EditError.self) {
            try AutomationFileEditor.settingEnabled(false, in: "enabled = trueish\n", path: "x.toml")
        }
    }

    @Test("remove moves the file aside and never overwrites an earlier removed copy")
    func remove() throws {
        let directory = try ScratchDirectory()
        defer { directory.remove() }
        let path = try directory.write("nightly.toml", "first")
        #expect(try AutomationFileEditor.remove(path) == path + ".removed")
        try directory.write("nightly.toml", "second")
        #expect(try AutomationFileEditor.remove(path) == path + ".removed.2")
        #expect(!directory.exists("nightly.toml"))
        #expect(try directory.read("nightly.toml.removed") == "first")
        #expect(try directory.read("nightly.toml.removed.2") == "second")
        #expect(AutomationLoader.files(in: directory.path).isEmpty)
    }

    @Test("create never replaces an existing file")
    func create() throws {
        let directory = try ScratchDirectory()
        defer { directory.remove() }
        try AutomationFileEditor.create(directory.path + "/new/dir/a.toml", with: "one")
        #expect(try directory.read("new/dir/a.toml") == "one")
        #expect(throws: AutomationFileEditor.EditError.self) {
            try AutomationFileEditor.create(directory.path + "/new/dir/a.toml", with: "two")
        }
        #expect(try directory.read("new/dir/a.toml") == "one")
    }
}
