import Testing

@testable import PieScheduler

@Suite("install-service: the systemd user unit")
struct SystemdUserUnitTests {
    @Test("serve in the project, restarted on failure, stopped after its grace plus a margin")
    func rendersTheUnit() throws {
        let unit = SystemdUserUnit(
            executable: "/opt/pie/bin/pie", project: "/home/dev/shop", graceSeconds: 300, listen: "127.0.0.1:9000",
            pieDirectory: nil, environmentFile: "/home/dev/.pie/automations.env")
        let lines = try unit.render().split(separator: "\n").map(String.init)
        #expect(lines.contains("WorkingDirectory=/home/dev/shop"))
        #expect(
            lines.contains(
                "ExecStart=/opt/pie/bin/pie automations serve --log-format json --grace 300s --listen 127.0.0.1:9000"))
        #expect(lines.contains("TimeoutStopSec=330") && lines.contains("KillSignal=SIGTERM"))
        #expect(lines.contains("Restart=on-failure") && lines.contains("WantedBy=default.target"))
        #expect(lines.contains("EnvironmentFile=-/home/dev/.pie/automations.env"))
        #expect(!lines.contains { $0.hasPrefix("Environment=") })
    }

    @Test("paths with spaces, quotes, % and $ reach serve as written")
    func escapesArguments() throws {
        #expect(SystemdUserUnit.argument("/home/a b/pie") == #""/home/a b/pie""#)
        #expect(SystemdUserUnit.argument(#"/x/"q"\y"#) == #""/x/\"q\"\\y""#)
        #expect(SystemdUserUnit.argument("/x/100%/$HOME") == "/x/100%%/$$HOME")
        #expect(SystemdUserUnit.specifiers("/p/%h") == "/p/%%h")
        let unit = SystemdUserUnit(
            executable: "/opt/my pie/pie", project: "/srv/50% off", pieDirectory: "/srv/state $x",
            environmentFile: "/srv/state/automations.env")
        let text = try unit.render()
        #expect(text.contains(#"ExecStart="/opt/my pie/pie" automations serve"#))
        #expect(text.contains("WorkingDirectory=/srv/50%% off"))
        #expect(text.contains(#"Environment="PIE_DIR=/srv/state $$x""#))
    }

    @Test("a path with a line break is refused, not written as two directives")
    func refusesLineBreaks() {
        let unit = SystemdUserUnit(executable: "/bin/pie", project: "/srv/a\nExecStartPre=/bin/evil", environmentFile: "/e")
        #expect(throws: SystemdUserUnit.Refusal.self) { try unit.render() }
    }
}
