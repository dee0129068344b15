import ArgumentParser
import Glibc
import PieAgent
import PieAutomations
import PieScheduler
import PieSystem

/// `pie automations install-service`: writes the systemd user unit that keeps `serve` running for
/// this project, and says how to start it.
struct AutomationsInstallService: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install-service", abstract: "Write a systemd user unit that runs `pie automations serve` for this project.",
        discussion: """
            Writes ~/.config/systemd/user/NAME.service ($XDG_CONFIG_HOME when set) running this pie's \
            `automations serve` in the current directory, restarted on failure and stopped with SIGTERM after \
            its grace period. Webhook secrets go in $PIE_DIR/automations.env (NAME=value lines). Nothing is \
            started: the command prints the systemctl lines to run. An existing unit is kept unless --force.
            """)

    @Option(help: "The unit's name (letters, digits, '.', '_' and '-').") var name = "pie-automations"
    @Option(help: "--listen for serve (default 127.0.0.1:8787).") var listen: String?
    @Option(help: "--grace for serve, e.g. 30s, 5m.") var grace = "30s"
    @Flag(help: "Print the unit instead of writing it.") var print = false
    @Flag(help: "Replace an existing unit file.") var force = false

    func run() throws {
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) else {
            throw PieExit.usage("--name '\(name)' is not a unit name: use letters, digits, '.', '_' and '-'")
        }
        guard let graceDuration = AutomationDuration(parsing: grace) else {
            throw PieExit.usage("--grace '\(grace)' is not a duration: \(AutomationDuration.rule)")
        }
        if let listen {
            do {
                _ = try ListenAddress(parsing: listen)
            } catch {
                throw PieExit.usage("--listen '\(listen)' is not HOST:PORT (e.g. 127.0.0.1:8787): \(error)")
            }
        }
        let environment = ProcessContext.environment()
        guard let pieDirectory = PieDirectory.resolve(environment: environment), let home = environment["HOME"] else {
            throw PieExit.usage("cannot find the home directory for the user unit: set HOME")
        }
        let unit = SystemdUserUnit(
            executable: try Self.executable(), project: try ProcessContext.currentDirectory(), graceSeconds: graceDuration.seconds,
            listen: listen, pieDirectory: environment["PIE_DIR"] == nil ? nil : pieDirectory.root,
            environmentFile: pieDirectory.root + "/automations.env")
        let text: String
        do {
            text = try unit.render()
        } catch {
            throw PieExit(code: 1, message: error.description)
        }
        if print {
            writeAll(STDOUT_FILENO, text)
            return
        }
        let directory = (environment["XDG_CONFIG_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? home + "/.config") + "/systemd/user"
        let path = directory + "/\(name).service"
        if access(path, F_OK) == 0 && !force {
            throw PieExit(code: 1, message: "\(path) exists; it was kept. Pass --force to replace it, or --name for another unit")
        }
        do {
            try FileIO.makeDirectories(directory, mode: 0o755)
            try FileIO.writeAtomically(Array(text.utf8), to: path, mode: 0o644)
        } catch {
            throw PieExit(code: 1, message: "cannot write \(path): \(error)")
        }
        writeAll(
            STDOUT_FILENO,
            """
            wrote \(path)
            start it now and at every login:
              systemctl --user daemon-reload
              systemctl --user enable --now \(name).service
            keep it running while you are logged out: loginctl enable-linger $USER
            follow its log: journalctl --user -u \(name).service -f
            webhook secrets: \(unit.environmentFile) (NAME=value lines, chmod 600)

            """)
    }

    /// This pie's absolute path: the unit runs the same build that installed it.
    static func executable() throws(PieExit) -> String {
        guard let executable = ProcessPaths.executable() else {
            throw PieExit(code: 1, message: "cannot find pie's own executable for the unit's ExecStart")
        }
        return executable
    }
}
