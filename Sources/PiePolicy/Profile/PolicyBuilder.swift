/// Builds the effective policy: defaults < preset < profile < project policy < environment < flags.
///
/// Scalars are replaced by each later layer that sets them; lists only grow (see `PolicyField.Kind.list`).
public enum PolicyBuilder {
    public static let presetVariable = "PIE_TOOL_POLICY_PRESET"
    public static let profileVariable = "PIE_TOOL_POLICY_PROFILE"

    public static func build(_ inputs: PolicyInputs) throws(PolicyError) -> EffectivePolicy {
        let defaults = try ProfileParser.parse(BuiltinProfiles.defaults, path: "profiles/defaults.toml", source: "default")

        var profiles: [PolicyLayer] = []
        if let (path, origin) = profilePath(inputs) {
            guard let text = try inputs.readFile(path) else {
                throw PolicyError("\(path): policy profile not found (from \(origin)); check the path")
            }
            profiles.append(try ProfileParser.parse(text, path: path, source: "profile:\(path)"))
        }
        let projectPath = PathNormalizer.join(inputs.cwd, ".pie/policy.toml")
        var project: PolicyLayer?
        if let text = try inputs.readFile(projectPath) {
            project = try ProfileParser.parse(text, path: projectPath, source: "profile:\(projectPath)")
        }

        let (preset, presetSource) = try choosePreset(inputs, profile: profiles.first, project: project)
        let presetLayer = try ProfileParser.parse(
            BuiltinProfiles.preset(preset), path: "profiles/\(preset.rawValue).toml", source: "preset:\(preset.rawValue)")

        var merged = PolicyLayer()
        var warnings: [String] = []
        for layer in [defaults, presetLayer] + profiles { apply(layer, to: &merged) }
        if let project {
            warnings += loosenings(of: merged, by: project, path: projectPath)
            apply(project, to: &merged)
        }
        apply(try environmentLayer(inputs.environment), to: &merged)
        apply(inputs.flags, to: &merged)

        var policy = try makePolicy(preset: preset, layer: merged, inputs: inputs)
        let state = statePaths(inputs, auditLog: policy.auditLog, source: merged.sources[.toolAuditLog], paths: policy.paths)
        for entry in state where !policy.paths.deny.contains(entry.path) { policy.paths.deny.append(entry.path) }
        for entry in state where entry.path == "/" || policy.paths.writeRoots.contains(where: { PathNormalizer.isWithin($0, entry.path) }) {
            warnings.append(
                "\(entry.what) '\(entry.path)' (\(entry.source)) contains the project or a writable root; "
                    + "every tool is denied there, so move it elsewhere")
        }
        var effective = EffectivePolicy(
            policy: policy, values: merged.values, sources: merged.sources, presetSource: presetSource,
            warnings: warnings)
        effective.stateDeny = state
        return effective
    }

    private static func profilePath(_ inputs: PolicyInputs) -> (String, String)? {
        if let flag = inputs.profileFlag { return (PathNormalizer.join(inputs.cwd, flag), "--tool-policy-profile") }
        if let env = inputs.environment[profileVariable], !env.isEmpty {
            return (PathNormalizer.join(inputs.cwd, env), profileVariable)
        }
        return nil
    }

