import PieJSON
import PiePolicy
import PieSystem

/// The model's memory: short Markdown notes that every later session loads into its system
/// prompt (`MemoryLoader`). `save` writes or replaces one, `list` shows names, sizes and first
/// lines, `delete` removes one; `scope: "project"` uses `<project>/.pie/memory` instead of
/// `~/.pie/memory`. Saving and deleting follow the policy's `memory_tool` (hardened asks);
/// secrets are redacted before anything is written, and the result says so.
public struct MemoryTool: AgentTool {
    public let store: MemoryStore

    public init(store: MemoryStore) {
        self.store = store
    }

    /// The tool's name, known before any store exists (`pie tool` checks names first).
    public static let toolName = "memory"
    public let name = MemoryTool.toolName
    public let description =
        "Remember facts for later sessions: save (or replace) a short Markdown note, list the notes, or delete one. "
        + "Saved notes are loaded into the system prompt of every later session (scope \"user\", the default: all "
        + "projects; scope \"project\": this project only). Save lessons and preferences, not transcripts: at most "
        + "\(MemoryStore.maxContentBytes / 1024) KB per note, \(MemoryStore.maxCount) notes per scope. Secrets are redacted."

    public let schema = ToolSchema([
        .init("action", .string, "save, list or delete", required: true),
        .init("name", .string, "The note's name (letters, digits, '_', '-', '.'; e.g. \"build-notes\"); required for save and delete"),
        .init("content", .string, "With save: the note's Markdown text (replaces a note of the same name)"),
        .init("scope", .string, "user (default: every project) or project (this project's .pie/memory)"),
    ])

    public var runsAlone: Bool { true }

    /// One call's meaning, checked before anyone is asked.
    struct Call {
        var action: MemoryAction
        var scope: MemoryScope?
        var name: MemoryName?
        var content: String?

        init(_ object: JSONObject) throws(MemoryError) {
            let actions = MemoryAction.allCases.map(\.rawValue).joined(separator: ", ")
            guard let text = object["action"]?.stringValue, let action = MemoryAction(rawValue: text) else {
                let given = object["action"].map { "'\($0.stringValue ?? "\($0)")'" } ?? "nothing"
                throw MemoryError("action must be one of \(actions); got \(given)")
            }
            self.action = action
            if let text = object["scope"]?.stringValue {
                guard let scope = MemoryScope(rawValue: text) else {
                    throw MemoryError("scope must be \"user\" or \"project\"; got '\(text)'")
                }
                self.scope = scope
            }
            if let text = object["name"]?.stringValue { name = try MemoryName(text) }
            content = object["content"]?.stringValue
            switch action {
            case .save:
                guard name != nil else {
                    throw MemoryError(
                        "save needs a name, e.g. {\"action\": \"save\", \"name\": \"build-notes\", \"content\": \"…\"}")
                }
                guard content != nil else { throw MemoryError("save needs content: the note's Markdown text") }
            case .delete:
                guard name != nil else { throw MemoryError("delete needs the name of the memory to remove (list shows them)") }
                guard content == nil else { throw MemoryError("delete takes no content; give only the name") }
            case .list:
                guard name == nil, content == nil else {
                    throw MemoryError("list takes no name or content; it shows every memory (optionally of one scope)")
                }
            }
        }

        /// What the policy and the person asked see.
        var summary: String {
            let place = (scope ?? .user) == .user ? "the user's memory" : "the project's memory"
            switch action {
            case .save:
                let bytes = content?.utf8.count ?? 0
                return "saving '\(name?.value ?? "")' (\(bytes) bytes) to \(place): \"\(MemoryStore.firstLine(of: content ?? ""))\""
            case .delete: return "deleting '\(name?.value ?? "")' from \(place)"
            case .list: return scope.map { "listing the \($0.rawValue) memories" } ?? "listing the memories"
            }
        }
    }

    public func prepareArguments(_ object: JSONObject) -> Result<JSONObject, ArgumentProblem> {
        // A missing action or a value of the wrong type is left to the schema, whose message says so.
        guard object["action"] != nil, object.allSatisfy({ $0.value.stringValue != nil }) else { return .success(object) }
        do throws(MemoryError) {
            _ = try Call(object)
            return .success(object)
        } catch {
            return .failure(ArgumentProblem(error.message))
        }
    }

    public func policyRequest(_ arguments: ValidatedArguments, context: ToolContext) -> ToolRequest {
        do throws(MemoryError) {
            let call = try Call(arguments.object)
            return .memory(action: call.action, what: call.summary)
        } catch {
            // `prepareArguments` accepted these; judged as the most guarded action all the same.
            return .memory(action: .save, what: "a memory call whose arguments do not validate (\(error.message))")
        }
    }

    public func execute(_ arguments: ValidatedArguments, context: ToolContext) async throws(ToolFailure) -> ToolResult {
        try context.checkCancelled()
        do throws(MemoryError) {
            let call = try Call(arguments.object)
            switch call.action {
            case .list:
                return .text(Self.listing(try store.list(scope: call.scope), scope: call.scope))
            case .save:
                guard let name = call.name, let content = call.content else { throw MemoryError("save needs a name and content") }
                let scope = call.scope ?? .user
                let saved = try store.save(name, content: content, scope: scope)
                var text = "\(saved.replaced ? "Replaced" : "Saved") the \(scope.rawValue) memory '\(name)' "
                    + "(\(saved.bytes) bytes, \(saved.path)); later sessions load it into their system prompt."
                if saved.redactions > 0 {
                    let count = "\(saved.redactions) secret\(saved.redactions == 1 ? " was" : "s were")"
                    text += " \(count) replaced by \(SecretRedactor.marker) before writing."
                }
                return .text(text)
            case .delete:
                guard let name = call.name else { throw MemoryError("delete needs a name") }
                let scope = call.scope ?? .user
                let path = try store.delete(name, scope: scope)
                return .text("Deleted the \(scope.rawValue) memory '\(name)' (\(path)).")
            }
        } catch {
            throw ToolFailure(error.message)
        }
    }

    /// `scope  name  size  first line`, one memory a line.
    public static func listing(_ memories: [MemoryStore.Listed], scope: MemoryScope?) -> String {
        guard !memories.isEmpty else {
            return scope.map { "No \($0.rawValue) memories." } ?? "No memories."
        }
        return memories.map { "\($0.scope.rawValue)/\($0.name)  \($0.size) bytes  \($0.firstLine)" }.joined(separator: "\n")
    }
}
