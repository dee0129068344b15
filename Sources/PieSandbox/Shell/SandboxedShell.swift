import CPieSys
import Glibc
import PiePolicy
import PieSystem

/// The production `ShellOperations`: runs `bash -c COMMAND` (or `/bin/sh` where bash is missing)
/// contained as `ToolPolicy.sandboxMode` says.
///
/// - `off`: on the host, still with the scrubbed environment, resource limits and process-group kill.
/// - `auto`: in bubblewrap + seccomp when the cached probe says it works; otherwise on the host with
///   a warning in `ShellOutcome.warnings` and `sandbox == .host`, for the audit log to record.
/// - `force`: in bubblewrap + seccomp, or a `sandboxUnavailable` error that names what is missing.
/// - a `sandboxCommand` launcher (with `auto`/`force`) replaces bubblewrap with the user's wrapper.
///
/// Everything it needs is injected (policy, environment, limits, file-system inspector); it never
/// reads pie's own environment, so a provider key in pie's process cannot reach a command.
public struct SandboxedShell: ShellOperations {
    public var policy: ToolPolicy
    public var environment: [String: String]
    /// Explicit limits; nil derives `ResourceLimits.standard` from each request's timeout.
    public var limits: ResourceLimits?
    /// Output beyond this many bytes kills the command (a `yes` loop must not fill memory).
    public var outputLimitBytes: Int
    public var inspector: any PathInspector
    /// The shell that interprets commands: bash when installed (models write bash), else `/bin/sh`.
    public var shell: String
    /// Applied to the output stream before `onOutput` sees it. Built from the injected environment,
    /// so a command that prints a key it found on disk still cannot show it to the model.
    public var redactor: SecretRedactor
    /// Answers whether bubblewrap works here; the services' cached `BubblewrapProbe` unless a test or
    /// host substitutes its own answer.
    public var availability: @Sendable ([String: String]) async -> BubblewrapProbe.Result
    /// Long-lived sandboxes that serve repeated commands with the same plan; nil gives every
    /// command a bubblewrap of its own.
    public var warm: WarmSandboxes?
    /// Shared with every other shell of the process, so placeholder counts see every run.
    public var placeholders: PlaceholderRegistry
    public var seccomp: SeccompPrograms
    /// Where `ConfigurationSweep` moves what a command planted (`PIE_DIR/quarantine`); nil renames
    /// such entries in place instead.
    public var quarantineDirectory: String?

    /// `services` are the process's (see `SandboxServices`); the default is a set for this shell only.
    public init(
        policy: ToolPolicy, environment: [String: String], limits: ResourceLimits? = nil,
        inspector: any PathInspector = SystemPathInspector(), services: SandboxServices = SandboxServices()
    ) {
        self.policy = policy
        self.environment = environment
        self.limits = limits
        self.outputLimitBytes = max(policy.maxToolOutputBytes * 4, 1 << 20)
        self.inspector = inspector
        self.shell = access("/bin/bash", X_OK) == 0 ? "/bin/bash" : "/bin/sh"
        self.redactor = SecretRedactor(environment: environment)
        let probe = services.probe
        self.availability = { await probe.check(environment: $0) }
        self.warm = services.warm
        self.placeholders = services.placeholders
        self.seccomp = services.seccomp
        self.quarantineDirectory = Quarantine.defaultDirectory(environment: environment)
    }

    /// How the next command will be contained, with the warnings that go with it.
    public enum Containment: Sendable, Equatable {
        case host(warnings: [String])
        case bubblewrap(path: String)
        case launcher(template: String)
    }

    /// Resolves the sandbox mode against what this machine supports (the probe is cached).
    public func containment() async throws(ShellError) -> Containment {
        switch policy.sandboxMode {
        case .off: return .host(warnings: [])
        case .auto, .force:
            if let template = policy.sandboxCommand { return .launcher(template: template) }
            switch await availability(environment) {
            case .available(let bwrap): return .bubblewrap(path: bwrap)
            case .unavailable(let reason) where policy.sandboxMode == .auto:
                return .host(warnings: [
                    "os sandbox unavailable (\(reason)); the command ran on the host without isolation"
                ])
            case .unavailable(let reason):
                throw ShellError(
                    .sandboxUnavailable,
                    message: "--os-sandbox-mode force needs a working bubblewrap sandbox: \(reason). "
                        + "Use --os-sandbox-mode auto to run unsandboxed with a warning.")
            }
        }
    }

