import PiePolicy
import PieSandbox
import PieJSON

/// pi's multi-edit `edit`: exact-text replacements in one file, all or nothing.
///
/// Two legacy shapes are accepted and rewritten before validation, because local models send
/// both: a top-level `oldText`/`newText` pair (pi's original schema) and `edits` sent as a JSON
/// string. These are the only argument coercions pie makes.
public struct EditTool: AgentTool {
    public init() {}

    public let name = "edit"
    public let description =
        "Edit a single file using exact text replacement. Every edits[].oldText must match a unique, "
        + "non-overlapping region of the original file. If two changes affect the same block or nearby lines, "
        + "merge them into one edit instead of emitting overlapping edits. Do not include large unchanged "
        + "regions just to connect distant changes."
    public let runsAlone = true

    public let schema = ToolSchema([
        .init("path", .string, "Path to the file to edit (relative or absolute)", required: true),
        .init(
            "edits",
            .array(
                of: .object(
                    ToolSchema([
                        .init(
                            "oldText", .string,
                            "Exact text for one targeted replacement. It must be unique in the original file and must "
                                + "not overlap with any other edits[].oldText in the same call.",
                            required: true),
                        .init("newText", .string, "Replacement text for this targeted edit.", required: true),
                    ])), minItems: 1),
            "One or more targeted replacements. Each edit is matched against the original file, not "
                + "incrementally. Do not include overlapping or nested edits. If two changes touch the same "
                + "block or nearby lines, merge them into one edit instead.",
            required: true),
    ])

    public func prepareArguments(_ object: JSONObject) -> Result<JSONObject, ArgumentProblem> {
        var object = object
        if case .string(let text)? = object["edits"] {
            do {
                let parsed = try JSONParser.parseStrict(Array(text.utf8))
                if case .object = parsed { object["edits"] = .array([parsed]) } else { object["edits"] = parsed }
            } catch {
                return .failure(ArgumentProblem("field 'edits' is a string but not valid JSON: \(error.description)"))
            }
        }
        let legacyOld = object["oldText"]
        let legacyNew = object["newText"]
        guard legacyOld != nil || legacyNew != nil else { return .success(object) }
        object["oldText"] = nil
        object["newText"] = nil
        var legacy = JSONObject()
        legacy["oldText"] = legacyOld
        legacy["newText"] = legacyNew
        switch object["edits"] {
        case nil: object["edits"] = .array([.object(legacy)])
        case .array(let edits)?: object["edits"] = .array(edits + [.object(legacy)])
        case let other?:
            return .failure(
                ArgumentProblem("field 'edits' must be an array (got \(other.typeDescription))"))
        }
        return .success(object)
    }

    public func policyRequest(_ arguments: ValidatedArguments, context: ToolContext) -> ToolRequest {
        .file(tool: .edit, path: context.resolve(arguments.string("path") ?? ""))
    }

    public func execute(_ arguments: ValidatedArguments, context: ToolContext) async throws(ToolFailure) -> ToolResult {
        try context.checkCancelled()
        let path = arguments.string("path") ?? ""
        let absolute = context.resolve(path)
        let edits = Self.edits(arguments)
        let bytes: [UInt8]
        do {
            bytes = try context.files.read(absolute, maxBytes: context.policy.maxFileReadBytes)
        } catch {
            throw ToolFailure(error.kind == .notFound ? "File not found: \(path)" : error.message)
        }
        guard let raw = String(validating: bytes, as: UTF8.self) else {
            throw ToolFailure("Cannot edit \(path): the file is not valid UTF-8 text")
        }
        let file = LineEndings(raw)
        let lfEdits = edits.map {
            TextEdit(oldText: LineEndings.toLF($0.oldText), newText: LineEndings.toLF($0.newText))
        }
        let updated: String
        switch EditMatcher.apply(lfEdits, to: file.text) {
        case .success(let text): updated = text
        case .failure(let error): throw ToolFailure(Self.message(error, path: path, count: edits.count))
        }
        let output = Array(file.restore(updated).utf8)
        guard output.count <= context.policy.maxFileWriteBytes else {
            throw ToolFailure(
                "Edited file is \(output.count) bytes, over the policy's write limit of "
                    + "\(context.policy.maxFileWriteBytes) bytes")
        }
        try context.checkCancelled()
        do {
            try context.files.write(absolute, contents: output)
        } catch {
            throw ToolFailure(error.message)
        }
        let diff = EditDiff(old: file.text, new: updated)
        return .text(
            "Successfully replaced \(edits.count) block(s) in \(path).",
            details: .edit(EditDetails(diff: diff.text, firstChangedLine: diff.firstChangedLine)))
    }

    private static func edits(_ arguments: ValidatedArguments) -> [TextEdit] {
        (arguments.array("edits") ?? []).compactMap { value in
            guard case .object(let edit) = value, case .string(let old)? = edit["oldText"],
                case .string(let new)? = edit["newText"]
            else { return nil }
            return TextEdit(oldText: old, newText: new)
        }
    }

    /// pi's sentences; a single edit keeps the original single-edit wording.
    static func message(_ error: EditMatchError, path: String, count: Int) -> String {
        let single = count == 1
        switch error {
        case .emptyOldText(let index):
            return single ? "oldText must not be empty in \(path)." : "edits[\(index)].oldText must not be empty in \(path)."
        case .notFound(let index):
            return single
                ? "Could not find the exact text in \(path). The old text must match exactly including all whitespace and newlines."
                : "Could not find edits[\(index)] in \(path). The oldText must match exactly including all whitespace and newlines."
        case .duplicate(let index, let occurrences):
            return single
                ? "Found \(occurrences) occurrences of the text in \(path). The text must be unique. Please provide more context to make it unique."
                : "Found \(occurrences) occurrences of edits[\(index)] in \(path). Each oldText must be unique. Please provide more context to make it unique."
        case .overlap(let first, let second):
            return "edits[\(first)] and edits[\(second)] overlap in \(path). Merge them into one edit or target disjoint regions."
        case .noChange:
            return single
                ? "No changes made to \(path). The replacement produced identical content. This might indicate an issue with special characters or the text not existing as expected."
                : "No changes made to \(path). The replacements produced identical content."
        }
    }
}
