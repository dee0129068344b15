import Foundation
import PiePolicy
import Testing

@testable import PieSandbox

/// A setup built by `PolicyBuilder` from a real preset, as pie builds it: a project under /tmp, and
/// a `$HOME` and a `PIE_DIR` the test controls under /var/tmp (outside every root, and outside the
/// sandbox's private /tmp, so only the read plan can hide them).
struct PresetFixture {
    let project: Scratch
    let home: Scratch
    let state: Scratch
    let effective: EffectivePolicy
    var shell: SandboxedShell
    let start: SandboxStart

    /// `flags` are policy flags as pie's command line gives them (e.g. `tool_audit_log`).
    /// `projectInHome` puts the project in `$HOME`, as most developers keep theirs.
    init(
        _ preset: PolicyPreset, start: SandboxStart, flags: [(PolicyField, PolicyValue)] = [], projectInHome: Bool = false,
        prepare: (Scratch) throws -> Void = { _ in }
    ) throws {
        self.start = start
        home = try Scratch("pie-rt-home", in: "/var/tmp")
        project = try projectInHome ? Scratch("src", in: home.path) : Scratch("pie-rt")
        try prepare(project)
        state = try Scratch("pie-rt-state", in: "/var/tmp")
        var layer = PolicyLayer()
        for (field, value) in flags {
            layer.values[field] = value
            layer.sources[field] = "flag"
        }
        let environment = [
            "PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": home.path, "LANG": "C.UTF-8", "PIE_DIR": state.path,
            "OPENAI_API_KEY": "sk-test-SECRETVALUE-123456",
        ]
        effective = try PolicyBuilder.build(PolicyInputs(
            cwd: project.path, home: home.path, environment: environment, presetFlag: preset, flags: layer))
        shell = SandboxedShell(policy: effective.policy, environment: environment, limits: TestPolicy.strictLimits)
        shell.warm = start == .warm ? Fixture.warmSandboxes : nil
    }

    /// Runs an attack in bubblewrap (the preset's `auto` or `force` must have picked it).
    func run(_ command: String) async throws -> (outcome: ShellOutcome, output: String) {
        try await requireSandbox()
        let result = try await runShell(shell, command, cwd: project.path)
        #expect(result.outcome.sandbox == .bwrap)
        #expect(result.outcome.servedWarm == (start == .warm), "the attack ran \(start == .warm ? "cold" : "warm")")
        return result
    }
}

/// Credential reads: files that hold a secret on a developer's machine, most of which no deny list
/// names. Under hardened and strict (`sandbox_reads = "allowlist"`) none of them exists in the
/// sandbox; under balanced (host reads) the ones `deny_paths` names are masked.
@Suite("Red team: credential reads") struct RedTeamCredentialTests {
    /// Credential stores in `$HOME`, from the tools' documentation of where they keep tokens.
    static let homeStores = [
        ".git-credentials", ".config/git/credentials", ".cargo/credentials.toml", ".cargo/credentials", ".npmrc",
        ".yarnrc.yml", ".pypirc", ".gem/credentials", ".config/some-cli/token", ".config/other/tokens.json",
        ".config/gh/hosts.yml", ".config/gcloud/credentials.db", ".ssh/id_ed25519", ".aws/credentials",
        ".docker/config.json", ".kube/config", ".netrc", ".vault-token", ".pgpass", ".bash_history",
        ".local/share/keyrings/login.keyring", ".password-store/bank.gpg",
    ]

    /// The stores `deny_paths` names, which balanced's host view masks.
    static let deniedStores = homeStores.filter { ![".config/some-cli/token", ".config/other/tokens.json", ".bash_history"].contains($0) }

    static func secret(_ store: String) -> String { "CREDENTIAL-\(store.hashValue.magnitude)" }

    /// `cat` each path and say which could be read; the secrets themselves must not appear.
    static func probe(_ paths: [String]) -> String {
        paths.map { "if cat '\($0)' 2>/dev/null; then echo 'READ \($0)'; else echo 'GONE \($0)'; fi" }
            .joined(separator: "; ")
    }

    static func plant(_ stores: [String], in home: Scratch) throws {
        for store in stores { try home.write(store, secret(store) + "\n") }
    }