    /// Starts the warm sandbox that this policy's commands will use, ahead of the first command:
    /// an agent calls it when a session starts, while the model is still thinking, so even the
    /// first command is served warm. Does nothing without bubblewrap, in host or launcher mode, or
    /// without a pool.
    public func prepareWarmSandbox() async {
        guard let warm, case .bubblewrap(let bwrap)? = try? await containment() else { return }
        let limits = limits ?? ResourceLimits.standard(timeoutMs: policy.bashTimeoutMs)
        let request = ShellRequest(command: "true", cwd: policy.paths.projectRoot, timeoutMs: policy.bashTimeoutMs)
        guard let plan = try? plan(bwrap: bwrap, request: request, environment: [:], limits: limits) else { return }
        _ = await warm.sandbox(bwrap: bwrap, plan: plan, startingNow: true)
    }

    public func run(
        _ request: ShellRequest, onOutput: @escaping @Sendable ([UInt8]) -> Void
    ) async throws(ShellError) -> ShellOutcome {
        guard PathBytes.isAbsolute(request.cwd) else {
            throw ShellError(.invalidRequest, message: "working directory '\(request.cwd)' must be absolute")
        }
        let timeoutMs = request.timeoutMs > 0 ? request.timeoutMs : policy.bashTimeoutMs
        let limits = limits ?? ResourceLimits.standard(timeoutMs: timeoutMs)
        let containment = try await containment()
        let spawnID = SpawnID.make()
        var environment = ShellEnvironment.scrub(self.environment, tmpdir: nil)
        environment[ShellEnvironment.spawnMarker] = spawnID

        var prepared: Prepared
        switch containment {
        case .host:
            prepared = Prepared(
                launch: .spawn(SpawnRequest(
                    executable: shell, arguments: [shell, "-c", request.command], environment: environment,
                    workingDirectory: request.cwd, inheritedDescriptors: [], limits: limits)),
                placeholders: [], descriptors: [], used: .host)
        case .bubblewrap(let bwrap):
            prepared = try await prepareBubblewrap(
                bwrap: bwrap, request: request, environment: environment, limits: limits)
        case .launcher(let template):
            prepared = try prepareLauncher(
                template: template, request: request, environment: environment, limits: limits)
        }
        defer { prepared.descriptors.forEach(FileIO.close) }

        let sweep = prepared.sweepsGit ? configurationSweep(roots: prepared.writeRoots) : nil
        let before = sweep?.snapshot()
        let cgroup = PidsCgroup.create(maxProcesses: limits.processes, id: spawnID)
        placeholders.acquire(prepared.placeholders)
        defer { placeholders.release(prepared.placeholders) }
        let child: ChildProcess
        do throws(ShellError) {
            child = try launch(prepared, cgroup: cgroup, limits: limits)
        } catch {
            cgroup?.remove()
            throw error
        }
        prepared.descriptors.forEach(FileIO.close)
        prepared.descriptors = []

        let sink = RedactingSink(redactor, deliver: onOutput)
        let end = await ProcessSupervisor(timeoutMs: timeoutMs, outputLimitBytes: outputLimitBytes)
            .run(child, onOutput: sink.feed)
        sink.finish()
        var warnings: [String] = []
        if case .host(let hostWarnings) = containment { warnings = hostWarnings }
        if end.outputLimitHit {
            warnings.append("output exceeded \(outputLimitBytes) bytes; the command was killed")
        }
        var exitCode = end.exitCode
        let removals = prepared.sweepsGit
            ? GitMetadataSweep.sweep(prepared.watched, roots: prepared.writeRoots, known: prepared.knownGitEntries)
            : []
        if !removals.isEmpty {
            warnings += removals.map(\.message)
            onOutput(Array(removals.map { "\npie: \($0.message)\n" }.joined().utf8))
            if exitCode == 0 || exitCode == nil { exitCode = 1 }
        }
        var quarantined: [QuarantinedEntry] = []
        if let sweep, let before {
            let quarantine = Quarantine(directory: quarantineDirectory, label: Quarantine.label(spawnID: spawnID))
            quarantined = sweep.changes(since: before, ignoring: placeholders.inUse()).map { change in
                QuarantinedEntry(
                    path: String(decoding: change.path, as: UTF8.self), kind: change.kind, movedTo: quarantine.move(change.path))
            }
        }
        if !quarantined.isEmpty {
            warnings += quarantined.map(\.message)
            onOutput(Array(quarantined.map { "\npie: \($0.message)\n" }.joined().utf8))
            if exitCode == 0 || exitCode == nil { exitCode = 1 }
        }
        var outcome = ShellOutcome(
            exitCode: exitCode, signal: end.signal, timedOut: end.timedOut, cancelled: end.cancelled,
            sandbox: prepared.used, servedWarm: child.isWarm, warnings: warnings)
        outcome.quarantined = quarantined
        return outcome
    }

