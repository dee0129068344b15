import Foundation
import PieTestSupport
import Testing

/// The CLI side of issue 10's points 4–6: the default preset runs commands in the sandbox, says
/// so, and pie's own state (here an audit log in the project) is out of every tool's reach.
@Suite("Sandboxed default and pie's state") struct SandboxedDefaultTests {
    @Test("balanced (the default) runs bash in bubblewrap; the doctor says which sandbox is in force")
    func defaultIsSandboxed() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let result = try await runPie(["tool", "bash", "--json", "--args", #"{"command":"ls /"}"#], cwd: project.path)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let details = try #require(try parseJSON(result.stdout)["details"] as? [String: Any])
        #expect(details["sandbox"] as? String == "bwrap")

        let doctor = try await runPie(["sandbox", "doctor"], cwd: project.path)
        #expect(doctor.stdout.contains("policy: preset balanced (default)"))
        #expect(doctor.stdout.contains("sandbox in force: bubblewrap + seccomp (os_sandbox_mode auto); reads the host's /"))
        let hardened = try await runPie(["sandbox", "doctor", "--tool-policy-preset", "hardened"], cwd: project.path)
        #expect(hardened.stdout.contains("sandbox in force: bubblewrap + seccomp (os_sandbox_mode force); reads by allowlist"))
        let off = try await runPie(["sandbox", "doctor", "--os-sandbox-mode", "off"], cwd: project.path)
        #expect(off.stdout.contains("sandbox in force: none (os_sandbox_mode off)"))
    }

    @Test("an interactive session says which sandbox is in force when it starts")
    func interactiveBannerNamesTheSandbox() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let server = try ScriptedServer([])
        let terminal = try await TmuxTerminal(pie: server.modelArguments, cwd: project.path)
        defer { terminal.kill() }
        #expect(await terminal.waitForScreen(containing: "sandbox in force: bubblewrap + seccomp (os_sandbox_mode auto)"))
        try await terminal.type("/quit")
    }

    @Test("an audit log in the project: state_deny shows it, write and bash cannot touch it, verify passes")
    func auditLogInTheProject() async throws {
        let project = try ScratchProject()
        defer { project.remove() }
        let log = project.path + "/audit.jsonl"
        let policy = try await runPie(["--print-tool-policy", "--tool-audit-log", "audit.jsonl"], cwd: project.path)
        let state = try #require(try parseJSON(policy.stdout)["state_deny"] as? [[String: String]])
        #expect(state.contains(["path": log, "what": "audit log", "source": "flag"]))
        #expect(state.contains { $0["source"] == "env:PIE_DIR" && $0["path"] == project.path + "/.home/.pie" })

        let write = try await runPie(
            ["tool", "write", "--tool-audit-log", log, "--args", #"{"path":"audit.jsonl","content":"forged\n"}"#],
            cwd: project.path)
        #expect(write.status == 1)
        #expect(write.stdout.contains("Denied by policy (rule path.deny)"))
        for command in ["rm -f audit.jsonl", "sed -i d audit.jsonl", "mv audit.jsonl old.jsonl", "cp /dev/null audit.jsonl"] {
            for preset in ["balanced", "strict", "hardened"] {
                _ = try await runPie(
                    ["tool", "bash", "--tool-policy-preset", preset, "--allow-command", "rm", "--allow-command", "mv",
                     "--allow-command", "cp", "--tool-audit-log", log, "--args", #"{"command":"\#(command)"}"#],
                    cwd: project.path)
            }
        }
        let verify = try await runPie(["audit", "verify", log], cwd: project.path)
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains("intact, 26 records"))
    }
}