    static func expectGone(_ paths: [String], in output: String, secrets: [String]) {
        for path in paths {
            #expect(output.contains("GONE \(path)"), "\(path) was readable: \(output)")
        }
        for secret in secrets { #expect(!output.contains(secret)) }
    }

    @Test("hardened and strict: no credential store in $HOME exists in the sandbox", arguments: [PolicyPreset.hardened, .strict], SandboxStart.allCases)
    func homeStoresAreAbsent(_ preset: PolicyPreset, _ start: SandboxStart) async throws {
        let fixture = try PresetFixture(preset, start: start)
        try Self.plant(Self.homeStores, in: fixture.home)
        let paths = Self.homeStores.map(fixture.home.file)
        let (_, output) = try await fixture.run(Self.probe(paths) + "; echo \"home: $(ls -A \"$HOME\" | wc -l)\"")
        Self.expectGone(paths, in: output, secrets: Self.homeStores.map(Self.secret))
        #expect(output.contains("home: 0"), "$HOME is not empty: \(output)")
    }

    @Test("hardened and strict: a project inside $HOME shows itself, not its neighbours", arguments: [PolicyPreset.hardened, .strict], SandboxStart.allCases)
    func projectInsideHome(_ preset: PolicyPreset, _ start: SandboxStart) async throws {
        let fixture = try PresetFixture(preset, start: start, projectInHome: true) { project in
            try project.write("README", "PROJECT-README\n")
        }
        try Self.plant(Self.homeStores, in: fixture.home)
        let paths = Self.homeStores.map(fixture.home.file)
        let (_, output) = try await fixture.run(
            Self.probe(paths) + "; cat README; echo built > out.txt && echo wrote; ls -A \"$HOME\" | sed 's/^/HOME:/'")
        Self.expectGone(paths, in: output, secrets: Self.homeStores.map(Self.secret))
        #expect(output.contains("PROJECT-README") && output.contains("wrote"))
        let name = (fixture.project.path as NSString).lastPathComponent
        #expect(output.split(separator: "\n").filter { $0.hasPrefix("HOME:") } == ["HOME:\(name)"], "\(output)")
        #expect(fixture.project.read("out.txt") == "built\n")
    }

    @Test("hardened and strict: a planted symlink or hard link to a credential leads nowhere", arguments: [PolicyPreset.hardened, .strict], SandboxStart.allCases)
    func linksToCredentialsLeadNowhere(_ preset: PolicyPreset, _ start: SandboxStart) async throws {
        let fixture = try PresetFixture(preset, start: start)
        try Self.plant([".git-credentials", ".npmrc"], in: fixture.home)
        // A cloned repository can carry a symlink; the test plants one as a repository would.
        symlink(fixture.home.file(".git-credentials"), fixture.project.file("creds"))
        symlink(fixture.home.path, fixture.project.file("home-link"))
        let (_, output) = try await fixture.run(
            Self.probe(["creds", "home-link/.npmrc"])
                + "; ln \(fixture.home.file(".npmrc")) hard 2>/dev/null && echo LINKED || echo NOLINK")
        Self.expectGone(["creds", "home-link/.npmrc"], in: output, secrets: [".git-credentials", ".npmrc"].map(Self.secret))
        #expect(output.contains("NOLINK"))
    }

    @Test("every preset: PIE_DIR, wherever it is, is out of reach", arguments: [PolicyPreset.balanced, .strict, .hardened], SandboxStart.allCases)
    func pieDirIsOutOfReach(_ preset: PolicyPreset, _ start: SandboxStart) async throws {
        let fixture = try PresetFixture(preset, start: start)
        try fixture.state.write("auth.json", #"{"openai":{"type":"api_key","key":"sk-AUTH-JSON-KEY"}}"#)
        try fixture.state.write("sessions/abc/s.jsonl", "SESSION-TRANSCRIPT\n")
        let paths = [fixture.state.file("auth.json"), fixture.state.file("sessions/abc/s.jsonl")]
        let (_, output) = try await fixture.run(Self.probe(paths) + "; ls -A \(fixture.state.path) 2>&1 | sed 's/^/LS:/'")
        Self.expectGone(paths, in: output, secrets: ["sk-AUTH-JSON-KEY", "SESSION-TRANSCRIPT", "LS:auth.json", "LS:sessions"])
    }

    @Test("every preset: a PIE_DIR inside the project is masked", arguments: [PolicyPreset.balanced, .strict, .hardened], SandboxStart.allCases)
    func pieDirInsideTheProjectIsMasked(_ preset: PolicyPreset, _ start: SandboxStart) async throws {
        var fixture = try PresetFixture(preset, start: start)
        try fixture.project.write(".state/auth.json", "sk-AUTH-IN-PROJECT")
        let state = fixture.project.file(".state")
        let environment = ["PATH": "/usr/bin:/bin", "HOME": fixture.home.path, "PIE_DIR": state]
        let policy = try PolicyBuilder.build(PolicyInputs(
            cwd: fixture.project.path, home: fixture.home.path, environment: environment, presetFlag: preset)).policy
        fixture.shell.policy = policy
        let (_, output) = try await fixture.run(
            Self.probe([".state/auth.json"]) + "; echo forged > .state/auth.json; rm -rf .state; ls -A .state")
        Self.expectGone([".state/auth.json"], in: output, secrets: ["sk-AUTH-IN-PROJECT"])
        #expect(fixture.project.read(".state/auth.json") == "sk-AUTH-IN-PROJECT")
    }

    @Test("balanced: the credential stores deny_paths names are masked in the host view", arguments: SandboxStart.allCases)
    func balancedMasksNamedStores(_ start: SandboxStart) async throws {
        let fixture = try PresetFixture(.balanced, start: start)
        try Self.plant(Self.deniedStores, in: fixture.home)
        let paths = Self.deniedStores.map(fixture.home.file)
        let (_, output) = try await fixture.run(Self.probe(paths))
        Self.expectGone(paths, in: output, secrets: Self.deniedStores.map(Self.secret))
    }

    /// /etc by allowlist: the files a security engineer would never let a command read are not
    /// there; the host's other top-level directories are not either.
    @Test("hardened and strict: system secrets and other trees are absent", arguments: [PolicyPreset.hardened, .strict], SandboxStart.allCases)
    func systemSecretsAreAbsent(_ preset: PolicyPreset, _ start: SandboxStart) async throws {
        let fixture = try PresetFixture(preset, start: start)
        // A secret next to $HOME on the host, outside every root.
        let neighbour = try Scratch("pie-rt-neighbour", in: "/var/tmp")
        try neighbour.write("secret.txt", "NEIGHBOUR-SECRET")
        let absent = [
            "/etc/shadow", "/etc/gshadow", "/etc/sudoers", "/etc/ssh", "/etc/ssl/private", "/etc/machine-id",
            "/etc/npmrc", "/etc/pip.conf", "/etc/apt", "/etc/environment", "/root", "/home", "/opt", "/srv", "/mnt",
            "/media", "/run", "/sys", "/boot", "/var/lib", "/var/log", "/var/cache", neighbour.path,
        ]
        let checks = absent.map { "test -e '\($0)' && echo 'THERE \($0)' || echo 'GONE \($0)'" }.joined(separator: "; ")
        let (_, output) = try await fixture.run(
            checks + "; cat \(neighbour.file("secret.txt")) 2>&1; tr '\\0' '\\n' < /proc/1/environ; tr '\\0' '\\n' < /proc/self/environ")
        Self.expectGone(absent, in: output, secrets: ["NEIGHBOUR-SECRET", "sk-test-SECRETVALUE", "[REDACTED]"])
    }

    /// What commands need is there: the allowlist must not break the tools it exists for.
    @Test("hardened and strict: programs, users, certificates and the project still work", arguments: [PolicyPreset.hardened, .strict], SandboxStart.allCases)
    func whatCommandsNeedIsThere(_ preset: PolicyPreset, _ start: SandboxStart) async throws {
        let fixture = try PresetFixture(preset, start: start)
        try fixture.project.write("data.txt", "b\na\n")
        let (outcome, output) = try await fixture.run(
            "sort data.txt | tr -d '\\n'; echo; awk 'BEGIN { print \"awk-ok\" }'; id -un; "
                + "test -d /etc/ssl/certs && echo certs-ok; python3 -c 'print(\"py-ok\")'; "
                + "git --version >/dev/null && echo git-ok; echo built > out.txt && cat out.txt; "
                + "touch \"$HOME/x\" 2>&1 | grep -q 'Read-only' && echo home-ro; touch /x 2>&1 | grep -q 'Read-only' && echo root-ro")
        #expect(outcome.exitCode == 0, "\(output)")
        for expected in ["ab", "awk-ok", "certs-ok", "py-ok", "git-ok", "built", "home-ro", "root-ro"] {
            #expect(output.contains(expected), "missing \(expected): \(output)")
        }
        #expect(fixture.project.read("out.txt") == "built\n")
    }
}
