import PiePolicy
import Testing

@testable import PieSandbox

/// The line `pie sandbox doctor` and an interactive session print: which sandbox is in force, and
/// why there is none when `auto` had to fall back to the host.
@Suite("Sandbox in force") struct SandboxInForceTests {
    func line(_ mode: SandboxMode, reads: SandboxReads = .host, probe: BubblewrapProbe.Result) async -> SandboxInForce {
        var policy = TestPolicy.tool(project: "/w/p", mode: mode)
        policy.paths.sandboxReads = reads
        var shell = SandboxedShell(policy: policy, environment: TestPolicy.environment)
        shell.availability = { _ in probe }
        do {
            return SandboxInForce.describe(policy, containment: .success(try await shell.containment()))
        } catch {
            return SandboxInForce.describe(policy, containment: .failure(error))
        }
    }

    @Test func autoFallingBackSaysWhy() async {
        let verdict = await line(.auto, probe: .unavailable(reason: "user namespaces are disabled (kernel.unprivileged_userns_clone=0)"))
        #expect(!verdict.isolated)
        #expect(verdict.line == "sandbox in force: NONE, os_sandbox_mode auto fell back to the host: os sandbox unavailable "
            + "(user namespaces are disabled (kernel.unprivileged_userns_clone=0)); the command ran on the host without isolation")
    }

    @Test func eachModeIsNamed() async {
        let bwrap = BubblewrapProbe.Result.available(bwrap: "/usr/bin/bwrap")
        let sandboxed = await line(.auto, probe: bwrap)
        #expect(sandboxed.isolated)
        #expect(sandboxed.line.hasPrefix("sandbox in force: bubblewrap + seccomp (os_sandbox_mode auto); reads the host's / read-only"))
        #expect(sandboxed.line.hasSuffix("network off; writable: /w/p"))
        let allowlist = await line(.force, reads: .allowlist, probe: bwrap)
        #expect(allowlist.line.contains("(os_sandbox_mode force); reads by allowlist"))
        let off = await line(.off, probe: bwrap)
        #expect(!off.isolated && off.line.hasPrefix("sandbox in force: none (os_sandbox_mode off)"))
        let refused = await line(.force, probe: .unavailable(reason: "bubblewrap (bwrap) is not installed"))
        #expect(!refused.isolated && refused.line.hasPrefix("sandbox in force: none; os_sandbox_mode force refuses every command"))
    }
}
