import Foundation
import PieTestSupport
import Testing

@Suite("pie automations install-service")
struct AutomationsInstallServiceTests {
    @Test("writes the user unit for this project with this pie; keeps an existing one without --force; --print writes nothing")
    func writesTheUnit() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let unitPath = project.path + "/.home/.config/systemd/user/pie-automations.service"

        let printed = try await runPie(["automations", "install-service", "--print"], cwd: project.path)
        #expect(printed.status == 0, "\(printed.stderr)")
        #expect(printed.stdout.contains("ExecStart=\(PieBinary.path) automations serve --log-format json --grace 30s"))
        #expect(!FileManager.default.fileExists(atPath: unitPath))

        let written = try await runPie(["automations", "install-service"], cwd: project.path)
        #expect(written.status == 0, "\(written.stderr)")
        #expect(written.stdout.contains("systemctl --user enable --now pie-automations.service"))
        let unit = try String(contentsOfFile: unitPath, encoding: .utf8)
        #expect(unit == printed.stdout)
        #expect(unit.contains("WorkingDirectory=\(project.path)\n"))

        try "# edited by hand\n".write(toFile: unitPath, atomically: true, encoding: .utf8)
        let again = try await runPie(["automations", "install-service", "--grace", "5m"], cwd: project.path)
        #expect(again.status == 1 && again.stderr.contains("exists; it was kept") && again.stderr.contains("--force"))
        #expect(try String(contentsOfFile: unitPath, encoding: .utf8) == "# edited by hand\n")
        let forced = try await runPie(["automations", "install-service", "--grace", "5m", "--force"], cwd: project.path)
        #expect(forced.status == 0)
        #expect(try String(contentsOfFile: unitPath, encoding: .utf8).contains("TimeoutStopSec=330"))

        let bad = try await runPie(["automations", "install-service", "--name", "../x"], cwd: project.path)
        #expect(bad.status == 2 && bad.stderr.contains("--name '../x'"))
    }
}
