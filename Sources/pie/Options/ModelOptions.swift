import ArgumentParser
import PieLocal
import PieRuntime

/// Which model answers, and how hard pie tries before giving up on it.
struct ModelOptions: ParsableArguments {
    @Option(help: "Provider name (see pie models), or 'replay' with --replay FILE.")
    var provider: String?

    @Option(help: "Model id, or provider:model.")
    var model: String?

    @Option(name: .customLong("base-url"), help: "Override the selected model's base URL for this run (alone: a local DS4 server).")
    var baseURL: String?

    @Option(help: "Thinking level: off, minimal, low, medium, high or xhigh.")
    var thinking: ThinkingLevel?

    @Option(help: "A recorded model transcript (JSONL) to play back with --provider replay.")
    var replay: String?

    @Option(name: .customLong("provider-max-retries"), help: "Retries after a retryable failure (default 2).")
    var maxRetries: Int?

    @Option(name: .customLong("provider-retry-budget-ms"), help: "Total time retries may take; 0 means no budget (default 0).")
    var retryBudgetMs: Int?

    @Option(name: .customLong("provider-retry-jitter"), help: "Randomise backoff delays: true or false (default true).")
    var retryJitter: RetryJitter?

    @Option(name: .customLong("fallback-model"), help: "Comma-separated provider:model list tried in order once retries are exhausted.")
    var fallbackModels: String?

    @Option(name: .customLong("request-timeout-ms"), help: "Limit for one HTTP request (default 120000).")
    var requestTimeoutMs: Int?

    /// The builder's model options; a flag not given leaves the library's default.
    var selection: ModelSelection {
        var selection = ModelSelection(
            provider: provider, model: model, baseURL: baseURL, replayTranscript: replay,
            fallbacks: (fallbackModels ?? "").split(separator: ",").map(String.init))
        if let maxRetries { selection.maxRetries = maxRetries }
        if let retryBudgetMs { selection.retryBudgetMilliseconds = retryBudgetMs }
        if let retryJitter { selection.retryJitter = retryJitter.isOn }
        if let requestTimeoutMs { selection.requestTimeoutMilliseconds = requestTimeoutMs }
        return selection
    }
}

/// What to ask and how to report it.
struct RunOptions: ParsableArguments {
    @Option(name: [.short, .customLong("prompt")], help: "Run this prompt and exit.")
    var prompt: String?

    @Option(name: .customLong("prompt-file"), help: "Read the prompt from a file ('-' for standard input) and exit.")
    var promptFile: String?

    @Option(
        name: .customLong("image"),
        help: ArgumentHelp(
            "Attach a PNG, JPEG, GIF or WebP image (recognised by its bytes) to the first prompt; repeatable.",
            discussion: "At most 3.75 MiB per image, 15 MiB and 20 images in all; the model's input must include \"image\".",
            valueName: "path"))
    var images: [String] = []

    @Option(help: "Output: text, or json (one event per line).")
    var mode: EventPrinter.Mode = .text

    @Option(name: .customLong("system-prompt-file"), help: "Use this file as the system prompt.")
    var systemPromptFile: String?

    @Option(name: .customLong("turn-timeout-ms"), help: "Bound a whole prompt (every turn and tool); 0 means none.")
    var turnTimeoutMs: Int?

    @Option(name: .customLong("max-turns"), help: "At most this many model calls per prompt (default unlimited).")
    var maxTurns: Int?

    @Option(name: .customLong("task-max-turns"), help: "At most this many model calls per task sub-agent (default 12).")
    var taskMaxTurns: Int?

    @Option(name: .customLong("task-timeout-ms"), help: "Wall time of one task sub-agent, in ms (default 300000).")
    var taskTimeoutMs: Int?

    /// The bounds of the `task` tool's sub-agents: the defaults, with these flags' values.
    func taskLimits() throws(PieExit) -> TaskLimits {
        var limits = TaskLimits()
        if let taskMaxTurns {
            guard taskMaxTurns >= 1 else { throw PieExit.usage("--task-max-turns must be at least 1 (got \(taskMaxTurns))") }
            limits.maxTurns = taskMaxTurns
        }
        if let taskTimeoutMs {
            guard taskTimeoutMs >= 1 else { throw PieExit.usage("--task-timeout-ms must be at least 1 (got \(taskTimeoutMs))") }
            limits.timeoutMilliseconds = taskTimeoutMs
        }
        return limits
    }
}

/// Where the conversation is kept.
struct SessionOptions: ParsableArguments {
    @Flag(name: .customLong("no-session"), help: "Keep nothing on disk.")
    var noSession = false

    @Option(help: "Use (or create) this session file.")
    var session: String?

    @Flag(name: [.customShort("c"), .customLong("resume"), .customLong("continue")], help: "Continue the newest session of this directory.")
    var resume = false

    @Option(name: .customLong("resume-id"), help: "Continue the session with this id (a unique prefix is enough).")
    var resumeID: String?

    @Flag(name: .customLong("list-sessions"), help: "List this directory's sessions and exit.")
    var listSessions = false

    @Flag(name: .customLong("list-all-sessions"), help: "List every session and exit.")
    var listAllSessions = false

    @Option(name: .customLong("delete-session"), help: "Delete the session with this id and exit.")
    var deleteSession: String?

    /// The session to record into; `--session` wins over `--resume-id`, which wins over `--resume`.
    func selection() throws(PieExit) -> SessionSelection {
        if noSession {
            if resume || resumeID != nil || session != nil {
                throw PieExit.usage("--no-session cannot be combined with --session, --resume or --resume-id")
            }
            return .none
        }
        if let session { return .file(session) }
        if let resumeID { return .id(resumeID) }
        return resume ? .latest : .new
    }
}
