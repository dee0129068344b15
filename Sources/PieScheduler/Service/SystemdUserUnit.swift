/// The systemd user unit that keeps `pie automations serve` running for one project
/// (`pie automations install-service`). systemd(1) starts it at login (or at boot with
/// `loginctl enable-linger`), restarts it when it fails, and stops it with SIGTERM, giving it the
/// grace period plus a margin before SIGKILL, so running runs finish as `serve` promises.
public struct SystemdUserUnit: Sendable, Equatable {
    /// The absolute path of the `pie` that serves (the one installing the unit).
    public var executable: String
    /// The project serve runs in (its `.pie/automations` and policy).
    public var project: String
    /// `--grace` for serve, in seconds.
    public var graceSeconds: Int64
    /// `--listen`, when not the default.
    public var listen: String?
    /// `PIE_DIR` when the installing shell set it, so the service finds the same state.
    public var pieDirectory: String?
    /// Where webhook secrets are read from (`EnvironmentFile=`, optional: `-` prefix).
    public var environmentFile: String

    public init(
        executable: String, project: String, graceSeconds: Int64 = 30, listen: String? = nil, pieDirectory: String? = nil,
        environmentFile: String
    ) {
        (self.executable, self.project, self.graceSeconds, self.listen) = (executable, project, graceSeconds, listen)
        (self.pieDirectory, self.environmentFile) = (pieDirectory, environmentFile)
    }

    /// Why a unit cannot be written: systemd reads one directive per line.
    public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// The unit file's text.
    public func render() throws(Refusal) -> String {
        for (name, value) in [("pie's path", executable), ("the project path", project), ("PIE_DIR", pieDirectory ?? "")]
        where value.contains(where: { $0 == "\n" || $0 == "\r" }) {
            throw Refusal(description: "\(name) contains a line break, which a systemd unit cannot hold; move it to a path without one")
        }
        var command = [executable, "automations", "serve", "--log-format", "json", "--grace", "\(graceSeconds)s"]
        if let listen { command += ["--listen", listen] }
        var lines = [
            "# Written by `pie automations install-service`; `pie automations install-service --force` rewrites it.",
            "[Unit]",
            "Description=pie automations for \(Self.specifiers(project))",
            "After=network-online.target",
            "",
            "[Service]",
            "Type=simple",
            "WorkingDirectory=\(Self.specifiers(project))",
            "ExecStart=\(command.map(Self.argument).joined(separator: " "))",
        ]
        if let pieDirectory { lines.append("Environment=\(Self.argument("PIE_DIR=" + pieDirectory))") }
        lines += [
            "# Webhook secrets (secret_env) go in this file as NAME=value lines, mode 0600.",
            "EnvironmentFile=-\(Self.specifiers(environmentFile))",
            "Restart=on-failure",
            "RestartSec=10",
            "KillSignal=SIGTERM",
            "TimeoutStopSec=\(graceSeconds + 30)",
            "",
            "[Install]",
            "WantedBy=default.target",
            "",
        ]
        return lines.joined(separator: "\n")
    }

    /// `%` starts a systemd specifier: doubled so a path is taken as written.
    static func specifiers(_ text: String) -> String {
        escaping(text, ["%": "%%"])
    }

    /// One argument of `ExecStart=` (systemd.service(5), "Command lines"): specifiers and `$`
    /// variable expansion escaped, and double quotes (with `\` and `"` escaped) around anything
    /// that is not plainly safe.
    static func argument(_ text: String) -> String {
        let escaped = escaping(text, ["%": "%%", "$": "$$"])
        let safe = escaped.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "/._-+=:,@$%".contains($0)) }
        if safe && !escaped.isEmpty { return escaped }
        return "\"" + escaping(escaped, ["\\": "\\\\", "\"": "\\\""]) + "\""
    }

    /// `text` with each character in `replacements` replaced by its value.
    private static func escaping(_ text: String, _ replacements: [Character: String]) -> String {
        var result = ""
        for character in text { result += replacements[character] ?? String(character) }
        return result
    }
}
