import PieAgent
import PieHooks
import PieLocal
import PiePolicy

/// Why `AgentBuilder` could not assemble an agent. Each case keeps the underlying typed error;
/// `description` names the option in the library's own words, and a front end that knows its
/// flags (the CLI) may word the same case with them.
public enum AgentBuildError: Error, Sendable, CustomStringConvertible {
    /// The policy's inputs (preset, profile, overrides, environment) do not form a valid policy.
    case policy(PolicyError)
    /// Neither `PIE_DIR` nor `HOME` says where pie keeps its state.
    case noStateDirectory
    /// The `replay` provider was chosen without a transcript.
    case replayWithoutTranscript
    /// A transcript was given for a provider other than `replay`.
    case transcriptWithoutReplay
    case transcript(ReplayError)
    /// A `models.json` could not be read.
    case modelsFile(ModelsFileError)
    /// No model, an unknown one, or a fallback that does not resolve.
    case modelSelection(ModelSelectionError)
    case negativeSetting(ModelSelection.Setting, Int)
    /// libcurl could not be loaded, so no model can be called.
    case transportUnavailable(CurlLoadError)
    /// `SessionSelection.latest` in a project that has no session yet.
    case noSessionToResume(cwd: String)
    case session(SessionError)
    case spillDirectory(path: String, reason: String)
    case systemPromptFileMissing(path: String)
    case systemPromptFileUnreadable(path: String, reason: String)
    /// `task_model` or `task_fallback_models` (the policy field, its value and where it was set)
    /// names no model the registry knows.
    case taskModel(field: PolicyField, value: String, source: String, ModelSelectionError)
    /// A hooks file cannot be read or has errors, or (unattended) the project's is not trusted.
    case hooks(HookLoadError)

    /// Whether the options are at fault (fix them and retry), rather than this machine.
    public var isBadInput: Bool {
        switch self {
        case .transportUnavailable, .spillDirectory: false
        default: true
        }
    }

    public var description: String {
        switch self {
        case .policy(let error): error.message
        case .noStateDirectory: "cannot find pie's state directory: set HOME or PIE_DIR"
        case .replayWithoutTranscript: "the replay provider needs a transcript file to play back"
        case .transcriptWithoutReplay: "a replay transcript goes with the replay provider"
        case .transcript(let error): error.description
        case .modelsFile(let error): error.description
        case .modelSelection(let error): error.description
        case .negativeSetting(let setting, let value): "\(setting.rawValue): \(value) is negative; expected 0 or more"
        case .transportUnavailable(let error): error.description
        case .noSessionToResume(let cwd): "no session to resume in \(cwd); start a new one"
        case .session(let error): error.description
        case .spillDirectory(let path, let reason): "cannot create '\(path)': \(reason)"
        case .systemPromptFileMissing(let path): "system prompt file '\(path)' does not exist"
        case .systemPromptFileUnreadable(let path, let reason): "system prompt file '\(path)': \(reason)"
        case .hooks(let error): error.description
        case .taskModel(let field, let value, let source, let error):
            "\(field.rawValue) = \"\(value)\" (\(source)): \(Self.unknown(error)); name a model `pie models list` shows, "
                + "as provider:id (or add it to models.json), or remove \(field.rawValue) so sub-agents use this agent's own model"
        }
    }

    private static func unknown(_ error: ModelSelectionError) -> String {
        switch error {
        case .unknownProvider(let name, let known): "no provider '\(name)' (known: \(known.joined(separator: ", ")))"
        case .unknownModel(_, _, let available): "no such model (available: \(available.joined(separator: ", ")))"
        case .noModelConfigured: "no model named"
        }
    }
}