    /// The sweep of the writable roots for configuration a command plants. Never the quarantine,
    /// nor pie's own state directory: a `~/.pie` inside a root (pie run in the home directory) is
    /// masked in the sandbox, so no command wrote it, while pie appends its audit log and sessions
    /// there during the command, which the sweep would otherwise take for a planted `.pie`.
    private func configurationSweep(roots: [String]) -> ConfigurationSweep {
        let skipped = [quarantineDirectory, Quarantine.stateDirectory(environment: environment)].compactMap { $0 }
        return ConfigurationSweep(paths: policy.paths, roots: roots, skipped: Set(skipped.map { PathKey($0) }))
    }

    /// Starts a prepared command: spawned by pie, or by the init of a warm sandbox (whose
    /// placeholders pie creates itself, as bwrap would have). A warm sandbox that has ended is
    /// dropped and the command gets a bubblewrap of its own instead.
    private func launch(_ prepared: Prepared, cgroup: PidsCgroup?, limits: ResourceLimits) throws(ShellError)
        -> ChildProcess
    {
        var spawn: SpawnRequest
        switch prepared.launch {
        case .spawn(let request):
            spawn = request
        case .warm(let sandbox, var request, let fallback):
            request.limits = ProcessSpawner.limitSettings(for: limits, cgroup: cgroup, countingTasks: false)
                .map { WarmRequest.Limit(resource: $0.which, value: $0.value) }
            placeholders.create(prepared.placeholders)
            do {
                let child = try sandbox.launch(request, cgroup: cgroup)
                warm?.served()
                return child
            } catch where error.gone {
                warm?.discard(sandbox, broken: error.broken)
                spawn = fallback
            } catch {
                throw ShellError(.spawnFailed, message: "could not start the command: \(error.message)")
            }
        }
        spawn.cgroup = cgroup
        spawn.cgroupSelfJoin = true
        do {
            return try ProcessSpawner.spawn(spawn)
        } catch {
            throw ShellError(.spawnFailed, message: "could not start the command: \(error.message)")
        }
    }

    /// A ready-to-start command plus what must be cleaned up around it.
    private struct Prepared {
        enum Launch {
            case spawn(SpawnRequest)
            /// In a warm sandbox; `fallback` is the same command in a bubblewrap of its own.
            case warm(WarmSandbox, WarmRequest, fallback: SpawnRequest)
        }

        var launch: Launch
        var placeholders: [String]
        /// Git metadata that must still be missing after the run (`BubblewrapPlan.watched`).
        var watched: [String] = []
        /// Where to look for new `.git` entries after the run and which existed before
        /// (`BubblewrapPlan.knownGitEntries`); only a bubblewrap run is swept.
        var sweepsGit = false
        var writeRoots: [String] = []
        var knownGitEntries: Set<PathKey> = []
        /// Parent-side descriptors to close once the child has its copies.
        var descriptors: [Int32]
        var used: SandboxUsed
    }