    private static func choosePreset(
        _ inputs: PolicyInputs, profile: PolicyLayer?, project: PolicyLayer?
    ) throws(PolicyError) -> (PolicyPreset, String) {
        if let flag = inputs.presetFlag { return (flag, "flag") }
        if let env = inputs.environment[presetVariable], !env.isEmpty {
            guard let preset = PolicyPreset(rawValue: env) else {
                throw PolicyError("\(presetVariable): '\(env)' is not a preset; valid: \(PolicyPreset.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return (preset, "env:\(presetVariable)")
        }
        if let project, let preset = project.extends {
            return (preset, project.sources.values.first ?? "profile:.pie/policy.toml")
        }
        if let profile, let preset = profile.extends {
            return (preset, profile.sources.values.first ?? "profile")
        }
        return (.balanced, "default")
    }

    static func apply(_ layer: PolicyLayer, to merged: inout PolicyLayer) {
        for field in PolicyField.allCases {
            guard let value = layer.values[field], let source = layer.sources[field] else { continue }
            if case .list(let added) = value, case .list(let existing)? = merged.values[field], !existing.isEmpty {
                var combined = existing
                for item in added where !combined.contains(item) { combined.append(item) }
                merged.values[field] = .list(combined)
                let before = merged.sources[field] ?? source
                merged.sources[field] = before.split(separator: "+").contains(Substring(source)) ? before : before + "+" + source
            } else {
                merged.set(field, value, source: source)
            }
        }
    }

    private static func environmentLayer(_ environment: [String: String]) throws(PolicyError) -> PolicyLayer {
        var layer = PolicyLayer()
        for field in PolicyField.allCases {
            guard let name = field.environmentVariable, let text = environment[name] else { continue }
            switch field.parse(text: text) {
            case .success(let value): layer.set(field, value, source: "env:\(name)")
            case .failure(let error): throw PolicyError("\(name): \(error.message)")
            }
        }
        return layer
    }

    /// A repository's own `.pie/policy.toml` may set any field, but a reviewer must see when it
    /// widens what the agent may do, since the repository's author wrote it, not the user.
    private static func loosenings(of base: PolicyLayer, by project: PolicyLayer, path: String) -> [String] {
        var found: [String] = []
        for field in PolicyField.allCases {
            guard let new = project.values[field] else { continue }
            let old = base.values[field]
            if PolicyStrictness.loosens(field, from: old, to: new) {
                found.append("\(path) loosens \(field.rawValue) (was \(PolicyStrictness.describe(old)), now \(PolicyStrictness.describe(new)))")
            }
        }
        return found
    }

    private static func makePolicy(preset: PolicyPreset, layer: PolicyLayer, inputs: PolicyInputs) throws(PolicyError) -> ToolPolicy {
        func int(_ f: PolicyField) -> Int { layer.values[f]?.integer ?? 0 }
        func bool(_ f: PolicyField) -> Bool { layer.values[f]?.boolean ?? false }
        func string(_ f: PolicyField) -> String { layer.values[f]?.string ?? "" }
        func list(_ f: PolicyField) -> [String] { layer.values[f]?.list ?? [] }

        guard let project = PathResolver.realPath(inputs.cwd) else {
            throw PolicyError("the working directory '\(inputs.cwd)' does not exist or cannot be resolved; pass an existing --cwd")
        }
        let home = PathResolver.realPath(inputs.home) ?? PathNormalizer.normalize(inputs.home)
        let writeRoots = try [project] + roots(list(.allowPaths), field: .allowPaths, layer: layer, cwd: project, home: home)
        let readRoots = try roots(list(.readPaths), field: .readPaths, layer: layer, cwd: project, home: home)
        let gitDirectories = GitDirectoryLocator.locate(writeRoots: unique(writeRoots))
        let hooks = GitHooksPathLocator.protectedEntries(
            writeRoots: unique(writeRoots), gitDirectories: gitDirectories, home: home, environment: inputs.environment)
        var paths = PathPolicy(
            projectRoot: project, readRoots: readRoots, writeRoots: unique(writeRoots),
            deny: list(.denyPaths), protected: unique(list(.protectedPaths) + hooks), home: home,
            gitDirectories: gitDirectories)
        paths.sandboxReads = SandboxReads(rawValue: string(.sandboxReads)) ?? .allowlist
        paths.sandboxCaches = try caches(list(.sandboxCaches), source: layer.sources[.sandboxCaches], home: home)
        if !paths.sandboxCaches.isEmpty { paths.sandboxCacheRoot = cacheRoot(inputs.environment, home: home) }

        let taskModel = try taskModel(string(.taskModel), fallbacks: list(.taskFallbackModels), layer: layer)
        let sandboxCommand = string(.osSandboxCommand)
        let audit = string(.toolAuditLog)
        return ToolPolicy(
            preset: preset, paths: paths,
            maxFileReadBytes: int(.maxFileReadBytes), maxFileWriteBytes: int(.maxFileWriteBytes),
            maxToolOutputBytes: int(.maxToolOutputBytes), bashTimeoutMs: int(.bashTimeoutMs),
            maxCommandLength: int(.maxCommandLength),
            bashProfile: BashProfileName(rawValue: string(.bashProfile)) ?? .balanced,
            allowCommands: list(.allowCommands), bashDryRun: bool(.bashDryRun), trace: bool(.toolPolicyTrace),
            sandboxMode: SandboxMode(rawValue: string(.osSandboxMode)) ?? .force,
            sandboxCommand: sandboxCommand.isEmpty ? nil : sandboxCommand,
            sandboxNetwork: bool(.sandboxNetwork), enforceRegularFiles: bool(.enforceRegularFiles),
            auditLog: audit.isEmpty ? nil : PathNormalizer.join(inputs.cwd, PathNormalizer.expandHome(audit, home: home) ?? audit),
            ask: AskRules(commands: list(.askCommands), paths: list(.askPaths), home: home, projectRoot: project),
            mcp: MCPToolRules(
                defaultVerdict: Decision.Verdict(rawValue: string(.mcpDefault)) ?? .deny,
                allow: list(.mcpAllow), ask: list(.mcpAsk), deny: list(.mcpDeny)),
            scheduleTool: ScheduleToolRule(rawValue: string(.scheduleTool)) ?? .deny,
            taskTool: Decision.Verdict(rawValue: string(.taskTool)) ?? .deny,
            taskModel: taskModel, taskFallbackModels: list(.taskFallbackModels),
            memoryTool: MemoryToolRule(rawValue: string(.memoryTool)) ?? .deny)
    }

    /// `task_model` as one model name, nil when empty; which models exist is for the model
    /// registry to say when the agent is built (`AgentBuildError.taskModel`).
    private static func taskModel(_ name: String, fallbacks: [String], layer: PolicyLayer) throws(PolicyError) -> String? {
        let trimmed = name.trimmingSpaces()
        if trimmed.contains(",") {
            throw PolicyError(
                "\(PolicyField.taskModel.rawValue) (\(layer.sources[.taskModel] ?? "policy")): '\(name)' names more than one "
                    + "model; give one provider:id and list the others in \(PolicyField.taskFallbackModels.rawValue)")
        }
        if trimmed.isEmpty, !fallbacks.isEmpty {
            throw PolicyError(
                "\(PolicyField.taskFallbackModels.rawValue) (\(layer.sources[.taskFallbackModels] ?? "policy")) is set but "
                    + "\(PolicyField.taskModel.rawValue) is not; name the sub-agents' model in task_model, or remove "
                    + "task_fallback_models (sub-agents then use this agent's own model and fallbacks)")
        }
        return trimmed.isEmpty ? nil : trimmed
    }

    /// pie's own state in this run, denied to every tool (see `StatePath`): the state directory
    /// (`PIE_DIR`, else `~/.pie`), the audit log and the caller's session file, each also under
    /// its canonical path when a symlink leads there. The directory of the audit log and of the
    /// session file is denied too, unless it holds a root or `$HOME` (a log at the project's top
    /// level denies the file, not the project).
    private static func statePaths(
        _ inputs: PolicyInputs, auditLog: String?, source: String?, paths: PathPolicy
    ) -> [StatePath] {
        let what = "pie state directory (sessions, auth.json, the default audit log)"
        var files: [StatePath] = []
        var found: [StatePath] = []
        if let directory = inputs.environment["PIE_DIR"], !directory.isEmpty {
            let absolute = PathNormalizer.join(inputs.cwd, PathNormalizer.expandHome(directory, home: paths.home) ?? directory)
            found.append(StatePath(path: absolute, what: what + ", PIE_DIR", source: "env:PIE_DIR"))
        } else {
            found.append(StatePath(path: PathNormalizer.join(paths.home, ".pie"), what: what, source: "default"))
        }
        if let root = paths.sandboxCacheRoot {
            found.append(StatePath(path: root, what: "the sandbox's private package caches", source: "sandbox_caches"))
        }
        if let auditLog {
            files.append(StatePath(path: auditLog, what: "audit log", source: source ?? "policy"))
        }
        files += inputs.statePaths
        let roots = paths.writeRoots + paths.readRoots + [paths.projectRoot, paths.home]
        for file in files {
            found.append(file)
            let directory = PathNormalizer.normalize(file.path + "/..")
            if directory != "/", !roots.contains(where: { PathNormalizer.isWithin($0, directory) }) {
                found.append(StatePath(path: directory, what: file.what + " directory", source: file.source))
            }
        }
        var result: [StatePath] = []
        for entry in found {
            let lexical = PathNormalizer.normalize(entry.path)
            let canonical = PathResolver.canonicalize(lexical)
            for path in [lexical, canonical] where !result.contains(where: { $0.path == path }) {
                result.append(StatePath(path: path, what: entry.what, source: entry.source))
            }
        }
        return result
    }

    /// Extra roots must exist: a root is canonicalised once, here, so a symlink created later
    /// inside or above it can never widen it.
    private static func roots(
        _ entries: [String], field: PolicyField, layer: PolicyLayer, cwd: String, home: String
    ) throws(PolicyError) -> [String] {
        var result: [String] = []
        for entry in entries {
            let source = layer.sources[field] ?? "policy"
            let absolute: String
            switch PathResolver.absolute(entry, cwd: cwd, home: home) {
            case .success(let path): absolute = path
            case .failure(let error): throw PolicyError("\(field.flag ?? field.rawValue) (\(source)): \(error.message)")
            }
            guard let real = PathResolver.realPath(absolute) else {
                throw PolicyError("\(field.flag ?? field.rawValue) (\(source)): '\(entry)' does not exist; create it or remove the entry")
            }
            if real == "/" {
                throw PolicyError("\(field.flag ?? field.rawValue) (\(source)): '\(entry)' is the file-system root; name a narrower directory")
            }
            result.append(real)
        }
        return unique(result)
    }

    /// `sandbox_caches` entries name directories below `$HOME` (`~/.cargo/registry`): a package
    /// cache is per user, and an entry outside `$HOME` or naming `$HOME` itself would hand the
    /// sandbox a private copy of far more than a cache.
    private static func caches(_ entries: [String], source: String?, home: String) throws(PolicyError) -> [String] {
        var result: [String] = []
        for entry in entries {
            let expanded = entry.hasPrefix("~/") ? PathNormalizer.expandHome(entry, home: home) : nil
            guard let expanded, case let path = PathNormalizer.normalize(expanded), path != home,
                PathNormalizer.isWithin(path, home)
            else {
                throw PolicyError(
                    "\(PolicyField.sandboxCaches.rawValue) (\(source ?? "policy")): '\(entry)' is not a directory below ~; "
                        + "write it as ~/PATH, e.g. ~/.cargo/registry")
            }
            if !result.contains(path) { result.append(path) }
        }
        return result
    }

    /// `$XDG_CACHE_HOME/pie/sandbox-caches`, or `~/.cache/pie/sandbox-caches` when the variable is
    /// unset or not absolute (the XDG base directory specification ignores relative values). It
    /// lies outside `PIE_DIR`, which the sandbox masks, and outside the project.
    private static func cacheRoot(_ environment: [String: String], home: String) -> String {
        let base = environment["XDG_CACHE_HOME"].flatMap { $0.hasPrefix("/") ? PathNormalizer.normalize($0) : nil }
        return PathNormalizer.join(base ?? PathNormalizer.join(home, ".cache"), "pie/sandbox-caches")
    }

    private static func unique(_ items: [String]) -> [String] {
        var seen: [String] = []
        for item in items where !seen.contains(item) { seen.append(item) }
        return seen
    }
}