    private func prepareBubblewrap(
        bwrap: String, request: ShellRequest, environment: [String: String], limits: ResourceLimits
    ) async throws(ShellError) -> Prepared {
        let plan: BubblewrapPlan
        let program: [UInt8]
        do {
            program = try seccomp.program(allowInternet: policy.sandboxNetwork)
            plan = try self.plan(bwrap: bwrap, request: request, environment: environment, limits: limits)
        } catch {
            throw ShellError(.sandboxUnavailable, message: "cannot prepare the sandbox: \(error.message)")
        }
        let inside = plan.environment
        guard let pipe = Descriptor.pipe() else {
            throw ShellError(.spawnFailed, message: "cannot create a pipe for the seccomp filter")
        }
        let written = FileIO.writeAll(pipe.write, program) == nil
        FileIO.close(pipe.write)
        guard written else {
            FileIO.close(pipe.read)
            throw ShellError(.spawnFailed, message: "cannot hand the seccomp filter to bwrap")
        }
        let spawn = SpawnRequest(
            executable: bwrap, arguments: plan.arguments, environment: inside, workingDirectory: "/",
            inheritedDescriptors: [pipe.read], limits: limits)
        var prepared = Prepared(
            launch: .spawn(spawn), placeholders: plan.placeholders, watched: plan.watched, sweepsGit: true,
            writeRoots: plan.writeRoots, knownGitEntries: plan.knownGitEntries, descriptors: [pipe.read], used: .bwrap)
        if let sandbox = await warm?.sandbox(bwrap: bwrap, plan: plan) {
            let warmRequest = WarmRequest(
                arguments: plan.command, environment: inside, workingDirectory: request.cwd, masks: plan.placeholders,
                freshScratch: Set(WarmRequest.Scratch.allCases.filter { plan.isPrivateTmpfs($0.rawValue) }),
                scratchBytes: limits.tmpfsBytes, limits: [], filter: program, joinsCgroup: false)
            prepared.launch = .warm(sandbox, warmRequest, fallback: spawn)
        }
        return prepared
    }

    /// The bwrap plan for `request` as the file system looks now.
    private func plan(
        bwrap: String, request: ShellRequest, environment: [String: String], limits: ResourceLimits
    ) throws(SandboxSetupError) -> BubblewrapPlan {
        var inside = environment
        inside["TMPDIR"] = "/tmp"
        SandboxCaches.prepare(policy.paths)
        return try BubblewrapPlan(
            bwrap: bwrap, paths: policy.paths, allowNetwork: policy.sandboxNetwork,
            tmpfsBytes: limits.tmpfsBytes, workingDirectory: request.cwd, environment: inside,
            seccompDescriptor: 3, command: [shell, "-c", request.command],
            inspector: PlaceholderAwareInspector(base: inspector, inUse: placeholders.inUse()))
    }

    private func prepareLauncher(
        template: String, request: ShellRequest, environment: [String: String], limits: ResourceLimits
    ) throws(ShellError) -> Prepared {
        let argv = LauncherTemplate(template).arguments(cwd: request.cwd, shell: shell, command: request.command)
        guard let first = argv.first else {
            throw ShellError(.invalidRequest, message: "--os-sandbox-command is empty")
        }
        let searchPath = environment["PATH"] ?? ShellEnvironment.defaultPath
        let executable =
            PathBytes.isAbsolute(first)
            ? first
            : searchPath.utf8.split(separator: UInt8(ascii: ":")).map { "\(Substring($0))/\(first)" }
                .first { access($0, X_OK) == 0 }
        guard let executable, access(executable, X_OK) == 0 else {
            throw ShellError(.sandboxUnavailable, message: "sandbox launcher '\(first)' was not found on PATH")
        }
        return Prepared(
            launch: .spawn(SpawnRequest(
                executable: executable, arguments: argv, environment: environment,
                workingDirectory: request.cwd, inheritedDescriptors: [], limits: limits)),
            placeholders: [], descriptors: [], used: .launcher)
    }
}

/// Random identifiers for the spawn marker (the system generator, so nothing global is shared).
enum SpawnID {
    static func make() -> String {
        let hex = String(UInt64.random(in: .min ... .max), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
